/**
 * Chrome stops an extension's service worker 30 s after its last extension event or API call, and a
 * content script's request waiting on a port doesn't count. An auto-fill caption that took longer on the
 * engine's side (here: the engine's copy of the image arrives after 40 s, while the page's own loaded at
 * once) used to die with the worker at 30 s, and the image stayed without alt. The background now keeps
 * itself awake while it waits on the engine host (lib/engine/keep-alive.ts).
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
    // The welcome page opens on install: wait for it, then close it (and any other extension page).
    const deadline = Date.now() + 10_000;
    while ((await chromium.extensionPages()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
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
    expect(alt ?? 'no caption within 90 s').toContain('a red circle');
    await page.close();
  }, 120_000);
});
