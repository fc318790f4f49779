// Per frame: auto-fill alt text, answer the popup, show panels and the region picker. Logic lives in lib/page.
import { newRequestId } from '@/lib/request-id';
import { failure, type JobOutcome } from '@/lib/engine/jobs';
import { writeGeneratedAlt } from '@/lib/page/alt-text';
import { AltFiller, altFor, imageSourceFor } from '@/lib/page/alt-filler';
import { imageUrlOf, isCandidateElement, type CandidateElement } from '@/lib/page/image-facts';
import { ImageInFocusTracker, viewportRectIn } from '@/lib/page/image-in-focus';
import type { AutoFillConfig } from '@/lib/messages';
import { t, type MessageKey } from '@/lib/i18n';
import { watchSettings } from '@/lib/settings';
import { listen, sendToBackground } from '@/lib/transport';
import { readVisiblePage, selectAndReadRegion } from './region-reader';
import { showNoticePanel, showResultPanel } from './result-panel';
import { deliverAnswerText, panelAsk } from './ask';

const PANEL_TEXT = {
  caption: { title: 'panelImageDescription', working: 'panelDescribingImage' },
  ask: { title: 'panelImageDescription', working: 'panelDescribingImage' },
  'read-text': { title: 'panelTextInImage', working: 'panelReadingText' },
} as const satisfies Record<string, Record<string, MessageKey>>;

const NOTICES = {
  'no-image-in-focus': { title: 'panelImageDescription', text: 'panelNoImageInFocus' },
} as const satisfies Record<string, Record<string, MessageKey>>;

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
      // The menu is open: "Caption this image" may be a second away, time enough to start a cold engine.
      // Only the reader's own right-click: a page's script can't make us load a model.
      if (e.isTrusted && lastContextTarget && isCandidateElement(lastContextTarget)) void sendToBackground('engine.warm', {}).catch(() => undefined);
    };
    document.addEventListener('contextmenu', onContextMenu, true);
    // The keyboard command describes the image with focus or under the pointer: follow both.
    const imageInFocus = new ImageInFocusTracker(document, ctx.signal);

    const stopListening = listen('page', {
      'page.describeAll': async () => {
        void filler.start();
        return { queued: filler.trackedCount };
      },
      'page.retryFailed': async () => ({ retried: filler.retryFailed() }),
      'page.undoAll': async () => ({ restored: await filler.undoAll() }),
      'page.report': async () => ({ images: filler.report() }),
      'page.showPanel': async ({ srcUrl, kind }) => {
        const target = findImage(lastContextTarget, srcUrl);
        if (!target && window !== window.top) return { shown: false };
        // "Ask about this image" is the caption panel with the question box ready.
        const firstKind = kind === 'ask' ? 'caption' : kind;
        const useAsAlt = target
          ? async (outcome: Extract<JobOutcome, { ok: true }>) => {
              const alt = await altFor(outcome, async () => (await sendToBackground('autofill.config', {})).altPrefix, target);
              writeGeneratedAlt(target, { ...alt, modelId: outcome.modelId, imageUrl: imageUrlOf(target) || srcUrl });
            }
          : undefined;
        showResultPanel({
          title: t(PANEL_TEXT[kind].title),
          workingLabel: t(PANEL_TEXT[kind].working),
          // An image in a scriptless same-origin frame is placed by its box in our viewport.
          anchor: target && target.ownerDocument !== document ? viewportRectIn(document, target) : target,
          outcome: runForPanel(firstKind, target, srcUrl),
          retry: () => runForPanel(firstKind, target, srcUrl),
          readAs: kind === 'read-text' ? (readKind) => runForPanel(readKind, target, srcUrl) : undefined,
          onOutcome: (outcome) => filler.notePanelResult(srcUrl, firstKind, outcome),
          returnFocus: { image: target },
          useAsAlt,
          ask: panelAsk(
            { kind: 'image', source: () => imageSourceFor(target ?? document.createElement('img'), srcUrl) },
            {
              focusQuestion: kind === 'ask',
              useAsAlt: useAsAlt && ((text, modelId) => void useAsAlt({ ok: true, result: 'answer', text, modelId: modelId ?? '' })),
            },
          ),
        });
        return { shown: true };
      },
      'page.answerProgress': async ({ requestId, text }) => ({ shown: deliverAnswerText(requestId, text) }),
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
      'page.findFocusedImage': async () => {
        const found = imageInFocus.find();
        if (!found) return { image: null };
        lastContextTarget = found.element; // the panel that follows describes this very element
        return { image: { srcUrl: imageUrlOf(found.element), at: found.at } };
      },
      'page.showNotice': async ({ notice }) => {
        if (window !== window.top) return { shown: false };
        showNoticePanel(t(NOTICES[notice].title), t(NOTICES[notice].text));
        return { shown: true };
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

async function runForPanel(kind: 'caption' | 'read-text' | 'read-handwriting' | 'read-printed', target: CandidateElement | null, srcUrl: string): Promise<JobOutcome> {
  try {
    const source = await imageSourceFor(target ?? document.createElement('img'), srcUrl);
    return await sendToBackground('job.request', { job: { kind, source }, priority: 'user', requestId: newRequestId() });
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
