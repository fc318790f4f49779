/**
 * Reading text in the built extension in Chromium: drag and keyboard region selection (scrolled and
 * zoomed), "Read text in this image", auto-fill's "Image text:", bad input, and the network guard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, type E2eBackend, type ExtensionBrowser } from '../support/browser';
import { characterErrorRate } from '../support/cer';
import { OCR_FIXTURES_DIR, startModelHost, startSite, type ModelHost, type Running } from '../support/servers';
import { engineStatus, panelResult, panelText, requestTextRead, setSettings, startRegionSelection, tabIdOf, waitFor, clickImageMenuItem } from './extension';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
/** Measured CER of these reads is well below this; see tests/integration/ocr-accuracy.test.ts for the set. */
const MAX_E2E_CER = 0.08;
const truthOf = (file: string) =>
  (JSON.parse(readFileSync(join(OCR_FIXTURES_DIR, 'manifest.json'), 'utf8')) as { file: string; text: string }[]).find(
    (m) => m.file === file,
  )!.text;

describe(`Reading text in Chromium (${BACKEND})`, () => {
  let modelHost: ModelHost;
  let site: Running;
  /** Another origin, for a cross-origin iframe. */
  let otherSite: Running;
  let ext: ExtensionBrowser;
  let page: Page;
  let tabId: number;

  async function dragOver(selector: string, marginPx = 6): Promise<void> {
    const box = (await page.locator(selector).boundingBox())!;
    await page.mouse.move(box.x - marginPx, box.y - marginPx);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + marginPx, box.y + box.height + marginPx, { steps: 5 });
    await page.mouse.up();
  }

  beforeAll(async () => {
    [modelHost, site, otherSite] = await Promise.all([startModelHost(), startSite('127.0.0.1'), startSite('localhost')]);
    ext = await launchWithExtension({ backend: BACKEND });
    await setSettings(ext.serviceWorker, {
      modelHost: `${modelHost.origin}/`,
      modelId: 'altsight-test/tiny-shapes-captioner',
      backend: 'auto',
      autoFillSites: [new URL(site.origin).hostname],
    });
    page = await ext.context.newPage();
    await page.goto(`${site.origin}/ocr.html`);
    tabId = await tabIdOf(ext.serviceWorker, page.url());
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site, otherSite].map((s) => s?.close()));
  });

  it('auto-fill uses the words of an image that is mostly text, and captions the rest', async () => {
    const alt = await waitFor('the text image to get alt', () => page.locator('#autofill-text').getAttribute('alt'), 180_000);
    expect(alt.startsWith('Image text: ')).toBe(true);
    const truth = truthOf('noisy/roadworks-stripes.png').replace(/\n/g, ' ');
    expect(characterErrorRate(alt.slice('Image text: '.length), truth)).toBeLessThan(MAX_E2E_CER);
    await expect.poll(() => page.locator('#autofill-shape').getAttribute('alt'), { timeout: 60_000 }).toBe('Auto-generated: a red circle');
  }, 240_000);

  it('reads a dragged region and copies the text, line breaks kept', async () => {
    await startRegionSelection(ext.context, ext.extensionId, page, tabId);
    await dragOver('#text-block');
    const text = await panelResult(ext.context, page);
    const truth = (await page.locator('#text-block').getAttribute('data-expect'))!;
    expect(characterErrorRate(text, truth)).toBeLessThan(MAX_E2E_CER);
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    await expect.poll(() => page.evaluate(() => document.querySelector('altsight-region-picker'))).toBeNull();
    await page.keyboard.press('Tab'); // focus is in the panel: Tab reaches Copy
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    await page.keyboard.press('Escape');
  }, 180_000);

  it('reads a region chosen by keyboard alone, on a scrolled and zoomed page', async () => {
    await page.evaluate(() => window.scrollTo(0, 30));
    await ext.serviceWorker.evaluate((id) => chrome.tabs.setZoom(id, 1.25), tabId);
    await waitFor('the zoom', () => page.evaluate(() => Math.abs(window.devicePixelRatio - 1.25) < 0.01));
    try {
      await startRegionSelection(ext.context, ext.extensionId, page, tabId);
      const target = (await page.locator('#text-block').boundingBox())!;
      const view = await page.evaluate(() => ({ w: window.innerWidth, h: window.innerHeight }));
      await page.keyboard.press('ArrowRight'); // the first arrow shows a 320×80 selection in the middle
      let rect = { x: (view.w - 320) / 2, y: (view.h - 80) / 2, width: 320, height: 80 };
      const press = async (key: string, times: number) => {
        for (let i = 0; i < times; i++) await page.keyboard.press(key);
      };
      const want = { x: target.x - 8, y: target.y - 8, width: target.width + 16, height: target.height + 16 };
      const steps = (d: number) => Math.round(d / 10);
      await press(want.x < rect.x ? 'ArrowLeft' : 'ArrowRight', Math.abs(steps(want.x - rect.x)));
      await press(want.y < rect.y ? 'ArrowUp' : 'ArrowDown', Math.abs(steps(want.y - rect.y)));
      await press(want.width < rect.width ? 'Shift+ArrowLeft' : 'Shift+ArrowRight', Math.abs(steps(want.width - rect.width)));
      await press(want.height < rect.height ? 'Shift+ArrowUp' : 'Shift+ArrowDown', Math.abs(steps(want.height - rect.height)));
      rect = want;
      await page.keyboard.press('Enter');
      const text = await panelResult(ext.context, page);
      const truth = (await page.locator('#text-block').getAttribute('data-expect'))!;
      expect(characterErrorRate(text, truth)).toBeLessThan(MAX_E2E_CER);
      await page.keyboard.press('Escape');
    } finally {
      await ext.serviceWorker.evaluate((id) => chrome.tabs.setZoom(id, 1), tabId);
      await page.evaluate(() => window.scrollTo(0, 0));
    }
  }, 180_000);

  it('reads the visible part of a selection moved partly off the top of the screen', async () => {
    // Scrolled so the block's first line is above the viewport (12 px padding, then 28 px lines: 20 px at
    // line-height 1.4, less 4 px so the second line stays whole); the selection is pushed past the top.
    const blockTop = await page.locator('#text-block').evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    await page.evaluate((y) => window.scrollTo(0, y), blockTop + 12 + 28 - 4);
    try {
      await startRegionSelection(ext.context, ext.extensionId, page, tabId);
      const target = (await page.locator('#text-block').boundingBox())!;
      const view = await page.evaluate(() => ({ w: window.innerWidth, h: window.innerHeight }));
      await page.keyboard.press('ArrowRight'); // shows the 320×80 starting selection
      const start = { x: (view.w - 320) / 2, y: (view.h - 80) / 2 };
      const press = async (key: string, times: number) => {
        for (let i = 0; i < times; i++) await page.keyboard.press(key);
      };
      const left = Math.round((start.x - (target.x - 8)) / 10);
      await press(left > 0 ? 'ArrowLeft' : 'ArrowRight', Math.abs(left));
      await press('ArrowUp', Math.ceil((start.y + 60) / 10)); // 60+ px above the top edge
      await press('Shift+ArrowRight', Math.round((target.width + 16 - 320) / 10));
      await press('Shift+ArrowDown', Math.ceil((target.y + target.height + 60 - 80) / 10));
      await page.keyboard.press('Enter');
      const lines = (await panelResult(ext.context, page)).split('\n').filter(Boolean);
      const truth = (await page.locator('#text-block').getAttribute('data-expect'))!.split('\n');
      expect(characterErrorRate(lines.at(-1)!, truth[2]!)).toBeLessThan(MAX_E2E_CER);
      expect(characterErrorRate(lines.at(-2)!, truth[1]!)).toBeLessThan(MAX_E2E_CER);
      expect(lines.join(' ')).not.toContain('Ferries');
      await page.keyboard.press('Escape');
    } finally {
      await page.evaluate(() => window.scrollTo(0, 0));
    }
  }, 180_000);

  it('reads the whole visible page from the popup', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    // A real popup is not a tab: the page stays the visible tab, which is what gets captured.
    await page.bringToFront();
    await popup.getByRole('button', { name: 'Read visible page' }).click();
    await popup.close();
    const text = await panelResult(ext.context, page);
    expect(text).toContain('Ferries to Marrow Island leave every hour');
    expect(text).toContain('Download complete');
    await page.keyboard.press('Escape');
  }, 180_000);

  it('reads text drawn on a canvas and inside a cross-origin iframe', async () => {
    const frameUrl = `${otherSite.origin}/ocr-frame.html`;
    await page.evaluate((src) => {
      const frame = Object.assign(document.createElement('iframe'), { id: 'text-frame', src, width: '460', height: '90' });
      frame.style.border = '0';
      document.getElementById('frame-slot')!.append(frame);
    }, frameUrl);
    await waitFor('the framed page', async () => (await page.frame({ url: frameUrl })?.evaluate(() => document.readyState === 'complete')) || null, 30_000);
    const targets = [
      { selector: '#canvas-text', truth: (await page.locator('#canvas-text').getAttribute('data-expect'))! },
      { selector: '#text-frame', truth: 'Tide tables for Saltmarsh Quay\nHigh water 06:42 and 19:05' },
    ];
    try {
      for (const { selector, truth } of targets) {
        await page.locator(selector).scrollIntoViewIfNeeded();
        await startRegionSelection(ext.context, ext.extensionId, page, tabId);
        await dragOver(selector, 2);
        const text = await panelResult(ext.context, page);
        expect(characterErrorRate(text, truth), `${selector}: ${text}`).toBeLessThan(MAX_E2E_CER);
        await page.keyboard.press('Escape');
      }
    } finally {
      await page.evaluate(() => {
        document.getElementById('text-frame')?.remove();
        window.scrollTo(0, 0);
      });
    }
  }, 180_000);

  it('reads the text in a right-clicked image', async () => {
    const image = page.locator('#text-image');
    await image.click({ button: 'right' });
    const srcUrl = await image.evaluate((el) => (el as HTMLImageElement).currentSrc);
    await clickImageMenuItem(ext.serviceWorker, 'altsight-read-image-text', srcUrl, tabId);
    const text = await panelResult(ext.context, page);
    expect(characterErrorRate(text, truthOf('dark/download-toast.png'))).toBeLessThan(MAX_E2E_CER);
    await page.keyboard.press('Escape');
  }, 180_000);

  it('says "No text found" for a blank region, and Escape or a mere click changes nothing', async () => {
    await startRegionSelection(ext.context, ext.extensionId, page, tabId);
    await dragOver('#blank', -10);
    expect(await panelResult(ext.context, page)).toBe('No text found.');
    await page.keyboard.press('Escape');

    const before = await page.evaluate(() => document.documentElement.outerHTML);
    await startRegionSelection(ext.context, ext.extensionId, page, tabId);
    const box = (await page.locator('#blank').boundingBox())!;
    await page.mouse.click(box.x + 10, box.y + 10); // a 0×0 "selection" is no selection
    expect(await page.evaluate(() => document.querySelector('altsight-region-picker') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.documentElement.outerHTML)).toBe(before);
    expect(await panelText(ext.context, page)).toBeNull();
  }, 180_000);

  it('answers a 6000×6000 image with no text plainly, without hanging', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    const reply = await requestTextRead(popup, `${site.origin}/generated/huge-blank.png`);
    expect(reply.value).toEqual({ ok: false, reason: 'no-text', message: 'No text found.' });
    await popup.close();
  }, 180_000);

  it('writes the currency signs the recogniser lacks (glyph classifier shipped in the build)', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    const reply = await requestTextRead(popup, `${site.origin}/ocr-fixtures/entities/invoice-lines.png`);
    expect(reply.value.text).toContain('€552.50');
    expect(reply.value.text).toContain('£38.20');
    await popup.close();
  }, 180_000);

  it('keeps accents the recogniser lacks (â, ô, ç, ö, ü), named from the marks on the page', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    const reply = await requestTextRead(popup, `${site.origin}/ocr-accents/accents/fr-museum-sign.png`);
    expect(reply.value.text).toContain('ÉMAILLÉES');
    expect(reply.value.text).toContain('à côté du théâtre');
    // A cedilla joined to its c.
    expect(reply.value.text).toContain('façade');
    // Umlauts over capitals, whose dots alone would each lie over the letter's middle.
    const german = await requestTextRead(popup, `${site.origin}/ocr-accents/accents/de-bakery-sign-bold.png`);
    expect(german.value.text).toContain('ÖFFNUNGSZEITEN');
    expect(german.value.text).toContain('Brötchen');
    expect(german.value.text).toContain('ÜBERGANG');
    await popup.close();
  }, 180_000);

  it('says so plainly where the browser forbids capture', async () => {
    const internal = await ext.context.newPage();
    await internal.goto('chrome://version');
    await internal.bringToFront();
    // Without the "tabs" permission the extension can't see a chrome:// tab's URL: find it as the active tab.
    const internalTab = await ext.serviceWorker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id);
    if (internalTab === undefined) throw new Error('no active tab');
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${internalTab}`);
    await expect.poll(() => popup.locator('main').textContent()).toContain("This page can't be captured");
    await popup.close();
    await internal.close();
  });

  it('reads text on WASM when WebGPU is absent or only emulated', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    // The WebGPU run has SwiftShader, a CPU emulation of a GPU: automatic choice passes it over.
    const status = await engineStatus(popup);
    expect(status.ocrBackend).toBe('wasm');
    // Auto-fill read image text before any caption here, so OCR is what started ORT: with threads.
    expect(status.threads).toBeGreaterThan(1);
    await expect.poll(() => popup.getByTestId('engine-ocr-backend').textContent()).toBe(`Text recognition: WASM (${status.threads} threads)`);
    await popup.close();
  });

  it('reads text on WebGPU when the user chooses it, and on WASM where there is no WebGPU', async () => {
    await setSettings(ext.serviceWorker, { backend: 'webgpu' });
    const popup = await ext.context.newPage();
    try {
      await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
      const reply = await requestTextRead(popup, `${site.origin}/ocr-fixtures/dark/download-toast.png?webgpu`);
      expect(reply.value.ok, JSON.stringify(reply)).toBe(true);
      expect(characterErrorRate(reply.value.text ?? '', truthOf('dark/download-toast.png'))).toBeLessThan(MAX_E2E_CER);
      // All OCR models on the GPU (the glyph classifier aside): a load that fell back to WASM would show here as 'wasm'.
      const expected = BACKEND === 'webgpu' ? 'webgpu' : 'wasm';
      expect((await engineStatus(popup)).ocrBackend).toBe(expected);
      await expect.poll(() => popup.getByTestId('engine-ocr-backend').textContent()).toContain(expected === 'webgpu' ? 'WebGPU' : 'WASM');
    } finally {
      await popup.close();
      await setSettings(ext.serviceWorker, { backend: 'auto' });
    }
  }, 300_000);

  it('sent no request anywhere but the model host and the page’s own origin', () => {
    const allowed = new Set([modelHost, site, otherSite].map((s) => new URL(s.origin).origin));
    expect(ext.guard.requests.filter((r) => !allowed.has(new URL(r.url).origin))).toEqual([]);
    expect(ext.guard.requests.some((r) => r.context.includes('/offscreen.html'))).toBe(true);
  });
});
