/**
 * Reading handwriting in the built extension in Chromium: the panel offers the handwriting reader after a
 * text read, asks before its download (nothing is fetched until the reader says yes), shows it by
 * keyboard, and reads each line the detector found with the TrOCR-shaped fixture model
 * (scripts/handwriting-model), served from the local model host; the region reader offers the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, type E2eBackend, type ExtensionBrowser } from '../support/browser';
import { HANDWRITING_DIR, MODELS_DIR, startModelHost, startSite, type ModelHost, type Running } from '../support/servers';
import { clickImageMenuItem, panelButtons, panelResult, panelText, setSettings, startRegionSelection, tabIdOf, waitFor } from './extension';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
const HANDWRITING_MODEL_ID = 'altsight-test/tiny-handwriting-reader';
const truthOf = (file: string) =>
  (JSON.parse(readFileSync(join(HANDWRITING_DIR, 'manifest.json'), 'utf8')) as { file: string; text: string }[]).find((m) => m.file === file)!.text;
/** The fixture handwriting reader's words (its tokenizer's vocabulary, special tokens left out). */
const HANDWRITING_VOCABULARY = new Set(
  Object.keys((JSON.parse(readFileSync(join(MODELS_DIR, HANDWRITING_MODEL_ID, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab).filter((t) => !/^<.*>$/.test(t)),
);
const linesOf = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

describe(`Reading handwriting in Chromium (${BACKEND})`, () => {
  let modelHost: ModelHost;
  let site: Running;
  let ext: ExtensionBrowser;
  let page: Page;
  let tabId: number;
  const handwritingModelRequests = () => modelHost.served.filter((p) => p.includes(`/${HANDWRITING_MODEL_ID}/`));

  /** Tabs from the panel (which has focus) to the button with this label and presses it. */
  async function pressPanelButton(label: string): Promise<void> {
    const buttons = await panelButtons(ext.context, page);
    const index = buttons.indexOf(label);
    expect(index, `panel buttons: ${JSON.stringify(buttons)}`).toBeGreaterThanOrEqual(0);
    for (let i = 0; i <= index; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
  }

  beforeAll(async () => {
    [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
    ext = await launchWithExtension({ backend: BACKEND });
    await setSettings(ext.serviceWorker, {
      modelHost: `${modelHost.origin}/`,
      modelId: 'altsight-test/tiny-shapes-captioner',
      handwritingModelId: HANDWRITING_MODEL_ID,
      backend: 'auto',
    });
    page = await ext.context.newPage();
    await page.goto(`${site.origin}/handwriting.html`);
    tabId = await tabIdOf(ext.serviceWorker, page.url());
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  it('offers the handwriting reader after a text read, downloads it only when asked, and reads every line', async () => {
    const srcUrl = `${site.origin}/handwriting/page-1.png`;
    await clickImageMenuItem(ext.serviceWorker, 'altsight-read-image-text', srcUrl, tabId);
    await panelResult(ext.context, page);
    // Not in the catalog, so its size is unknown; the label still says it downloads.
    await waitFor('the handwriting offer', async () => (await panelButtons(ext.context, page)).includes('Read as handwriting (downloads a model once)'));
    expect(handwritingModelRequests()).toEqual([]);

    await pressPanelButton('Read as handwriting (downloads a model once)');
    // The button went with the first result; focus stayed in our panel, not on the page.
    expect(await page.evaluate(() => document.activeElement?.localName)).toBe('altsight-panel');
    const text = await waitFor('the handwriting reader’s text', async () => {
      const shown = await panelText(ext.context, page);
      return (await panelButtons(ext.context, page)).includes('Read as printed text') ? shown : null;
    }, 180_000);
    expect(linesOf(text!)).toEqual(linesOf(truthOf('page-1.png')));
    expect(handwritingModelRequests().some((p) => p.endsWith('/onnx/decoder_model_merged.onnx'))).toBe(true);

    // And back: the print reader's lines again, with the handwriting offer (no download any more).
    await pressPanelButton('Read as printed text');
    await waitFor('the print reader again', async () => (await panelButtons(ext.context, page)).includes('Read as handwriting'));
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.querySelector('altsight-panel'))).toBeNull();
  }, 300_000);

  /** Drags the region picker over an element, as a user would. */
  async function selectRegionOver(selector: string): Promise<void> {
    await startRegionSelection(ext.context, ext.extensionId, page, tabId);
    const box = (await page.locator(selector).boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 2, box.y + box.height - 2, { steps: 5 });
    await page.mouse.up();
  }

  const onnxRequests = () => handwritingModelRequests().filter((p) => p.endsWith('.onnx')).length;

  it('reads a selected region as handwriting with the model already downloaded', async () => {
    const before = onnxRequests();
    await selectRegionOver('#note');
    await panelResult(ext.context, page);
    await waitFor('the handwriting offer', async () => (await panelButtons(ext.context, page)).includes('Read as handwriting'));
    await pressPanelButton('Read as handwriting');
    const text = await waitFor('the handwriting reader’s text', async () => {
      const shown = await panelText(ext.context, page);
      return (await panelButtons(ext.context, page)).includes('Read as printed text') ? shown : null;
    }, 180_000);
    expect(linesOf(text!)).toEqual(linesOf(truthOf('page-1.png')));
    expect(onnxRequests()).toBe(before); // nothing downloaded again
    await page.keyboard.press('Escape');
  }, 300_000);

  it('reads lines the classifier calls handwritten with the handwriting reader on its own, once it is downloaded', async () => {
    await page.locator('#scrawl').scrollIntoViewIfNeeded();
    await selectRegionOver('#scrawl');
    const text = await waitFor('the automatic handwriting read', async () => {
      const shown = await panelText(ext.context, page);
      return (await panelButtons(ext.context, page)).includes('Read as printed text') ? shown : null;
    }, 180_000);
    // Every line is the handwriting reader's: only it writes nothing but its vocabulary's words (the print
    // reader read these "blve hon jinps"). The fixture reads 97% of unseen lines exactly (its last-run.log),
    // and a one-pixel change in a line's box can flip a word, so one line of three may miss.
    const line = truthOf('line-01-blue-fox-jumps.png');
    const read = linesOf(text!);
    expect(read).toHaveLength(3);
    for (const l of read) expect(l.split(' ').filter((word) => !HANDWRITING_VOCABULARY.has(word)), l).toEqual([]);
    expect(read.filter((l) => l === line).length, read.join(' | ')).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Escape');
  }, 300_000);
});
