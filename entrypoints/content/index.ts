// Per frame: auto-fill alt text, answer the popup, show panels and the region picker. Logic lives in lib/page.
import { failure, type JobOutcome } from '@/lib/engine/jobs';
import { writeGeneratedAlt } from '@/lib/page/alt-text';
import { AltFiller, altFor, imageSourceFor } from '@/lib/page/alt-filler';
import { imageUrlOf, isCandidateElement, type CandidateElement } from '@/lib/page/image-facts';
import type { AutoFillConfig } from '@/lib/messages';
import { watchSettings } from '@/lib/settings';
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
    // Settings come from the background, which validates them and decides for this frame's own site.
    let config: Promise<AutoFillConfig> = sendToBackground('autofill.config', {});
    const filler = new AltFiller(document, {
      requestJob: (job, priority, requestId) => sendToBackground('job.request', { job, priority, requestId }),
      cancelRequests: (requestIds) => void sendToBackground('job.cancel', { requestIds }).catch(() => undefined),
      jobKind: async () => (await config).jobKind,
      altPrefix: async () => (await config).altPrefix,
    });

    const applyAutoFill = async () => {
      config = sendToBackground('autofill.config', {});
      if ((await config).on) void filler.start();
      else filler.stop();
    };
    void applyAutoFill().catch(() => undefined);
    const unwatch = [watchSettings(() => void applyAutoFill().catch(() => undefined))];

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
      'page.retryFailed': async () => ({ retried: filler.retryFailed() }),
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
          retry: () => runForPanel(kind, target, srcUrl),
          useAsAlt: target
            ? async (outcome) => {
                const alt = await altFor(outcome, async () => (await sendToBackground('autofill.config', {})).altPrefix);
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
    return await sendToBackground('job.request', { job: { kind, source }, priority: 'user', requestId: crypto.randomUUID() });
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
