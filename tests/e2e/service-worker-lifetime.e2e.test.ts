/**
 * Chrome stops an extension's service worker 30 s after its last extension event or API call, and a
 * content script's request waiting on a port doesn't count. An auto-fill caption that took longer on the
 * engine's side (here: the engine's copy of the image arrives after 40 s, while the page's own loaded at
 * once) used to die with the worker at 30 s, and the image stayed without alt. The background now keeps
 * itself awake while it waits on the engine host (lib/engine/keep-alive.ts).
 *
 * The same stop used to take the captures of selected regions with it: a reader who looked at the text
 * for half a minute, then asked for handwriting or a question about the selection, was told to select
 * again. They are kept in session storage now (lib/pending-captures.ts).
 *
 * Run in a Chromium with no DevTools session on the worker (support/bare-chromium.ts): an inspected
 * worker is never stopped, so the Playwright launches of the other tests can't see this. No extension
 * page stays open either: our pages poll the engine, and each message resets the timer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2eBackend } from '../support/browser';
import { launchBareChromium, type BareExtensionBrowser } from '../support/bare-chromium';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
/** Chrome's fixed idle timeout for extension service workers. */
const WORKER_IDLE_TIMEOUT_MS = 30_000;
const ENGINE_COPY_DELAY_MS = 40_000;

describe(`Chrome's service worker through a long job (${BACKEND})`, () => {
  let modelHost: ModelHost;
  let site: Running;
  let chromium: BareExtensionBrowser;

  beforeAll(async () => {
    [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
    chromium = await launchBareChromium(BACKEND);
    const settingsPage = await chromium.openPage(`chrome-extension://${chromium.extensionId}/ocr-glyphs/classes.json`);
    const settings = {
      modelHost: `${modelHost.origin}/`,
      modelId: 'altsight-test/tiny-shapes-captioner',
      backend: BACKEND,
      preferImageText: false,
      autoFillEverywhere: true,
      imageFetchTimeoutSeconds: 90,
    };
    await settingsPage.evaluate(`chrome.storage.local.set(${JSON.stringify(settings)})`);
    await settingsPage.close();
    // The welcome page opens on install: wait for it, then close it (and any other extension page). Left
    // to open later, it would also hide the test's tab, where auto-fill waits until images are seen.
    const deadline = Date.now() + 30_000;
    while (!(await chromium.extensionPages()).some((url) => url.includes('/onboarding.html'))) {
      if (Date.now() > deadline) throw new Error('the welcome page never opened');
      await new Promise((r) => setTimeout(r, 200));
    }
    await chromium.closeExtensionPages();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  it('answers an auto-fill caption that takes longer than the idle timeout', async () => {
    const page = await chromium.openPage(`${site.origin}/generated/slow-copy.html?delayMs=${ENGINE_COPY_DELAY_MS}`);
    const started = Date.now();
    const alt = await page.evaluate<string | null>(`new Promise((resolve) => {
      const img = document.querySelector('img');
      const done = () => img.hasAttribute('data-altsight') && resolve(img.getAttribute('alt'));
      new MutationObserver(done).observe(img, { attributes: true });
      setTimeout(() => resolve(null), 90000);
    })`);
    expect(Date.now() - started).toBeGreaterThan(WORKER_IDLE_TIMEOUT_MS);
    expect(alt ?? `no caption within 90 s; the page reports ${await pageReport(page.url)}`).toContain('a red circle');
    await page.close();
  }, 120_000);

  /** What the popup would show for the tab at `url`: each image's state and reason. */
  async function pageReport(url: string): Promise<string> {
    const extensionPage = await chromium.openPage(`chrome-extension://${chromium.extensionId}/ocr-glyphs/classes.json`);
    try {
      return await extensionPage.evaluate<string>(`(async () => {
        const [tab] = await chrome.tabs.query({ url: ${JSON.stringify(url)} });
        const reply = await chrome.tabs.sendMessage(tab.id, { altsight: 1, to: 'page', name: 'page.report', payload: {} });
        return JSON.stringify(reply);
      })()`);
    } finally {
      await extensionPage.close();
    }
  }

  it('reads a selected region again after the worker stopped and started', async () => {
    const page = await chromium.openPage(`${site.origin}/`);
    // What the region reader sends, from its own world in the top frame.
    const ask = <T>(name: string, payload: unknown) =>
      page.evaluateInContentScript<T>(`chrome.runtime.sendMessage(${JSON.stringify({ altsight: 1, to: 'background', name, payload })}).then((r) => r.value)`);
    const capture = await ask<{ ok: boolean; captureId: string }>('region.capture', { rect: { x: 0, y: 0, width: 400, height: 80 }, viewportWidthCss: 1200 });
    expect(capture.ok).toBe(true);
    const first = await ask<{ ok: boolean; text?: string }>('region.read', { captureId: capture.captureId });
    expect(first).toMatchObject({ ok: true, text: expect.stringMatching(/test/i) });

    const worker = await chromium.serviceWorkerIds();
    const deadline = Date.now() + 2 * WORKER_IDLE_TIMEOUT_MS;
    while ((await chromium.serviceWorkerIds()).some((id) => worker.includes(id))) {
      if (Date.now() > deadline) throw new Error('the service worker never stopped: nothing here tests what it should');
      await new Promise((r) => setTimeout(r, 1000));
    }
    const again = await ask<{ ok: boolean; text?: string }>('region.read', { captureId: capture.captureId });
    expect(again).toMatchObject({ ok: true, text: first.text });
    await page.close();
  }, 150_000);
});
