/**
 * Where model weights come from: the Hugging Face Hub or a mirror with its layout. Checked by
 * lib/host-check.ts (https, except on this computer), with the reason shown when refused, and a "Test
 * connection" that asks the host for the configured model's config.json (model traffic, nothing else).
 */
import { useRef, useState } from 'preact/hooks';
import { checkModelHost, modelConfigUrl } from '@/lib/host-check';
import { t } from '@/lib/i18n';
import { captionModel } from '@/lib/models';
import { DEFAULT_MODEL_HOST } from '@/lib/settings';
import { useSetting } from './use-setting';

/** A host that hasn't answered config.json in this long won't serve 200 MB of weights either. */
const CONNECTION_TEST_TIMEOUT_MS = 10_000;

const TEXT = {
  heading: t('hostHeading'),
  label: t('hostLabel'),
  hint: t('hostHint', DEFAULT_MODEL_HOST),
  save: t('hostSave'),
  reset: t('hostReset'),
  test: t('hostTest'),
  testing: (host: string) => t('hostTesting', host),
  saved: (host: string) => t('hostSaved', host),
  ok: (host: string, modelId: string) => t('hostOk', host, modelId),
  missing: (host: string, modelId: string, status: number) => t('hostMissing', host, modelId, status),
  httpError: (host: string, status: number) => t('hostHttpError', host, status),
  timeout: (host: string) => t('hostTimeout', host, CONNECTION_TEST_TIMEOUT_MS / 1000),
  unreachable: (host: string) => t('hostUnreachable', host),
};

export function ModelHostField() {
  const [host, saveHost] = useSetting('modelHost');
  const [modelId] = useSetting('modelId');
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [result, setResult] = useState<{ state: 'testing' | 'ok' | 'failed'; text: string } | null>(null);
  const testing = useRef<AbortController | null>(null);
  const value = draft ?? host;

  const save = async (text: string) => {
    const checked = checkModelHost(text);
    if (!checked.ok) {
      setError(checked.reason);
      return;
    }
    setError('');
    await saveHost(checked.value);
    setDraft(null);
    setResult({ state: 'ok', text: TEXT.saved(checked.value) });
  };

  const test = async () => {
    const checked = checkModelHost(value);
    if (!checked.ok) {
      setError(checked.reason);
      return;
    }
    setError('');
    testing.current?.abort();
    const controller = new AbortController();
    testing.current = controller;
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), CONNECTION_TEST_TIMEOUT_MS);
    const shown = checked.value;
    setResult({ state: 'testing', text: TEXT.testing(shown) });
    const model = captionModel(modelId, import.meta.env.ALTSIGHT_TEST_MODEL_PINS);
    try {
      // The same request a download starts with, without cookies or a referrer.
      const response = await fetch(modelConfigUrl(checked.value, model.id, model.revision), {
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
      await response.body?.cancel().catch(() => undefined);
      if (testing.current !== controller) return;
      if (response.ok) setResult({ state: 'ok', text: TEXT.ok(shown, model.id) });
      else if (response.status === 404) setResult({ state: 'failed', text: TEXT.missing(shown, model.id, response.status) });
      else setResult({ state: 'failed', text: TEXT.httpError(shown, response.status) });
    } catch {
      if (testing.current !== controller) return; // a newer test replaced this one
      setResult({ state: 'failed', text: controller.signal.aborted ? TEXT.timeout(shown) : TEXT.unreachable(shown) });
    } finally {
      clearTimeout(timer);
    }
  };

  return (
    <section aria-labelledby="host-heading">
      <h2 id="host-heading">{TEXT.heading}</h2>
      <form
        class="field"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save(value);
        }}
      >
        <label for="model-host">{TEXT.label}</label>
        <input
          id="model-host"
          type="url"
          data-setting="modelHost"
          value={value}
          spellcheck={false}
          autocomplete="url"
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby="model-host-hint model-host-error"
          onInput={(e) => {
            setDraft((e.target as HTMLInputElement).value);
            setError('');
          }}
        />
        <p id="model-host-hint" class="muted">
          {TEXT.hint}
        </p>
        <p id="model-host-error" class="error" aria-live="polite" data-testid="model-host-error">
          {error}
        </p>
        <div class="row">
          <button type="submit">{TEXT.save}</button>
          <button type="button" onClick={() => void test()}>
            {TEXT.test}
          </button>
          <button type="button" class="quiet" onClick={() => void save(DEFAULT_MODEL_HOST)}>
            {TEXT.reset}
          </button>
        </div>
        <p role="status" class={result?.state === 'failed' ? 'error' : 'muted'} data-testid="model-host-result" data-state={result?.state ?? ''}>
          {result?.text ?? ''}
        </p>
      </form>
    </section>
  );
}
