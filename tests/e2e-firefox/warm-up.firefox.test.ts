/**
 * The context menu's cold start in Firefox, as in tests/e2e/engine-health.e2e.test.ts: the reader's
 * right-click on an image loads a cached captioner in the background page before the menu is chosen; a
 * page's synthetic contextmenu event loads nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '@/lib/messages';
import { launchFirefoxWithExtension, waitFor, type FirefoxExtensionBrowser } from '../support/firefox';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';

const MODEL_ID = 'altsight-test/tiny-shapes-captioner';

describe('Warming the engine on a right-click in Firefox ESR', () => {
  let modelHost: ModelHost;
  let site: Running;
  let ext: FirefoxExtensionBrowser;

  beforeAll(async () => {
    [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
    ext = await launchFirefoxWithExtension();
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  const engineState = async () => {
    const { value } = await ext.message<EngineStatus>('engine.status', {});
    return { state: value.state, modelId: value.modelId };
  };

  it('loads a cached captioner when the reader right-clicks an image; a page’s script can’t make it', async () => {
    const settings = { modelHost: `${modelHost.origin}/`, modelId: MODEL_ID, backend: 'wasm', autoFillEverywhere: false };
    // Warming only ever loads a cached model: one auto-filled caption puts it in the cache.
    await ext.setSettings({ ...settings, autoFillSites: [new URL(site.origin).hostname] });
    const page = await ext.openPage(`${site.origin}/shapes.html?cache-the-model`);
    try {
      // Every image done: a job still queued when the model is released below would load it again.
      await waitFor('every caption', async () => (await page.$$eval('img', (images) => images.map((el) => el.getAttribute('alt') ?? ''))).every((alt) => /^Auto-generated: /.test(alt)), 90_000);
      await ext.setSettings({ ...settings, autoFillSites: [] });
      await page.goto('about:blank');
      await ext.message('engine.release', {});
      expect(await engineState()).toMatchObject({ state: 'idle' });
      await page.goto(`${site.origin}/shapes.html`);

      await page.$eval('img', (img) => img.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true })));
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(await engineState()).toMatchObject({ state: 'idle' });

      await page.click('img', { button: 'right' });
      await page.keyboard.press('Escape');
      await waitFor('the captioner to be loaded', async () => {
        const status = await engineState();
        return status.state === 'ready' && status.modelId === MODEL_ID;
      }, 60_000);
      expect(await page.$eval('img', (el) => el.getAttribute('alt'))).toBeNull();
    } finally {
      await page.close();
    }
  }, 180_000);
});
