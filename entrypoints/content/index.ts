// Per frame: auto-fill alt text, answer the popup, show panels and the region picker. Logic lives in lib/page.
import { failure, type JobOutcome } from '@/lib/engine/jobs';
import { writeGeneratedAlt } from '@/lib/page/alt-text';
import { AltFiller, altFor, imageSourceFor } from '@/lib/page/alt-filler';
import { imageUrlOf, isCandidateElement, type CandidateElement } from '@/lib/page/image-facts';
import { isAutoFillOn, settings } from '@/lib/settings';
import { listen, sendToBackground } from '@/lib/transport';
import { readVisiblePage, selectAndReadRegion } from './region-reader';
import { showResultPanel } from './result-panel';

const PANEL_TEXT = {
  caption: { title: 'Image description', working: 'Describing image…' },
  'read-text': { title: 'Text in image', working: 'Reading text…' },
} as const;

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  runAt: 'document_idle',
  main(ctx) {
    const filler = new AltFiller(document, {
      requestJob: (job, priority) => sendToBackground('job.request', { job, priority }),
      jobKind: async () => ((await settings.preferImageText.getValue()) ? 'describe' : 'caption'),
      altPrefix: () => settings.altPrefix.getValue(),
    });

    const applyAutoFill = async () => {
      const [everywhere, sites] = await Promise.all([settings.autoFillEverywhere.getValue(), settings.autoFillSites.getValue()]);
      if (isAutoFillOn(everywhere, sites, topHostname())) void filler.start();
      else filler.stop();
    };
    void applyAutoFill();
    const unwatch = [settings.autoFillEverywhere.watch(applyAutoFill), settings.autoFillSites.watch(applyAutoFill)];

    // The context menu reports only a URL; remembering the right-clicked element finds the exact image.
    let lastContextTarget: Element | null = null;
    const onContextMenu = (e: MouseEvent) => {
      const target = e.composedPath()[0];
      lastContextTarget = target instanceof Element ? target : null;
    };
    document.addEventListener('contextmenu', onContextMenu, true);

    const stopListening = listen('page', {
      'page.describeAll': async () => {
        void filler.start();
        return { queued: filler.report().length };
      },
      'page.undoAll': async () => ({ restored: await filler.undoAll() }),
      'page.report': async () => ({ images: filler.report() }),
      'page.showPanel': async ({ srcUrl, kind }) => {
        const target = findImage(lastContextTarget, srcUrl);
        if (!target && window !== window.top) return { shown: false };
        showResultPanel({
          title: PANEL_TEXT[kind].title,
          workingLabel: PANEL_TEXT[kind].working,
          anchor: target,
          outcome: runForPanel(kind, target, srcUrl),
          useAsAlt: target
            ? async (outcome) => {
                const alt = await altFor(outcome, () => settings.altPrefix.getValue());
                writeGeneratedAlt(target, { ...alt, modelId: outcome.modelId, imageUrl: imageUrlOf(target) || srcUrl });
              }
            : undefined,
        });
        return { shown: true };
      },
      'page.selectRegion': async () => {
        if (window !== window.top) return { started: false };
        void selectAndReadRegion();
        return { started: true };
      },
      'page.readVisible': async () => {
        if (window !== window.top) return { started: false };
        void readVisiblePage();
        return { started: true };
      },
    });

    ctx.onInvalidated(() => {
      filler.stop();
      unwatch.forEach((u) => u());
      stopListening();
      document.removeEventListener('contextmenu', onContextMenu, true);
    });
  },
});

async function runForPanel(kind: 'caption' | 'read-text', target: CandidateElement | null, srcUrl: string): Promise<JobOutcome> {
  try {
    const source = await imageSourceFor(target ?? document.createElement('img'), srcUrl);
    return await sendToBackground('job.request', { job: { kind, source }, priority: 'user' });
  } catch (err) {
    return failure('unsupported-source', err instanceof Error ? err.message : String(err));
  }
}

function findImage(lastTarget: Element | null, srcUrl: string): CandidateElement | null {
  if (lastTarget && isCandidateElement(lastTarget) && imageUrlOf(lastTarget) === srcUrl) return lastTarget;
  for (const el of document.querySelectorAll('img, input[type=image]')) {
    if (isCandidateElement(el) && imageUrlOf(el) === srcUrl) return el;
  }
  return null;
}

/** Per-site auto-fill follows the address bar's site, also inside embedded frames. */
function topHostname(): string {
  const origins = location.ancestorOrigins;
  const top = origins && origins.length > 0 ? origins[origins.length - 1] : location.origin;
  try {
    return new URL(top ?? location.href).hostname;
  } catch {
    return location.hostname;
  }
}
