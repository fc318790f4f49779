// Routing, context menus, tab capture and the engine host's lifecycle. The work itself lives in lib/.
import { browser } from 'wxt/browser';
import { failure, jobKey, type EngineJob } from '@/lib/engine/jobs';
import { JobQueue } from '@/lib/engine/queue';
import { runWithOneRetry } from '@/lib/engine/retry';
import { IDLE_ENGINE_STATUS } from '@/lib/engine/status';
import { t } from '@/lib/i18n';
import { UserAskedGrants } from '@/lib/engine/user-asked';
import { isAutoFillOn, readEngineConfig, readSettings, repairStoredSettings, watchSettings } from '@/lib/settings';
import { listen, sendToEngine } from '@/lib/transport';
import { PendingCaptures, captureRegion } from './capture';
import { registerCommands } from './commands';
import { openOnboardingOnInstall } from './onboarding';
import { sendToPageInjecting } from '@/lib/inject';
import { copyToClipboard, discardEngineHost, ensureEngineHost, hasEngineHost, offscreenEngineLink, type QueuedEngineJob } from './offscreen-host';

const MENU = { caption: 'altsight-caption-image', readText: 'altsight-read-image-text' } as const;

export default defineBackground(() => {
  // Registered in the worker's first turn, or the install event is missed.
  openOnboardingOnInstall();
  let modelRuns = 0;
  const link = offscreenEngineLink((calls) => (modelRuns += calls));
  const queue = new JobQueue<QueuedEngineJob>({
    process: (queued, _key, signal) => runWithOneRetry(queued, link, signal),
  });
  const captures = new PendingCaptures();
  /** Images the user asked about through the menu: their cookies may go along for that one read. */
  const userAsked = new UserAskedGrants();

  // Stored settings are checked when the worker starts and whenever they change.
  void repairStoredSettings();
  watchSettings(() => void repairStoredSettings());

  const enqueue = (job: EngineJob, priority: QueuedEngineJob['priority'], tabId: number, frameId: number, requestId: string, documentId?: string) => {
    // Who asks is part of the key: a credentialed result for one origin is never handed to another.
    const key = `${jobKey(job)} ${job.requester.frameOrigin} ${job.requester.userAsked ? 'asked' : 'auto'}`;
    return queue.enqueue(key, { job, priority }, priority, { tabId, frameId, requestId, documentId });
  };

  listen('background', {
    'job.request': async ({ job, priority, requestId }, sender) => {
      const { tabId, frameId } = sender;
      if (tabId === undefined || frameId === undefined) return failure('unsupported-source', t('failureRequestsFromTab'));
      // Only the panel's own request (priority 'user') uses the grant; auto-fill of the same image never does.
      const asked = priority === 'user' && job.source.kind === 'url' && userAsked.has(tabId, frameId, job.source.url);
      const requester = { frameOrigin: sender.origin ?? 'null', userAsked: asked };
      // Only a request the user made may jump the line.
      const queuedPriority = priority === 'user' && !asked && job.source.kind === 'url' ? 'visible' : priority;
      return enqueue({ ...job, requester }, queuedPriority, tabId, frameId, requestId, sender.documentId);
    },
    'job.cancel': async ({ requestIds }, sender) => ({
      cancelled: queue.cancelRequests(sender.tabId ?? -1, sender.frameId ?? -1, requestIds),
    }),
    'region.capture': async ({ rect, viewportWidthCss }, sender) => {
      const { tabId, windowId } = sender;
      if (tabId === undefined || windowId === undefined) return failure('capture-refused', t('failureCannotCapture'));
      // captureVisibleTab shoots whatever tab is showing: only the tab the user is looking at may ask.
      const tab = await browser.tabs.get(tabId).catch(() => null);
      if (!tab?.active) return failure('capture-refused', t('failureOnlyActiveTab'));
      const captured = await captureRegion(windowId, rect, viewportWidthCss);
      if (!captured.ok) return captured;
      return { ok: true as const, captureId: captures.keep(tabId, captured.pngDataUrl) };
    },
    'region.read': async ({ captureId, kind }, sender) => {
      const pngDataUrl = sender.tabId === undefined ? null : captures.read(sender.tabId, captureId);
      if (!pngDataUrl) return failure('empty-selection', t('failureSelectionGone'));
      const source = { kind: 'pixels' as const, pngDataUrl, originalUrl: `capture:${captureId}` };
      const job: EngineJob = { kind, source, requester: { frameOrigin: sender.origin ?? 'null', userAsked: true } };
      return enqueue(job, 'user', sender.tabId!, 0, crypto.randomUUID());
    },
    'autofill.config': async (_req, sender) => {
      const s = await readSettings();
      return {
        on: isAutoFillOn(s.autoFillEverywhere, s.autoFillSites, hostnameOf(sender.origin)),
        altPrefix: s.altPrefix,
        jobKind: s.preferImageText ? ('describe' as const) : ('caption' as const),
      };
    },
    'clipboard.write': async ({ text }) => ({ copied: await copyToClipboard(text) }),
    'engine.status': async () => ({
      ...((await hasEngineHost()) ? await sendToEngine('engine.status', {}).catch(() => IDLE_ENGINE_STATUS) : IDLE_ENGINE_STATUS),
      modelRuns,
    }),
    'models.download': async () => {
      await ensureEngineHost();
      return sendToEngine('engine.preload', { config: await readEngineConfig() });
    },
    'models.cancelDownload': async () => ((await hasEngineHost()) ? sendToEngine('engine.cancelLoad', {}) : { cancelled: false }),
    'engine.release': async () => {
      await discardEngineHost();
      return { released: true };
    },
    // A job that slips in while the host closes finds it gone and recreates it (runWithOneRetry).
    'engine.idle': async () => {
      if (!queue.isEmpty) return { released: false };
      await discardEngineHost();
      return { released: true };
    },
    // Jobs in flight on the stuck host see it vanish and are retried on a new one.
    'engine.stuck': async () => {
      await discardEngineHost();
      return { recycled: true };
    },
  });

  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: MENU.caption, title: t('menuCaptionImage'), contexts: ['image'] });
    browser.contextMenus.create({ id: MENU.readText, title: t('menuReadImageText'), contexts: ['image'] });
  });

  async function onMenuClicked(info: { menuItemId: string | number; srcUrl?: string; frameId?: number }, tab?: { id?: number }) {
    const kind = info.menuItemId === MENU.caption ? 'caption' : info.menuItemId === MENU.readText ? 'read-text' : null;
    if (!kind || tab?.id === undefined || !info.srcUrl) return;
    const frameId = info.frameId ?? 0;
    userAsked.grant(tab.id, frameId, info.srcUrl);
    await sendToPageInjecting(tab.id, 'page.showPanel', { srcUrl: info.srcUrl, kind }, frameId);
  }
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClicked(info, tab));
  // Test builds only: the e2e tests call exactly what the menu calls (menus can't be clicked headless).
  if (import.meta.env.ALTSIGHT_TEST) Object.assign(globalThis, { altsight: { onMenuClicked } });
  // Keyboard commands (manifest `commands`); a panel opened by one counts as asked for, like the menu's.
  registerCommands({ grantUserAsked: (tabId, frameId, url) => userAsked.grant(tabId, frameId, url) });

  // Work for a page that's gone is wasted: drop it when the tab closes or a frame loads a new document.
  browser.tabs.onRemoved.addListener((tabId) => queue.cancelTab(tabId));
  browser.webNavigation.onCommitted.addListener((details) => {
    // Chrome 106+ names the committed document; older browsers cancel the whole frame's work as before.
    const { tabId, frameId, documentId, timeStamp } = details as typeof details & { documentId?: string };
    // A new page in the tab: everything asked before it committed is the old page's (its frames included).
    if (frameId === 0) queue.cancelTab(tabId, timeStamp);
    else queue.cancelFrame(tabId, frameId, documentId);
  });
});

function hostnameOf(origin: string | undefined): string {
  try {
    return new URL(origin ?? '').hostname;
  } catch {
    return '';
  }
}
