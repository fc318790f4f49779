/**
 * The built extension in Firefox ESR (MV3, the engine in the background page, ORT's asyncify WASM build):
 * auto-fill, the context-menu panel, the popup's image list, offline use and the network guard, on the
 * same pages and the same fixture model host as the Chromium suite (tests/e2e/alt-text.e2e.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { EngineStatus, PageImageReport } from '@/lib/messages';
import { launchFirefoxWithExtension, waitFor, type FirefoxExtensionBrowser } from '../support/firefox';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';
import { readPanel } from './panel';
import { readCases } from '../support/page-cases';

const PREFIX = 'Auto-generated: ';
const MODEL_ID = 'altsight-test/tiny-shapes-captioner';

/** The panel's result text (null: no panel), read in the extension's own content-script world (see ./panel.ts). */
async function panelText(ext: FirefoxExtensionBrowser, tabId: number): Promise<string | null> {
  return (await readPanel(ext, tabId))?.result ?? null;
}

/** Every frame's report for the tab (what the popup lists), for failure messages. */
async function frameReports(ext: FirefoxExtensionBrowser, tabId: number): Promise<unknown> {
  return ext.extensionPage.evaluate(async (id) => {
    const api = (globalThis as unknown as { browser: typeof chrome }).browser;
    const frames = (await api.webNavigation.getAllFrames({ tabId: id })) ?? [];
    return Promise.all(
      frames.map(async (f) => ({
        frameId: f.frameId,
        url: f.url,
        images: await api.tabs
          .sendMessage(id, { altsight: 1, to: 'page', name: 'page.report', payload: {} }, { frameId: f.frameId })
          .then((reply: { ok?: boolean; value?: { images?: unknown } }) => reply?.value?.images ?? reply)
          .catch((err: Error) => `no answer: ${err.message}`),
      })),
    );
  }, tabId);
}

describe('AltSight in Firefox ESR', () => {
  let modelHost: ModelHost;
  let site: Running;
  let otherSite: Running;
  let ext: FirefoxExtensionBrowser;
  let page: Page;
  let pageUrl: string;
  let tabId: number;

  beforeAll(async () => {
    [modelHost, site, otherSite] = await Promise.all([startModelHost(), startSite('127.0.0.1'), startSite('localhost')]);
    ext = await launchFirefoxWithExtension();
    // A temporary install has the MV3 host permissions (extensions.originControls.grantByDefault).
    expect(await ext.extensionPage.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.permissions.contains({ origins: ['<all_urls>'] }))).toBe(true);
    await ext.setSettings({
      modelHost: `${modelHost.origin}/`,
      modelId: MODEL_ID,
      backend: 'wasm',
      preferImageText: true,
      autoFillSites: [new URL(site.origin).hostname],
    });
    page = await ext.openPage(`${site.origin}/login`); // the cookie for the auth-protected image
    pageUrl = `${site.origin}/?other=${encodeURIComponent(otherSite.origin)}`;
    await page.goto(pageUrl);
    tabId = await ext.tabIdOf(pageUrl);
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site, otherSite].map((s) => s?.close()));
  });

  it('fills every image that lacks a text alternative and leaves the rest exactly as they were', async () => {
    // A captioned image whose picture changes must get a new caption.
    await waitFor('the changing image to be captioned', async () =>
      (await readCases(page)).find((c) => c.name === 'src-changes')?.attributes.alt === `${PREFIX}a red circle`,
    );
    await page.evaluate(() => (window as unknown as { changeImage(): void }).changeImage());

    let unfilled: string[] = [];
    const cases = await waitFor('every caption case to be filled', async () => {
      const all = await readCases(page);
      unfilled = all.filter((c) => c.expect.startsWith('caption:') && c.attributes['data-altsight'] !== 'generated').map((c) => c.name);
      return unfilled.length === 0 && all.length > 30 ? all : null;
    }, 180_000).catch(async (err: Error) => {
      const reports = await frameReports(ext, tabId).catch((e: Error) => e.message);
      throw new Error(`${err.message}; still without a caption: ${unfilled.join(', ')}; frames report: ${JSON.stringify(reports)}`);
    });

    const mismatches: string[] = [];
    for (const c of cases) {
      if (c.expect.startsWith('caption:')) {
        const want = `${PREFIX}${c.expect.slice('caption:'.length)}`;
        if (c.attributes.alt !== want) mismatches.push(`${c.name}: alt is "${c.attributes.alt}", want "${want}"`);
        if (c.attributes['data-altsight-model'] !== MODEL_ID) mismatches.push(`${c.name}: model marker missing`);
      } else if (c.name !== 'data-src-swap') {
        const changed = JSON.stringify(c.attributes) !== JSON.stringify(c.original);
        if (changed) mismatches.push(`${c.name}: changed from ${JSON.stringify(c.original)} to ${JSON.stringify(c.attributes)}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['in-shadow', 'in-iframe', 'added-later', 'cross-origin']));
  }, 240_000);

  it('runs the engine in the background page on WASM (threads only where the page is cross-origin isolated)', async () => {
    const status = (await ext.message<EngineStatus>('engine.status', {})).value;
    expect(status.state).toBe('ready');
    expect(status.backend).toBe('wasm');
    expect(status.modelId).toBe(MODEL_ID);
    // The threads follow isolation: SharedArrayBuffer exists only in a cross-origin isolated document.
    expect(status.threads > 1).toBe(status.crossOriginIsolated);
    const files = status.files;
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']));
    expect(files.every((f) => f.done && f.loadedBytes > 0 && f.loadedBytes === f.totalBytes)).toBe(true);
  });

  it("lists the page's images in the popup, captions and failures with their reasons", async () => {
    // The popup, opened as a tab on the page's tab (BiDi can't navigate to moz-extension:// itself).
    const { page: popup } = await ext.openExtensionPage(`/popup.html?tab=${tabId}`);
    try {
      const rows = () =>
        popup.evaluate(() => [...document.querySelectorAll('[data-testid="image-list"] li')].map((li) => li.textContent ?? ''));
      const row = async (name: string) => (await rows()).find((r) => r.includes(name)) ?? null;
      await waitFor('the popup to list the images', async () => (await rows()).length >= 10, 30_000);
      // Rows show the file name and the caption; each failure says why.
      await waitFor('a captioned row', async () => (await row('red-circle.png'))?.includes('a red circle'), 30_000);
      for (const name of ['does-not-exist.png', 'not-an-image.png', 'bomb.png', 'corrupt.jpg']) {
        expect(await waitFor(`the row for ${name}`, () => row(name), 30_000)).toMatch(/Not described: .{10,}/);
      }
      expect(await row('bomb.png')).toMatch(/too large/i);
      expect(await row('does-not-exist')).toMatch(/not found/i);
      await waitFor('the engine state', async () => (await popup.$eval('[data-testid="engine-state"]', (el) => el.textContent)) === 'Ready', 30_000);
      expect(await popup.$eval('[data-testid="engine-model"]', (el) => el.textContent)).toContain(MODEL_ID);
      // The report the list shows, as the content script gives it.
      const reports = (await frameReports(ext, tabId)) as { frameId: number; images: PageImageReport[] | string }[];
      const top = reports.find((r) => r.frameId === 0)?.images;
      expect(Array.isArray(top) && top.some((i) => i.state === 'captioned' && i.caption === 'a red circle')).toBe(true);
    } finally {
      await popup.close();
    }
  }, 90_000);

  it('captions a right-clicked image in a panel, and "Use as alt text" writes it', async () => {
    await page.bringToFront();
    await page.$eval('[data-case="author-alt"]', (el) => el.scrollIntoView({ block: 'center' }));
    // The right click tells the content script which element the menu was opened on.
    await page.click('[data-case="author-alt"]', { button: 'right' });
    const srcUrl = await page.$eval('[data-case="author-alt"]', (el) => (el as HTMLImageElement).currentSrc);
    // Headless Firefox can't click a context menu; this calls exactly what the menu item calls.
    await ext.clickImageMenuItem('altsight-caption-image', srcUrl, tabId);
    const shown = await waitFor('the panel to show a caption', async () => {
      const text = await panelText(ext, tabId);
      return text && !text.endsWith('…') ? text : null;
    }, 60_000);
    expect(shown).toBe('a red circle');
    // The page's scripts can't reach the panel's contents.
    expect(await page.evaluate(() => document.querySelector('altsight-panel')?.shadowRoot ?? null)).toBeNull();

    // Every change to the image's attributes from here on, in order, for a failure's message.
    await page.$eval('[data-case="author-alt"]', (el) => {
      const log: string[] = [];
      (window as unknown as { altLog: string[] }).altLog = log;
      new MutationObserver((records) => {
        for (const r of records) log.push(`${r.attributeName}=${JSON.stringify((r.target as Element).getAttribute(r.attributeName!))}`);
      }).observe(el, { attributes: true });
    });

    // Focus is in the panel: Tab reaches Copy, then "Use as alt text".
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const image = () => page.$eval('[data-case="author-alt"]', (el) => [el.getAttribute('alt'), el.getAttribute('data-altsight-original-alt'), el.outerHTML]);
    await waitFor('"Use as alt text" to write the alt', async () => (await image())[0] === `${PREFIX}a red circle`, 15_000);
    const [, originalAlt, html] = await image();
    const altLog = await page.evaluate(() => (window as unknown as { altLog: string[] }).altLog.join(', '));
    expect(originalAlt, `${html}; attribute changes: ${altLog}`).toBe('My favourite shape');
    await page.keyboard.press('Escape');
    await waitFor('the panel to close', async () => (await panelText(ext, tabId)) === null, 15_000);
  }, 120_000);

  it('works offline once the model is cached', async () => {
    // Drop the engine's models from memory, so the next caption loads them again: from the cache.
    await ext.message('engine.release', {});
    await modelHost.close();
    const closedAt = Date.now();
    const servedBefore = modelHost.served.length;
    const offlinePage = await ext.openPage(`${site.origin}/single.html`);
    try {
      await waitFor('the offline caption', async () => (await offlinePage.$eval('img', (el) => el.getAttribute('alt'))) === `${PREFIX}a blue square`, 60_000);
      expect(modelHost.served.length).toBe(servedBefore);
      // Nor did Firefox even try: the proxy saw no request for the model host after it closed.
      const modelOrigin = new URL(modelHost.origin).origin;
      expect(ext.guard.requests.filter((r) => r.at >= closedAt && new URL(r.url).origin === modelOrigin).map((r) => r.url)).toEqual([]);
      // And a reload still finds it filled.
      await offlinePage.reload();
      await waitFor('the caption after a reload', async () => (await offlinePage.$eval('img', (el) => el.getAttribute('alt'))) === `${PREFIX}a blue square`, 60_000);
    } finally {
      await offlinePage.close();
    }
  }, 150_000);

  // Last but one: it takes the site away from the extension for the rest of this browser's life.
  it('says in the popup when Firefox withholds every site, and offers to allow them', async () => {
    const withheld = await ext.openPage(`${site.origin}/single.html?withheld`);
    try {
      const tabId = await ext.tabIdOf(withheld.url());
      // What a user does in about:addons (or with grantByDefault off): the extension loses its host access.
      await ext.extensionPage.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.permissions.remove({ origins: ['<all_urls>'] }));
      const { page: popup } = await ext.openExtensionPage(`/popup.html?tab=${tabId}`);
      try {
        // Opened as a tab, not by a click on the toolbar button (which lends the tab's address to the
        // popup), it can't see which site the tab shows, so it speaks of the page and offers all sites.
        const notice = await waitFor('the site-access notice', () =>
          popup.evaluate(() => {
            const el = document.querySelector('[data-testid="site-access-notice"]');
            return el ? { text: (el.querySelector('p')?.textContent ?? '').trim(), buttons: [...el.querySelectorAll('button')].map((b) => (b.textContent ?? '').trim()), role: el.getAttribute('role') } : null;
          }),
        );
        expect(notice).toEqual({
          text: 'Firefox doesn’t let AltSight see this page: it can’t describe or read images here.',
          buttons: ['Allow on all sites'],
          role: 'status',
        });
      } finally {
        await popup.close();
      }
    } finally {
      await withheld.close();
    }
  }, 60_000);

  it('sent no request anywhere but the model host and the pages’ own origins', () => {
    const allowed = new Set([modelHost, site, otherSite].map((s) => new URL(s.origin).origin));
    const requests = ext.guard.requests;
    const elsewhere = requests.filter((r) => !allowed.has(new URL(r.url).origin)).map((r) => `${r.method} ${r.url} (${r.context})`);
    expect(elsewhere).toEqual([]);
    expect(ext.guard.refused).toEqual([]);
    // The guard saw the extension's own traffic (the background page's downloads), so an empty list above means something.
    const extensionOrigins = new Set(requests.filter((r) => r.fromExtension).map((r) => new URL(r.url).origin));
    expect(extensionOrigins).toContain(new URL(modelHost.origin).origin);
    expect(requests.some((r) => r.context.startsWith('page ') && r.url.startsWith(site.origin))).toBe(true);
    // Each model file was downloaded once, then always came from the cache.
    const repeated = modelHost.served.filter((path, i) => modelHost.served.indexOf(path) !== i);
    expect(repeated).toEqual([]);
    expect(modelHost.served.length).toBeGreaterThan(0);
  });
});
