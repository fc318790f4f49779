/** The toolbar popup: engine state, auto-fill switches, the page's captions, undo. */
import { useEffect, useState } from 'preact/hooks';
import { pageActions } from '@/entrypoints/popup/page-actions';
import type { EngineStatus, PageImageReport } from '@/lib/messages';
import { settings, settingsNotice, type SettingsNotice } from '@/lib/settings';
import { AutoFillSwitches } from './AutoFillSwitches';
import { EngineStatusView } from './EngineStatusView';
import { ImageList } from './ImageList';

/** Fast enough that a download's progress bar moves smoothly, slow enough to cost nothing. */
const REFRESH_INTERVAL_MS = 500;

export function Popup({ tab }: { tab: { id: number; url: string } | null }) {
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [images, setImages] = useState<PageImageReport[]>([]);
  const [message, setMessage] = useState('');
  const hostname = siteOf(tab?.url ?? '');

  useEffect(() => {
    const refresh = async () => {
      setStatus(await pageActions.engineStatus().catch(() => null));
      if (tab) setImages(await pageActions.report(tab.id).catch(() => []));
    };
    void refresh();
    const timer = setInterval(refresh, REFRESH_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [tab?.id]);

  const run = (action: () => Promise<string>) => () =>
    action().then(setMessage, (err: unknown) => setMessage(err instanceof Error ? err.message : String(err)));

  return (
    <main>
      <h1>AltSight</h1>
      <SettingsResetNotice />
      <EngineStatusView status={status} />
      {hostname && <AutoFillSwitches hostname={hostname} />}
      {tab && hostname ? (
        <section aria-label="This page">
          <h2>This page</h2>
          <div class="row">
            <button type="button" onClick={run(async () => (await pageActions.selectRegion(tab.id), closePopup()))}>
              Select area to read
            </button>
            <button type="button" onClick={run(async () => (await pageActions.readVisible(tab.id), closePopup()))}>
              Read visible page
            </button>
          </div>
          <div class="row">
            <button type="button" onClick={run(async () => (await pageActions.describeAll(tab.id), 'Describing images…'))}>
              Describe all images
            </button>
            <button
              type="button"
              onClick={run(async () => {
                const restored = await pageActions.undoAll(tab.id);
                return `Removed ${restored} generated alt text${restored === 1 ? '' : 's'}.`;
              })}
            >
              Undo generated alt text
            </button>
          </div>
          {(images.some((i) => i.state === 'failed') || status?.state === 'error') && (
            <div class="row">
              <button
                type="button"
                onClick={run(async () => {
                  const retried = await pageActions.retryFailed(tab.id);
                  return `Trying ${retried} image${retried === 1 ? '' : 's'} again…`;
                })}
              >
                Retry failed images
              </button>
            </div>
          )}
          <div role="status" aria-live="polite" class="muted" data-testid="popup-message">
            {message}
          </div>
          <ImageList images={images} onCopy={(text) => void navigator.clipboard.writeText(text).then(() => setMessage('Copied'))} />
        </section>
      ) : (
        <p class="muted">This page can't be captured or described: AltSight works on web pages (http and https).</p>
      )}
      <details>
        <summary>Settings</summary>
        <SettingsForm />
      </details>
    </main>
  );
}

/** Stored settings that failed validation were reset to defaults (lib/settings.ts): say so once. */
function SettingsResetNotice() {
  const [notice, setNotice] = useState<SettingsNotice | null>(null);
  useEffect(() => {
    void settingsNotice.get().then(setNotice);
  }, []);
  if (!notice) return null;
  return (
    <div class="notice" role="status" data-testid="settings-notice">
      <p>
        Some settings were unreadable and have been reset to their defaults: {notice.resetKeys.join(', ')}.
      </p>
      <button
        type="button"
        onClick={() => {
          setNotice(null);
          void settingsNotice.clear();
        }}
      >
        Dismiss
      </button>
    </div>
  );
}

function SettingsForm() {
  const [backend, setBackend] = useState<string>('auto');
  const [modelId, setModelId] = useState('');
  useEffect(() => {
    void settings.backend.getValue().then(setBackend);
    void settings.modelId.getValue().then(setModelId);
  }, []);
  return (
    <div class="row">
      <label>
        Backend{' '}
        <select
          value={backend}
          onChange={(e) => {
            const value = (e.target as HTMLSelectElement).value as 'auto' | 'webgpu' | 'wasm';
            setBackend(value);
            void settings.backend.setValue(value);
          }}
        >
          <option value="auto">Automatic</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM (CPU)</option>
        </select>
      </label>
      <span class="muted">Model: {modelId}</span>
    </div>
  );
}

/** The page gets the keyboard and the user's attention back; opened as a tab (tests), the page stays. */
function closePopup(): string {
  if (!new URLSearchParams(location.search).has('tab')) window.close();
  return 'Select an area on the page…';
}

function siteOf(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname : '';
  } catch {
    return '';
  }
}
