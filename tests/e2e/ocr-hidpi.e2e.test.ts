/**
 * Region reading on a high-density screen (devicePixelRatio 2 from Chromium itself): the visible-tab
 * capture has twice the CSS pixels each way, so the selection must be cropped in device pixels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type E2eBackend, type ExtensionBrowser } from '../support/browser';
import { characterErrorRate } from '../support/cer';
import { startSite, type Running } from '../support/servers';
import { panelResult, startRegionSelection, tabIdOf } from './extension';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
const MAX_E2E_CER = 0.08;

describe(`Reading a region at devicePixelRatio 2 (${BACKEND})`, () => {
  let site: Running;
  let ext: ExtensionBrowser;
  let page: Page;
  let tabId: number;

  beforeAll(async () => {
    site = await startSite('127.0.0.1');
    ext = await launchWithExtension({ backend: BACKEND, deviceScaleFactor: 2 });
    page = await ext.context.newPage();
    await page.goto(`${site.origin}/ocr.html`);
    tabId = await tabIdOf(ext.serviceWorker, page.url());
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await site?.close();
  });

  it('reads exactly the dragged region, not one at CSS-pixel coordinates of the capture', async () => {
    expect(await page.evaluate(() => window.devicePixelRatio)).toBe(2);
    await startRegionSelection(ext.context, ext.extensionId, page, tabId);
    // The second line only: a crop in the wrong unit would hold other lines or none.
    const block = (await page.locator('#text-block').boundingBox())!;
    const lineHeightPx = 28; // 20 px text, line-height 1.4
    const top = block.y + 12 + lineHeightPx;
    await page.mouse.move(block.x + 4, top + 2);
    await page.mouse.down();
    await page.mouse.move(block.x + block.width - 4, top + lineHeightPx - 2, { steps: 5 });
    await page.mouse.up();
    const text = await panelResult(ext.context, page);
    expect(characterErrorRate(text, 'from Pier 4, between 07:15 and 19:45.')).toBeLessThan(MAX_E2E_CER);
  }, 180_000);
});
