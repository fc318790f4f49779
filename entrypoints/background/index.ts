// Routing, context menus, tab capture and the engine host's lifecycle. The work itself lives in lib/.
import { browser } from 'wxt/browser';
import { failure, jobKey, type AskJob, type EngineJob, type ImageSource } from '@/lib/engine/jobs';
import { JobQueue } from '@/lib/engine/queue';
import { runWithOneRetry } from '@/lib/engine/retry';
import { IDLE_ENGINE_STATUS } from '@/lib/engine/status';
import { t } from '@/lib/i18n';
import { UserAskedGrants } from '@/lib/engine/user-asked';
import { PendingCaptures } from '@/lib/pending-captures';
import { isAutoFillOn, readEngineConfig, readSettings, repairStoredSettings, watchSettings } from '@/lib/settings';
import { listen, sendToPage } from '@/lib/transport';
import { captureRegion } from './capture';
import { registerCommands } from './commands';
import { openOnboardingOnInstall } from './onboarding';
import { sendToPageInjecting } from '@/lib/inject';
import { callEngine, engineJobLink, type EngineAccess, type QueuedEngineJob } from './engine-access';
import { offscreenEngine } from './offscreen-host';
import { pageEngine } from './page-engine';

const MENU = { caption: 'altsight-caption-image', readText: 'altsight-read-image-text', ask: 'altsight-ask-about-image' } as const;

export default defineBackground(() => {
  // Registered in the worker's first turn, or the install event is missed.
  openOnboardingOnInstall();
  let modelRuns = 0;
  // Chrome: an offscreen document, created on demand. Firefox: this background page (it has a document).
  const engine: EngineAccess = import.meta.env.FIREFOX
    ? pageEngine({
        onAnswerText: (jobId, text) => void link.answerProgress(jobId, text),
        onIdle: () => void (queue.isEmpty && engine.discard()),
      })
    : offscreenEngine;
  const link = engineJobLink(engine, (calls) => (modelRuns += calls));
  const queue = new JobQueue<QueuedEngineJob>({
    process: (queued, _key, signal) => runWithOneRetry(queued, link, signal),
  });
  const captures = new PendingCaptures(browser.storage.session);
  void captures.forget(); // those that expired while no background ran
  /**
   * Cold start: loading the captioner from the cache and ORT's first run take longer than a warm caption,
   * so they are done as soon as a caption is likely (auto-fill on for a page, the popup opened, an image right-clicked) and kept
   * while the idle timer allows. Only a cached model is loaded: warming never downloads.
   */
  let warming: Promise<unknown> | null = null;
  const warmEngine = (): boolean => {
    if (warming) return false;
    warming = readEngineConfig()
      .then((config) => callEngine(engine, 'engine.preload', { config, onlyIfCached: true }))
      .catch(() => undefined)
      .finally(() => (warming = null));
    return true;
  };
  /** Images the user asked about through the menu: their cookies may go along for that one read. */
  const userAsked = new UserAskedGrants(browser.storage.session);

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
      const asked = priority === 'user' && job.source.kind === 'url' && (await userAsked.has(tabId, frameId, job.source.url));
      const requester = { frameOrigin: sender.origin ?? 'null', userAsked: asked };
      // Only a request the user made may jump the line.
      const queuedPriority = priority === 'user' && !asked && job.source.kind === 'url' ? 'visible' : priority;
      return enqueue({ ...job, requester }, queuedPriority, tabId, frameId, requestId, sender.documentId);
    },
    'ask.request': async ({ target, history, question, requestId }, sender) => {
      const { tabId, frameId } = sender;
      if (tabId === undefined || frameId === undefined) return failure('unsupported-source', t('failureRequestsFromTab'));
      let source: ImageSource;
      if (target.kind === 'capture') {
        // Captures are the top frame's: a frame inside the page never gets to read them.
        const pngDataUrl = frameId === 0 ? await captures.read(tabId, target.captureId) : null;
        if (!pngDataUrl) return failure('empty-selection', t('failureSelectionGone'));
        source = { kind: 'pixels', pngDataUrl, originalUrl: `capture:${target.captureId}` };
      } else source = target.source;
      // As for the panel's caption: the user's cookies go along only for the image they asked about.
      const asked = source.kind === 'pixels' || (await userAsked.has(tabId, frameId, source.url));
      const job: AskJob = { kind: 'ask', source, history, question, requester: { frameOrigin: sender.origin ?? 'null', userAsked: asked } };
      const onAnswerText = (text: string) => void sendToPage(tabId, 'page.answerProgress', { requestId, text }, frameId).catch(() => undefined);
      // Every question is its own job: two frames asking the same words about the same image still converse apart.
      return queue.enqueue(`ask ${tabId} ${frameId} ${requestId}`, { job, priority: 'user', onAnswerText }, 'user', { tabId, frameId, requestId, documentId: sender.documentId });
    },
    'popup.askAboutImage': async ({ tabId, frameId, imageUrl }) => {
      // The reader picked this image in our popup: the same grant as the context menu's.
      await userAsked.grant(tabId, frameId, imageUrl);
      return sendToPageInjecting(tabId, 'page.showPanel', { srcUrl: imageUrl, kind: 'ask' }, frameId).catch(() => ({ shown: false }));
    },
    'ask.modelState': async () => callEngine(engine, 'engine.chatModelState', { config: await readEngineConfig() }),
    'engine.answerProgress': async ({ jobId, text }) => ({ delivered: link.answerProgress(jobId, text) }),
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
      return { ok: true as const, captureId: await captures.keep(tabId, captured.pngDataUrl) };
    },
    'region.read': async ({ captureId, kind }, sender) => {
      const pngDataUrl = sender.tabId === undefined ? null : await captures.read(sender.tabId, captureId);
      if (!pngDataUrl) return failure('empty-selection', t('failureSelectionGone'));
      const source = { kind: 'pixels' as const, pngDataUrl, originalUrl: `capture:${captureId}` };
      const job: EngineJob = { kind, source, requester: { frameOrigin: sender.origin ?? 'null', userAsked: true } };
      return enqueue(job, 'user', sender.tabId!, 0, crypto.randomUUID());
    },
    'autofill.config': async (_req, sender) => {
      const s = await readSettings();
      const on = isAutoFillOn(s.autoFillEverywhere, s.autoFillSites, hostnameOf(sender.origin));
      // A page that auto-fills will ask for captions in a moment: have the captioner ready by then.
      if (on) warmEngine();
      return {
        on,
        altPrefix: s.altPrefix,
        jobKind: s.preferImageText ? ('describe' as const) : ('caption' as const),
      };
    },
    // Copied by our own engine document, never through a page's DOM.
    'clipboard.write': async ({ text }) => callEngine(engine, 'engine.clipboard', { text }),
    'engine.status': async () => ({
      ...((await engine.isRunning()) ? await engine.send('engine.status', {}).catch(() => IDLE_ENGINE_STATUS) : IDLE_ENGINE_STATUS),
      modelRuns,
    }),
    'models.download': async () => callEngine(engine, 'engine.preload', { config: await readEngineConfig() }),
    'engine.warm': async () => ({ warming: warmEngine() }),
    'models.cancelDownload': async () => ((await engine.isRunning()) ? engine.send('engine.cancelLoad', {}) : { cancelled: false }),
    'engine.release': async () => {
      await engine.discard();
      return { released: true };
    },
    // A job that slips in while the host closes finds it gone and recreates it (runWithOneRetry).
    'engine.idle': async () => {
      if (!queue.isEmpty) return { released: false };
      await engine.discard();
      return { released: true };
    },
    // Jobs in flight on the stuck host see it vanish and are retried on a new one.
    'engine.stuck': async () => {
      await engine.discard();
      return { recycled: true };
    },
  });

  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: MENU.caption, title: t('menuCaptionImage'), contexts: ['image'] });
    browser.contextMenus.create({ id: MENU.readText, title: t('menuReadImageText'), contexts: ['image'] });
    browser.contextMenus.create({ id: MENU.ask, title: t('menuAskAboutImage'), contexts: ['image'] });
  });

  async function onMenuClicked(info: { menuItemId: string | number; srcUrl?: string; frameId?: number }, tab?: { id?: number }) {
    const kinds = { [MENU.caption]: 'caption', [MENU.readText]: 'read-text', [MENU.ask]: 'ask' } as const;
    const kind = kinds[info.menuItemId as keyof typeof kinds] ?? null;
    if (!kind || tab?.id === undefined || !info.srcUrl) return;
    const frameId = info.frameId ?? 0;
    await userAsked.grant(tab.id, frameId, info.srcUrl);
    await sendToPageInjecting(tab.id, 'page.showPanel', { srcUrl: info.srcUrl, kind }, frameId);
  }
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClicked(info, tab));
  // Test builds only: the e2e tests call exactly what the menu calls (menus can't be clicked headless).
  if (import.meta.env.ALTSIGHT_TEST) Object.assign(globalThis, { altsight: { onMenuClicked } });
  // Keyboard commands (manifest `commands`); a panel opened by one counts as asked for, like the menu's.
  registerCommands({ grantUserAsked: (tabId, frameId, url) => userAsked.grant(tabId, frameId, url) });

  // Work for a page that's gone is wasted: drop it when the tab closes or a frame loads a new document.
  browser.tabs.onRemoved.addListener((tabId) => {
    queue.cancelTab(tabId);
    void captures.forget({ tabId });
  });
  browser.webNavigation.onCommitted.addListener((details) => {
    // Chrome 106+ names the committed document; older browsers cancel the whole frame's work as before.
    const { tabId, frameId, documentId, timeStamp } = details as typeof details & { documentId?: string };
    // A new page in the tab: everything asked before it committed is the old page's (its frames included).
    if (frameId === 0) queue.cancelTab(tabId, timeStamp);
    else queue.cancelFrame(tabId, frameId, documentId, timeStamp);
  });
});

function hostnameOf(origin: string | undefined): string {
  try {
    return new URL(origin ?? '').hostname;
  } catch {
    return '';
  }
}
