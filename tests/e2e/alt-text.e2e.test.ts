/**
 * The built extension in Chromium, on the backend named by ALTSIGHT_E2E_BACKEND (wasm | webgpu):
 * auto-fill, the context-menu panel, the popup, crash recovery, offline use, and the network guard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from '../support/screenshots';
import { launchWithExtension, type E2eBackend, type ExtensionBrowser } from '../support/browser';
import { engineStatus, frameReports, panelText, setSettings, tabIdOf, waitFor, clickImageMenuItem } from './extension';
import { ROOT, SLOW_IMAGE_DELAY_MS, startModelHost, startSite, type ModelHost, type Running } from '../support/servers';
import { readCases } from '../support/page-cases';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
const PREFIX = 'Auto-generated: ';
const MODEL_ID = 'altsight-test/tiny-shapes-captioner';

describe(`AltSight in Chromium (${BACKEND})`, () => {
  let modelHost: ModelHost;
  let site: Running;
  let otherSite: Running;
  let ext: ExtensionBrowser;
  let page: Page;
  let pageUrl: string;

  beforeAll(async () => {
    [modelHost, site, otherSite] = await Promise.all([startModelHost(), startSite('127.0.0.1'), startSite('localhost')]);
    ext = await launchWithExtension({ backend: BACKEND });
    await setSettings(ext.serviceWorker, {
      modelHost: `${modelHost.origin}/`,
      modelId: MODEL_ID,
      // SwiftShader is a software adapter, which automatic choice passes over for WASM: the WebGPU run
      // forces WebGPU. Reading image text there would take minutes per image on the emulated GPU, and
      // the "Image text:" path is covered by ocr.e2e.test.ts, so that run captions only.
      backend: BACKEND,
      preferImageText: BACKEND === 'wasm',
      autoFillSites: [new URL(site.origin).hostname],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    page = await ext.context.newPage();
    await page.goto(`${site.origin}/login`); // the cookie for the auth-protected image
    pageUrl = `${site.origin}/?other=${encodeURIComponent(otherSite.origin)}`;
    await page.goto(pageUrl);
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
      const reports = await frameReports(ext.serviceWorker, await tabIdOf(ext.serviceWorker, pageUrl)).catch((e: Error) => e.message);
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

  it('reports images it could not read, with a reason, in the popup', async () => {
    const tabId = await tabIdOf(ext.serviceWorker, pageUrl);
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    const list = popup.getByTestId('image-list');
    // Rows show the file name; each of these failed for its own reason, so each row says it.
    for (const name of ['does-not-exist.png', 'not-an-image.png', 'bomb.png', 'corrupt.jpg']) {
      const item = list.locator('li', { hasText: name });
      await item.waitFor({ timeout: 30_000 });
      await expect.poll(() => item.textContent()).toMatch(/Not described: .{10,}/);
    }
    await expect.poll(() => list.locator('li', { hasText: 'bomb.png' }).textContent()).toMatch(/too large/i);
    await expect.poll(() => list.locator('li', { hasText: 'does-not-exist' }).textContent()).toMatch(/not found/i);
    await popup.close();
  }, 60_000);

  it('shows the engine state in the popup, copies a caption, and undoes all generated alt text by keyboard', async () => {
    const tabId = await tabIdOf(ext.serviceWorker, pageUrl);
    const popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 420, height: 640 });
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);

    await expect.poll(() => popup.getByTestId('engine-state').textContent()).toBe('Ready');
    const status = await engineStatus(popup);
    if (BACKEND === 'webgpu') {
      expect(status.backend).toBe('webgpu');
      await expect.poll(() => popup.getByTestId('engine-backend').textContent()).toBe('WebGPU');
    } else {
      expect(status.backend).toBe('wasm');
      expect(status.crossOriginIsolated).toBe(true); // threads need it
      expect(status.threads).toBeGreaterThan(1);
      await expect.poll(() => popup.getByTestId('engine-backend').textContent()).toMatch(/^WASM \(\d+ threads\)$/);
    }
    await expect.poll(() => popup.getByTestId('engine-model').textContent()).toContain(MODEL_ID);
    // Per-file download progress reached the popup, file by file, to completion.
    const files = (await engineStatus(popup)).files;
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']));
    expect(files.every((f) => f.done && f.loadedBytes > 0 && f.loadedBytes === f.totalBytes)).toBe(true);

    const copy = popup.getByRole('button', { name: 'Copy “a red circle”' }).first();
    await copy.focus();
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.evaluate(() => navigator.clipboard.readText())).toBe('a red circle');
    if (BACKEND === 'wasm') await popup.screenshot({ path: join(SCREENSHOTS, 'popup.png') });

    await popup.getByRole('button', { name: 'Undo generated alt text' }).focus();
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.getByTestId('popup-message').textContent()).toMatch(/^Removed \d+ generated alt texts?\.$/);
    const after = await readCases(page);
    const leftovers = after.filter((c) => c.attributes['data-altsight'] || (c.original && c.attributes.alt !== c.original.alt && c.name !== 'data-src-swap'));
    expect(leftovers.map((c) => c.name)).toEqual([]);
    expect(after.find((c) => c.name === 'filename-alt')?.attributes.alt).toBe('IMG_1234.jpg');
    await popup.close();
  }, 60_000);

  it('captions a right-clicked image in a panel with Copy and "Use as alt text"', async () => {
    const image = page.locator('[data-case="author-alt"]');
    await image.scrollIntoViewIfNeeded();
    await image.click({ button: 'right' });
    const srcUrl = await image.evaluate((el) => (el as HTMLImageElement).currentSrc);
    const tabId = await tabIdOf(ext.serviceWorker, pageUrl);
    // Headless Chromium can't click a context menu; this calls exactly what the menu item calls.
    await clickImageMenuItem(ext.serviceWorker, 'altsight-caption-image', srcUrl, tabId);
    await expect.poll(() => panelText(ext.context, page), { timeout: 30_000 }).toBe('a red circle');
    // The page's scripts can't reach the panel's contents.
    expect(await page.evaluate(() => document.querySelector('altsight-panel')?.shadowRoot ?? null)).toBeNull();
    if (BACKEND === 'wasm') await page.screenshot({ path: join(SCREENSHOTS, 'panel.png') });

    // Focus is in the panel: Tab reaches Copy, then "Use as alt text".
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('a red circle');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => image.getAttribute('alt')).toBe(`${PREFIX}a red circle`);
    expect(await image.getAttribute('data-altsight-original-alt')).toBe('My favourite shape');
    await page.keyboard.press('Escape');
    await expect.poll(() => panelText(ext.context, page)).toBeNull();
  }, 60_000);

  it('recreates a crashed engine host and retries the job', async () => {
    const slowPage = await ext.context.newPage();
    await slowPage.goto(`${site.origin}/slow.html`);
    const slowRequests = () => ext.guard.requests.filter((r) => r.url.includes('/slow/') && r.fromExtension).length;
    await waitFor('the engine to start fetching the slow image', async () => slowRequests() >= 1, 30_000);
    await ext.serviceWorker.evaluate(() => chrome.offscreen.closeDocument()); // the host dies mid-job
    await expect
      .poll(() => slowPage.locator('img').getAttribute('alt'), { timeout: 60_000 })
      .toBe(`${PREFIX}a red circle`);
    expect(slowRequests()).toBe(2);
    await slowPage.close();
  }, 90_000);

  it('drops the work of a page the tab navigates away from, queued or in flight', async () => {
    const tab = await ext.context.newPage();
    const statusPage = await ext.context.newPage();
    await statusPage.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await tab.goto(`${site.origin}/slow-many.html`);
    const engineFetches = () => ext.guard.requests.filter((r) => r.url.includes('/slow/red-circle.png?n=') && r.fromExtension).length;
    await waitFor('the engine to start on the slow images', async () => engineFetches() >= 1, 30_000);
    const runsBefore = (await engineStatus(statusPage)).modelRuns;
    await tab.goto(`${site.origin}/single.html`);
    await expect.poll(() => tab.locator('img').getAttribute('alt'), { timeout: 60_000 }).toBe(`${PREFIX}a blue square`);
    // Had the old page's jobs survived, their images would arrive (after SLOW_IMAGE_DELAY_MS) and run the model.
    await new Promise((r) => setTimeout(r, SLOW_IMAGE_DELAY_MS + 2000));
    // The new page's one image: a caption, or ("describe") a text read and then a caption.
    expect((await engineStatus(statusPage)).modelRuns - runsBefore).toBeLessThanOrEqual(2);
    expect(engineFetches()).toBeLessThan(5); // those never requested or still queued were never fetched
    await Promise.all([tab.close(), statusPage.close()]);
  }, 90_000);

  it('frees the engine host after the idle time and brings it back for the next job', async () => {
    const hostOpen = () =>
      ext.serviceWorker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length > 0);
    await setSettings(ext.serviceWorker, { releaseEngineAfterIdleSeconds: 2 });
    const tab = await ext.context.newPage();
    try {
      await tab.goto(`${site.origin}/single.html`);
      await expect.poll(() => tab.locator('img').getAttribute('alt'), { timeout: 60_000 }).toBe(`${PREFIX}a blue square`);
      await expect.poll(hostOpen, { timeout: 30_000 }).toBe(false);
      await tab.reload();
      await expect.poll(() => tab.locator('img').getAttribute('alt'), { timeout: 60_000 }).toBe(`${PREFIX}a blue square`);
      expect(await hostOpen()).toBe(true);
    } finally {
      await setSettings(ext.serviceWorker, { releaseEngineAfterIdleSeconds: 300 });
      await tab.close();
    }
  }, 150_000);

  it('works offline once the model is cached', async () => {
    await ext.serviceWorker.evaluate(() => chrome.offscreen.closeDocument().catch(() => undefined));
    await modelHost.close();
    const servedBefore = modelHost.served.length;
    const offlinePage = await ext.context.newPage();
    await offlinePage.goto(`${site.origin}/single.html`);
    await expect
      .poll(() => offlinePage.locator('img').getAttribute('alt'), { timeout: 60_000 })
      .toBe(`${PREFIX}a blue square`);
    expect(modelHost.served.length).toBe(servedBefore);
    await offlinePage.close();
  }, 90_000);

  it('sent no request anywhere but the model host and the pages’ own origins', () => {
    const allowed = new Set([modelHost, site, otherSite].map((s) => new URL(s.origin).origin));
    const elsewhere = ext.guard.requests.filter((r) => !allowed.has(new URL(r.url).origin));
    expect(elsewhere).toEqual([]);
    // The guard saw the extension's own traffic, so an empty list above means something.
    const extensionOrigins = new Set(ext.guard.requests.filter((r) => r.fromExtension).map((r) => new URL(r.url).origin));
    expect(extensionOrigins).toContain(new URL(modelHost.origin).origin);
    expect(ext.guard.requests.some((r) => r.context.includes('/offscreen.html'))).toBe(true);
    // Each model file was downloaded once, then always came from the cache.
    const repeated = modelHost.served.filter((path, i) => modelHost.served.indexOf(path) !== i);
    expect(repeated).toEqual([]);
    expect(modelHost.served.length).toBeGreaterThan(0);
  });
});
