/** Where models run (WebGPU or WASM), how many WASM threads, and when an idle engine frees its memory. */
import { t } from '@/lib/i18n';
import { NumberSetting } from './NumberSetting';
import { useSetting } from './use-setting';

type BackendChoice = 'auto' | 'webgpu' | 'wasm';

const TEXT = {
  heading: t('performanceHeading'),
  backendLabel: t('backendLabel'),
  backendHint: t('backendHint'),
  backends: { auto: t('backendAuto'), webgpu: t('backendWebgpu'), wasm: t('backendWasm') } satisfies Record<BackendChoice, string>,
  threadsLabel: t('threadsLabel'),
  threadsHint: t('threadsHint'),
  idleLabel: t('idleLabel'),
  idleHint: t('idleHint'),
  seconds: t('unitSeconds'),
  threads: t('unitThreads'),
};

export function PerformanceSettings() {
  const [backend, saveBackend] = useSetting('backend');
  return (
    <section aria-labelledby="performance-heading">
      <h2 id="performance-heading">{TEXT.heading}</h2>
      <div class="field">
        <label for="setting-backend">{TEXT.backendLabel}</label>
        <select
          id="setting-backend"
          data-setting="backend"
          value={backend}
          aria-describedby="setting-backend-hint"
          onChange={(e) => void saveBackend((e.target as HTMLSelectElement).value as BackendChoice)}
        >
          {(Object.keys(TEXT.backends) as BackendChoice[]).map((b) => (
            <option key={b} value={b}>
              {TEXT.backends[b]}
            </option>
          ))}
        </select>
        <p id="setting-backend-hint" class="muted">
          {TEXT.backendHint}
        </p>
      </div>
      <NumberSetting setting="wasmThreads" label={TEXT.threadsLabel} hint={TEXT.threadsHint} min={0} max={64} unit={TEXT.threads} />
      <NumberSetting setting="releaseEngineAfterIdleSeconds" label={TEXT.idleLabel} hint={TEXT.idleHint} min={0} max={86_400} unit={TEXT.seconds} />
    </section>
  );
}
