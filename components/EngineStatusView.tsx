/** Which backend and model run, and a progress bar per file while the model downloads. */
import type { EngineStatus } from '@/lib/messages';

const STATE_LABEL: Record<EngineStatus['state'], string> = {
  // Also shown after an idle engine host was closed to free memory.
  idle: 'Not loaded: the model loads when needed',
  loading: 'Loading model…',
  ready: 'Ready',
  error: 'Model failed to load',
};

export function EngineStatusView({ status }: { status: EngineStatus | null }) {
  if (!status) return <p class="muted">Checking engine…</p>;
  const label = (backend: EngineStatus['backend']) =>
    backend === 'webgpu' ? 'WebGPU' : backend === 'wasm' ? `WASM (${status.threads} thread${status.threads === 1 ? '' : 's'})` : '—';
  const backend = label(status.backend);
  return (
    <section aria-label="Engine" data-testid="engine-status">
      <h2>Engine</h2>
      <div>
        <span data-testid="engine-state">{STATE_LABEL[status.state]}</span>
        {' · '}
        <span data-testid="engine-backend">{backend}</span>
      </div>
      {status.modelId && <div class="muted" data-testid="engine-model">Model: {status.modelId}</div>}
      {status.ocrBackend && (
        <div class="muted" data-testid="engine-ocr-backend">
          Text recognition: {label(status.ocrBackend)}
        </div>
      )}
      {status.error && <div class="error">{status.error}</div>}
      {status.files
        .filter((f) => status.state === 'loading' || !f.done)
        .map((f) => (
          <label key={f.file} class="muted">
            {f.file}
            <progress max={f.totalBytes || 1} value={f.done ? f.totalBytes || 1 : f.loadedBytes} />
          </label>
        ))}
    </section>
  );
}
