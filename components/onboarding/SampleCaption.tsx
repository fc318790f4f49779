/**
 * "Try it": captions a picture shipped with the extension. The engine fetches only http(s) images, so the
 * page draws the sample onto a canvas and sends its pixels, as the content script does for data: images.
 */
import { useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '@/lib/i18n';
import { sendToBackground } from '@/lib/transport';

export const SAMPLE_IMAGE_PATH = '/onboarding/sample.png';

const TEXT = {
  heading: t('sampleHeading'),
  intro: t('sampleIntro'),
  imageAlt: t('sampleImageAlt'),
  button: t('sampleButton'),
  working: t('describing'),
  result: t('sampleResult'),
  failed: (message: string) => t('sampleFailed', message),
  cannotDraw: t('sampleCannotDraw'),
};

async function pngDataUrlOf(img: HTMLImageElement): Promise<string> {
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new Error(TEXT.cannotDraw);
  context.drawImage(img, 0, 0);
  return canvas.toDataURL('image/png');
}

type State = { kind: 'idle' } | { kind: 'working' } | { kind: 'captioned'; text: string } | { kind: 'failed'; message: string };

export function SampleCaption() {
  const image = useRef<HTMLImageElement>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });

  const describe = async () => {
    setState({ kind: 'working' });
    try {
      const pngDataUrl = await pngDataUrlOf(image.current!);
      const outcome = await sendToBackground('job.request', {
        job: { kind: 'caption', source: { kind: 'pixels', pngDataUrl, originalUrl: browser.runtime.getURL(SAMPLE_IMAGE_PATH) } },
        priority: 'user',
        requestId: crypto.randomUUID(),
      });
      setState(outcome.ok ? { kind: 'captioned', text: outcome.text } : { kind: 'failed', message: outcome.message });
    } catch (err) {
      setState({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <section aria-labelledby="try-heading">
      <h2 id="try-heading">{TEXT.heading}</h2>
      <p>{TEXT.intro}</p>
      <div class="sample">
        <img ref={image} src={SAMPLE_IMAGE_PATH} alt={TEXT.imageAlt} width={128} height={128} />
        <div class="field">
          <div class="row">
            <button type="button" class="primary" disabled={state.kind === 'working'} onClick={() => void describe()}>
              {state.kind === 'working' ? TEXT.working : TEXT.button}
            </button>
          </div>
          <p role="status" data-testid="sample-result" class={state.kind === 'failed' ? 'error' : ''}>
            {state.kind === 'captioned' && (
              <>
                {TEXT.result} <q data-testid="sample-caption">{state.text}</q>
              </>
            )}
            {state.kind === 'failed' && TEXT.failed(state.message)}
          </p>
        </div>
      </div>
    </section>
  );
}
