// Routing, context menus, tab capture and the engine host's lifecycle. The work itself lives in lib/.
import { browser } from 'wxt/browser';
import { failure, jobKey, type EngineJob } from '@/lib/engine/jobs';
import { JobQueue } from '@/lib/engine/queue';
import { runWithOneRetry } from '@/lib/engine/retry';
import { IDLE_ENGINE_STATUS } from '@/lib/engine/status';
import { listen, sendToEngine, sendToPage } from '@/lib/transport';
import { captureRegion } from './capture';
import { hasEngineHost, offscreenEngineLink } from './offscreen-host';

const MENU = { caption: 'altsight-caption-image', readText: 'altsight-read-image-text' } as const;

export default defineBackground(() => {
  const queue = new JobQueue<EngineJob>({
    process: (job) => runWithOneRetry(job, offscreenEngineLink),
  });

  listen('background', {
    'job.request': async ({ job, priority }, sender) => {
      if (sender.tabId === undefined) return failure('unsupported-source', 'Requests come from a tab.');
      return queue.enqueue(jobKey(job), job, priority, sender.tabId);
    },
    'capture.region': async ({ rect, viewportWidthCss }, sender) => {
      if (sender.windowId === undefined) return failure('capture-refused', "This page can't be captured.");
      return captureRegion(sender.windowId, rect, viewportWidthCss);
    },
    'engine.status': async () => ((await hasEngineHost()) ? sendToEngine('engine.status', {}) : IDLE_ENGINE_STATUS),
    // A job that slips in while the host closes finds it gone and recreates it (runWithOneRetry).
    'engine.idle': async () => {
      if (!queue.isEmpty) return { released: false };
      await offscreenEngineLink.discardHost();
      return { released: true };
    },
  });

  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: MENU.caption, title: 'Caption this image', contexts: ['image'] });
    browser.contextMenus.create({ id: MENU.readText, title: 'Read text in this image', contexts: ['image'] });
  });

  async function onMenuClicked(info: { menuItemId: string | number; srcUrl?: string; frameId?: number }, tab?: { id?: number }) {
    const kind = info.menuItemId === MENU.caption ? 'caption' : info.menuItemId === MENU.readText ? 'read-text' : null;
    if (!kind || tab?.id === undefined || !info.srcUrl) return;
    await sendToPage(tab.id, 'page.showPanel', { srcUrl: info.srcUrl, kind }, info.frameId ?? 0);
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
