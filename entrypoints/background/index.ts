// Routing, context menus and the engine host's lifecycle. The work itself lives in lib/.
import { browser } from 'wxt/browser';
import { failure, sourceKey, type ImageSource } from '@/lib/engine/jobs';
import { CaptionQueue } from '@/lib/engine/queue';
import { runWithOneRetry } from '@/lib/engine/retry';
import { IDLE_ENGINE_STATUS } from '@/lib/engine/status';
import { listen, sendToEngine, sendToPage } from '@/lib/transport';
import { hasEngineHost, offscreenEngineLink } from './offscreen-host';

const MENU_CAPTION_IMAGE = 'altsight-caption-image';

export default defineBackground(() => {
  const queue = new CaptionQueue<ImageSource>({
    process: (source) => runWithOneRetry(source, offscreenEngineLink),
  });

  listen('background', {
    'caption.request': async ({ source, priority }, sender) => {
      if (sender.tabId === undefined) return failure('unsupported-source', 'Captions are requested from a tab.');
      return queue.enqueue(sourceKey(source), source, priority, sender.tabId);
    },
    'engine.status': async () => ((await hasEngineHost()) ? sendToEngine('engine.status', {}) : IDLE_ENGINE_STATUS),
  });

  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: MENU_CAPTION_IMAGE, title: 'Caption this image', contexts: ['image'] });
  });

  async function onMenuClicked(info: { menuItemId: string | number; srcUrl?: string; frameId?: number }, tab?: { id?: number }) {
    if (info.menuItemId !== MENU_CAPTION_IMAGE || tab?.id === undefined || !info.srcUrl) return;
    await sendToPage(tab.id, 'page.showCaptionPanel', { srcUrl: info.srcUrl }, info.frameId ?? 0);
  }
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClicked(info, tab));
  // The e2e tests call exactly what the menu calls (menus can't be clicked headless).
  Object.assign(globalThis, { altsight: { onMenuClicked } });

  // Work for a page that's gone is wasted: drop it when the tab closes or loads a new document.
  browser.tabs.onRemoved.addListener((tabId) => queue.cancelTab(tabId));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading' && change.url) queue.cancelTab(tabId);
  });
});
