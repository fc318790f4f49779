/**
 * Trust in Firefox ESR, the rest of tests/e2e/trust.e2e.test.ts: a frame is auto-filled by its own
 * origin's setting, an image whose src churns costs a bounded number of model runs, a page of 200 framed
 * images doesn't starve another tab, corrupted settings fall back to defaults (and the popup says so), and
 * a content script is refused what only the background, the engine host or the top frame may ask for.
 *
 * As in ./trust.firefox.test.ts, news.example (auto-fill on), bank.example (the reader is signed in) and
 * cdn.example are loopback servers the recording proxy reaches under those names. Messages "from a content
 * script" are sent from the extension's content-script world of the frame (browser.scripting), which the
 * browser reports with the same sender as our content script's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import type { EngineStatus } from '@/lib/messages';
import { launchFirefoxOnTrustSites, waitFor, waitForSteady, type FirefoxExtensionBrowser, type FirefoxOnTrustSites } from '../support/firefox';
import { CORRUPTED_SETTINGS, forbiddenContentScriptMessages, type LoggedRequest, type ModelHost, type TrustSites } from '../support/servers';
import {
  expectTopFrameRefusals,
  framedImagesBeforeAnotherTab,
  refusalReason,
  refused,
  singleImagePage,
  type ContentScriptReply,
} from '../support/trust-scenarios';

const PREFIX = 'Auto-generated: ';
const FETCH_TIMEOUT_S = 15;

describe('Trust limits in Firefox ESR', () => {
  let setup: FirefoxOnTrustSites;
  let modelHost: ModelHost;
  let sites: TrustSites;
  let ext: FirefoxExtensionBrowser;

  const news = (path: string) => `${sites.news.origin}${path}`;
  const cdn = (path: string) => `${sites.cdn.origin}${path}`;

  const altOf = (target: Page | Frame, selector: string) => target.$eval(selector, (el) => el.getAttribute('alt'));
  const waitForAlt = (target: Page | Frame, selector: string, caption: string, timeoutMs = 90_000) =>
    waitFor(`${selector} in ${target.url()} to get "${PREFIX}${caption}"`, async () => (await altOf(target, selector)) === `${PREFIX}${caption}`, timeoutMs);

  /** The frame of `page` whose URL contains `urlPart` (puppeteer reaches cross-origin frames over BiDi too). */
  function frameOf(page: Page, urlPart: string): Frame {
    const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().includes(urlPart));
    if (!frame) throw new Error(`no frame with "${urlPart}" in ${page.url()}: ${page.frames().map((f) => f.url()).join(', ')}`);
    return frame;
  }

  async function closeAll(...pages: (Page | undefined)[]): Promise<void> {
    await Promise.all(pages.map((p) => p?.close().catch(() => undefined)));
  }

  /** The popup, opened as a tab for `page`'s tab. */
  async function popupFor(page: Page): Promise<Page> {
    const tabId = await ext.tabIdOf(page.url());
    return (await ext.openExtensionPage(`/popup.html?tab=${tabId}`)).page;
  }

  /** The names the popup's image list shows (each test page gives its images distinct file names). */
  const listedNames = (popup: Page) =>
    popup.evaluate(() => [...document.querySelectorAll('[data-testid="image-list"] [data-testid="image-name"]')].map((el) => (el.textContent ?? '').trim()));
  const fileName = (imageUrl: string) => new URL(imageUrl).pathname.split('/').pop()!;
  const isListed = async (popup: Page, imageUrl: string) => (await listedNames(popup)).includes(fileName(imageUrl));

  async function engineStatus(): Promise<EngineStatus> {
    const reply = await ext.message<EngineStatus>('engine.status', {});
    if (!reply.ok) throw new Error(`engine.status failed: ${JSON.stringify(reply)}`);
    return reply.value;
  }

  async function modelRuns(): Promise<number> {
    const status = await engineStatus();
    if (typeof status.modelRuns !== 'number') throw new Error(`engine status has no modelRuns: ${JSON.stringify(status)}`);
    return status.modelRuns;
  }

  /** Requests the extension's own contexts (the background page's engine) made, as the proxy saw them. */
  const extensionFetches = (urlPart: string) => ext.guard.requests.filter((r) => r.fromExtension && r.url.includes(urlPart));
  const logged = (site: { requests: LoggedRequest[] }, pathPart: string) => site.requests.filter((r) => r.path.includes(pathPart));

  /** The frame id (webNavigation's) of the frame of `tabId` whose URL contains `urlPart`. */
  function frameIdOf(tabId: number, urlPart: string): Promise<number> {
    return ext.extensionPage.evaluate(
      async (tab, part) => {
        const frames = (await (globalThis as unknown as { browser: typeof chrome }).browser.webNavigation.getAllFrames({ tabId: tab })) ?? [];
        const frame = frames.find((f) => f.frameId !== 0 && f.url.includes(part));
        if (!frame) throw new Error(`no frame with "${part}" in tab ${tab}: ${frames.map((f) => f.url).join(', ')}`);
        return frame.frameId;
      },
      tabId,
      urlPart,
    );
  }

  /** Sends a message from the extension's content-script world of a tab's frame (the top frame by default). */
  function sendFromContentScript(tabId: number, message: object, frameId = 0): Promise<ContentScriptReply> {
    return ext.inContentScript(
      tabId,
      async (m: object) => {
        try {
          const runtime = (globalThis as unknown as { browser: typeof chrome }).browser.runtime;
          return { reply: (await runtime.sendMessage(m)) ?? null };
        } catch (e) {
          return { error: String((e as Error)?.message ?? e) };
        }
      },
      [message],
      frameId,
    );
  }

  const tabOf = (tabId: number) =>
    ext.extensionPage.evaluate(async (tab) => {
      const { active, status } = await (globalThis as unknown as { browser: typeof chrome }).browser.tabs.get(tab);
      return { active, status };
    }, tabId);
  const isTabActive = async (tabId: number) => (await tabOf(tabId)).active;
  const tabStatus = async (tabId: number) => (await tabOf(tabId)).status;

  beforeAll(async () => {
    setup = await launchFirefoxOnTrustSites(FETCH_TIMEOUT_S);
    ({ modelHost, sites, ext } = setup);
    // Load the model once, so each test below measures behaviour, not the first download.
    const warm = await ext.openPage(news('/trust/warm.html'));
    await waitForAlt(warm, 'img', 'a black circle', 110_000).catch((err) => console.warn(`warm-up: ${String(err)}`));
    await warm.close();
  }, 180_000);

  afterAll(() => setup?.close());

  it('auto-fills a frame by its own origin’s setting, not the top page’s', async () => {
    // news.example (on) embeds cdn.example (off); cdn.example embeds news.example.
    const onTop = await ext.openPage(news('/trust/frames-top-news.html'));
    const offTop = await ext.openPage(cdn('/trust/frames-top-cdn.html'));
    const popups: Page[] = [];
    try {
      await waitForAlt(onTop, '[data-case="news-top"]', 'a orange square');
      await waitForAlt(frameOf(offTop, 'news-frame'), 'img', 'a red circle');

      // By now both pages' content scripts have looked at every image: the cdn.example ones were left alone.
      popups.push(await popupFor(onTop), await popupFor(offTop));
      const [onPopup, offPopup] = popups as [Page, Page];
      await waitFor('the news.example page’s image in its popup', () => isListed(onPopup, news('/images/orange-square.png')), 30_000);
      await waitFor('the news.example frame’s image in the cdn.example page’s popup', () => isListed(offPopup, news('/images/red-circle.png')), 30_000);
      expect(await isListed(onPopup, cdn('/images/purple-triangle.png')), 'the cdn.example frame’s image is not listed').toBe(false);
      expect(await isListed(offPopup, cdn('/images/blue-square.jpg')), 'the cdn.example page’s image is not listed').toBe(false);
      expect(await altOf(frameOf(onTop, 'cdn-frame'), 'img')).toBeNull();
      expect(await altOf(offTop, '[data-case="cdn-top"]')).toBeNull();
      expect(extensionFetches('cdn-frame').length + extensionFetches('cdn-top').length).toBe(0);
      expect(logged(sites.cdn, '?cdn-').filter((r) => r.fromExtension)).toEqual([]);
    } finally {
      await closeAll(...popups, onTop, offTop);
    }
  }, 120_000);

  it('spends a bounded number of model runs on an image whose src changes every 100 ms, and captions the last one', async () => {
    const before = await modelRuns();
    const page = await ext.openPage(news('/trust/churn.html'));
    try {
      await waitFor('the page to finish changing its image', () => page.evaluate(() => document.body.dataset.done === '1'), 60_000);
      expect(await page.evaluate(() => Number(document.body.dataset.changes))).toBe(101);
      await waitForAlt(page, '#churn', 'a blue square');
      // Let late work land: two readings of the run counter 2 s apart that agree.
      const runs = await waitForSteady('the engine to settle', modelRuns, 2000, 60_000);
      expect(await altOf(page, '#churn'), 'no stale caption overwrote the final one').toBe(`${PREFIX}a blue square`);
      expect(await page.$eval('#churn', (el) => el.getAttribute('data-altsight-src'))).toBe(news('/images/blue-square.jpg?churn-final'));
      const spent = runs - before;
      console.info(`src churn: ${spent} model runs for 101 src values`);
      expect(spent).toBeGreaterThanOrEqual(1);
      expect(spent, 'model runs for 101 src values').toBeLessThanOrEqual(20);
    } finally {
      await closeAll(page);
    }
  }, 120_000);

  it('does not let a page of 200 framed images starve another tab', async () => {
    const done = await framedImagesBeforeAnotherTab(sites, { open: (url: string) => ext.openPage(url), waitForAlt });
    console.info(`fairness: ${done} of 200 framed images were captioned when the other tab's image was`);
    expect(done, 'framed images captioned before the other tab’s one').toBeLessThan(200);
  }, 240_000);

  it('survives corrupted settings: jobs run on defaults and the popup says settings were reset', async () => {
    // Every key invalid but autoFillEverywhere (on), which makes auto-fill run on cdn.example below.
    await ext.setSettings(CORRUPTED_SETTINGS);
    const page = await ext.openPage(singleImagePage(sites.cdn.origin, '/images/blue-square.jpg?settings'));
    let popup: Page | undefined;
    try {
      // Default prefix, default everything else: the job still runs.
      await waitForAlt(page, 'img', 'a blue square');
      popup = await popupFor(page);
      const notice = await waitFor(
        'the popup’s settings notice',
        () => popup!.evaluate(() => document.querySelector('[data-testid="settings-notice"]')?.textContent ?? null),
        30_000,
      );
      expect(notice).toMatch(/reset|default/i);
    } finally {
      await closeAll(popup, page);
      await ext.extensionPage.evaluate((keys) => (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.remove(keys), Object.keys(CORRUPTED_SETTINGS));
      await ext.setSettings(setup.settings);
    }
  }, 120_000);

  it('refuses what a content script may not ask for', async () => {
    const page = await ext.openPage(news('/trust/messages.html'));
    let otherTabId: number | undefined;
    try {
      await waitForAlt(page, '[data-case="top"]', 'a purple triangle');
      await waitForAlt(frameOf(page, '/trust/framed.html'), 'img', 'a orange square');
      // Firefox's engine host is the background page itself: "there" means its models are loaded.
      expect((await engineStatus()).state).toBe('ready');
      const before = await modelRuns();
      const tabId = await ext.tabIdOf(page.url());
      const childFrameId = await frameIdOf(tabId, '/trust/framed.html');
      const forbidden = forbiddenContentScriptMessages(sites, { modelHostOrigin: modelHost.origin, backend: 'wasm' });

      // 1–3. A well-formed engine.run straight to the engine, a forged requester, a claimed "the user asked",
      // and "the engine is idle": each refused, for the right reason.
      await expectTopFrameRefusals((message) => sendFromContentScript(tabId, message), forbidden);
      expect((await engineStatus()).state, 'the engine still has its models').toBe('ready');

      // 4. A screenshot of the tab, asked from inside a frame.
      const fromFrame = await sendFromContentScript(tabId, forbidden.regionCapture, childFrameId);
      expect(refused(fromFrame), `region.capture from a frame: ${JSON.stringify(fromFrame).slice(0, 300)}`).toBe(true);
      expect(refusalReason(fromFrame)).toMatch(/not accepted/);

      // 5. …and from a tab the reader is not looking at, while another site is on screen in its window.
      otherTabId = await ext.extensionPage.evaluate(async (tab, url) => {
        const tabs = (globalThis as unknown as { browser: typeof chrome }).browser.tabs;
        return (await tabs.create({ windowId: (await tabs.get(tab)).windowId, url, active: true })).id!;
      }, tabId, singleImagePage(sites.bank.origin, '/images/red-circle.png?on-screen'));
      await waitFor('the bank.example tab to load', () => tabStatus(otherTabId!).then((s) => s === 'complete'), 30_000);
      expect(await isTabActive(tabId), 'the news tab is not the one on screen').toBe(false);
      const fromBackgroundTab = await sendFromContentScript(tabId, forbidden.regionCapture);
      expect(refused(fromBackgroundTab), `region.capture from an inactive tab: ${JSON.stringify(fromBackgroundTab).slice(0, 300)}`).toBe(true);
      expect(refusalReason(fromBackgroundTab)).toBe('capture-refused');

      // Nothing ran, and nothing was fetched for any of it.
      expect(await modelRuns()).toBe(before);
      expect(logged(sites.cdn, '?forged-run')).toEqual([]);
      expect(logged(sites.bank, '?forged-requester').filter((r) => r.cookie)).toEqual([]);
      // The top frame's own capture, while it is the tab on screen, still works: the refusals above are about who asks.
      await page.bringToFront();
      await waitFor('the news tab to be active again', () => isTabActive(tabId), 10_000);
      const fromActiveTop = await sendFromContentScript(tabId, forbidden.regionCapture);
      expect(fromActiveTop.reply?.ok === true && fromActiveTop.reply.value?.ok === true, `region.capture from the active tab: ${JSON.stringify(fromActiveTop).slice(0, 300)}`).toBe(true);
    } finally {
      if (otherTabId !== undefined) await ext.extensionPage.evaluate((tab) => (globalThis as unknown as { browser: typeof chrome }).browser.tabs.remove(tab), otherTabId);
      await closeAll(page);
    }
  }, 120_000);
});
