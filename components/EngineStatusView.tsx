/** Which backend and model run, and a progress bar per file while the model downloads. */
import { t, tCount, type MessageKey } from '@/lib/i18n';
import type { EngineStatus } from '@/lib/messages';

const STATE_LABEL: Record<EngineStatus['state'], MessageKey> = {
  // Also shown after an idle engine host was closed to free memory.
  idle: 'engineIdle',
  loading: 'engineLoading',
  ready: 'engineReady',
  error: 'engineFailed',
};

/** `showError` is false where the popup already tells the same error with the images it stopped. */
export function EngineStatusView({ status, showError = true }: { status: EngineStatus | null; showError?: boolean }) {
  if (!status) return <p class="muted">{t('engineChecking')}</p>;
  const label = (backend: EngineStatus['backend']) =>
    backend === 'webgpu'
      ? 'WebGPU'
      : backend === 'wasm'
        ? tCount(status.threads, { one: 'engineWasmOne', other: 'engineWasmOther' }, status.threads)
        : '—';
  const backend = label(status.backend);
  return (
    <section aria-label={t('engineHeading')} data-testid="engine-status">
      <h2>{t('engineHeading')}</h2>
      <div>
        <span data-testid="engine-state">{t(STATE_LABEL[status.state])}</span>
        {' · '}
        <span data-testid="engine-backend">{backend}</span>
      </div>
      {status.modelId && (
        <div class="muted" data-testid="engine-model">
          {t('engineModel', status.modelId)}
        </div>
      )}
      {status.ocrBackend && (
        <div class="muted" data-testid="engine-ocr-backend">
          {t('engineTextRecognition', label(status.ocrBackend))}
        </div>
      )}
      {status.error && showError && (
        <div class="error" data-testid="engine-error">
          {status.error}
        </div>
      )}
      {status.files
        .filter((f) => status.state === 'loading' || !f.done)
        .map((f) => (
          <label key={f.file} class="muted file-progress">
            {f.file}
            <progress max={f.totalBytes || 1} value={f.done ? f.totalBytes || 1 : f.loadedBytes} />
          </label>
        ))}
    </section>
  );
}
