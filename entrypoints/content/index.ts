// Per frame: auto-fill alt text, answer the popup, show the caption panel. Logic lives in lib/page.
import { writeGeneratedAlt } from '@/lib/page/alt-text';
import { AltFiller, imageSourceFor } from '@/lib/page/alt-filler';
import { imageUrlOf, isCandidateElement } from '@/lib/page/image-facts';
import { isAutoFillOn, settings } from '@/lib/settings';
import { listen, sendToBackground } from '@/lib/transport';
import { showCaptionPanel } from './caption-panel';
import type { CaptionOutcome } from '@/lib/engine/jobs';

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  runAt: 'document_idle',
  main(ctx) {
    const filler = new AltFiller(document, {
      requestCaption: (source, priority) => sendToBackground('caption.request', { source, priority }),
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
      'page.showCaptionPanel': async ({ srcUrl }) => {
        const target = findImage(lastContextTarget, srcUrl);
        if (!target && window !== window.top) return { shown: false };
        showCaptionPanel({
          anchor: target,
          caption: captionForPanel(target, srcUrl),
          useAsAlt: async (text, modelId) => {
            if (!target) return;
            const prefix = await settings.altPrefix.getValue();
            writeGeneratedAlt(target, { caption: text, modelId, prefix, imageUrl: imageUrlOf(target) || srcUrl });
          },
        });
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

async function captionForPanel(target: HTMLImageElement | HTMLInputElement | null, srcUrl: string): Promise<CaptionOutcome> {
  try {
    const source = await imageSourceFor(target ?? document.createElement('img'), srcUrl);
    return await sendToBackground('caption.request', { source, priority: 'user' });
  } catch (err) {
    return { ok: false, reason: 'unsupported-source', message: err instanceof Error ? err.message : String(err) };
  }
}

function findImage(lastTarget: Element | null, srcUrl: string): HTMLImageElement | HTMLInputElement | null {
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
