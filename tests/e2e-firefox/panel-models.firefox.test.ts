/**
 * The panel's other models in Firefox ESR, ported from tests/e2e/ask.e2e.test.ts and
 * tests/e2e/handwriting.e2e.test.ts: asking about an image (the SmolVLM-shaped fixture, answers streamed
 * from the background page) and reading handwriting (the TrOCR-shaped fixture), both downloaded from the
 * local model host only when asked for, all by keyboard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchFirefoxWithExtension, waitFor, type FirefoxExtensionBrowser } from '../support/firefox';
import { HANDWRITING_DIR, startModelHost, startSite, type ModelHost, type Running } from '../support/servers';
import { panelResult, readPanel } from './panel';

const CHAT_MODEL_ID = 'altsight-test/tiny-shapes-vlm';
const HANDWRITING_MODEL_ID = 'altsight-test/tiny-handwriting-reader';
const truthOf = (file: string) =>
  (JSON.parse(readFileSync(join(HANDWRITING_DIR, 'manifest.json'), 'utf8')) as { file: string; text: string }[]).find((m) => m.file === file)!.text;
const linesOf = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

describe('The panel’s question and handwriting models in Firefox ESR', () => {
  let modelHost: ModelHost;
  let site: Running;
  let ext: FirefoxExtensionBrowser;
  let page: Page;
  let tabId: number;
  const served = (modelId: string) => modelHost.served.filter((p) => p.includes(`/${modelId}/`));

  /** Tabs from the panel (which has focus) to the button with this label and presses it. */
  async function pressPanelButton(label: string): Promise<void> {
    const buttons = (await readPanel(ext, tabId))?.buttons ?? [];
    const index = buttons.indexOf(label);
    expect(index, `panel buttons: ${JSON.stringify(buttons)}`).toBeGreaterThanOrEqual(0);
    for (let i = 0; i <= index; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
  }

  beforeAll(async () => {
    [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
    ext = await launchFirefoxWithExtension();
    await ext.setSettings({
      modelHost: `${modelHost.origin}/`,
      modelId: 'altsight-test/tiny-shapes-captioner',
      chatModelId: CHAT_MODEL_ID,
      handwritingModelId: HANDWRITING_MODEL_ID,
      backend: 'wasm',
    });
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  it('answers two questions about an image, the second with the first in the conversation, by keyboard', async () => {
    page = await ext.openPage(`${site.origin}/ask.html`);
    tabId = await ext.tabIdOf(page.url());
    await page.bringToFront();
    await ext.clickImageMenuItem('altsight-ask-about-image', `${site.origin}/images/green-triangle.png?ask`, tabId);
    expect(await panelResult(ext, tabId)).toBe('a green triangle');
    expect(served(CHAT_MODEL_ID)).toEqual([]); // nothing fetched before the first question
    await waitFor('focus in the question box', async () => (await readPanel(ext, tabId))?.focused === 'Ask about this image', 30_000).catch(
      async (err: Error) => {
        const active = await page.evaluate(() => document.activeElement?.localName ?? null);
        throw new Error(`${err.message}; panel: ${JSON.stringify(await readPanel(ext, tabId))}; page focus on ${active}`);
      },
    );

    const ask = async (question: string, turn: number) => {
      await page.keyboard.type(question);
      await page.keyboard.press('Enter');
      return waitFor(`the answer to "${question}"`, async () => {
        const panel = await readPanel(ext, tabId);
        const shown = panel?.byTestId['ask-answer'] ?? [];
        const said = panel?.byTestId['ask-announcement']?.[0] ?? '';
        return shown.length > turn && said !== '' && said === shown[turn] ? shown[turn] : null;
      }, 180_000);
    };
    expect(await ask('What colour is the shape?', 0)).toBe('green');
    expect(served(CHAT_MODEL_ID).some((p) => p.endsWith('/onnx/decoder_model_merged.onnx'))).toBe(true);
    expect(await ask('What shape is it?', 1)).toBe('triangle');
    expect((await readPanel(ext, tabId))?.focused).toBe('Ask about this image');
    await page.keyboard.press('Escape');
    await waitFor('the panel to close', async () => (await readPanel(ext, tabId)) === null, 15_000);
  }, 300_000);

  it('offers the handwriting reader after a text read, downloads it only when asked, and reads every line', async () => {
    page = await ext.openPage(`${site.origin}/handwriting.html`);
    tabId = await ext.tabIdOf(page.url());
    await page.bringToFront();
    await ext.clickImageMenuItem('altsight-read-image-text', `${site.origin}/handwriting/page-1.png`, tabId);
    await panelResult(ext, tabId, 180_000);
    await waitFor('the handwriting offer', async () =>
      (await readPanel(ext, tabId))?.buttons.includes('Read as handwriting (downloads a model once)'),
    );
    expect(served(HANDWRITING_MODEL_ID)).toEqual([]);

    await pressPanelButton('Read as handwriting (downloads a model once)');
    const text = await waitFor('the handwriting reader’s text', async () => {
      const panel = await readPanel(ext, tabId);
      return panel?.buttons.includes('Read as printed text') ? panel.result : null;
    }, 180_000);
    expect(linesOf(text)).toEqual(linesOf(truthOf('page-1.png')));
    expect(served(HANDWRITING_MODEL_ID).some((p) => p.endsWith('/onnx/decoder_model_merged.onnx'))).toBe(true);
    await page.keyboard.press('Escape');
  }, 300_000);

  it('sent no request anywhere but the model host and the page’s own origin', () => {
    const allowed = new Set([modelHost, site].map((s) => new URL(s.origin).origin));
    expect(ext.guard.requests.filter((r) => !allowed.has(new URL(r.url).origin)).map((r) => `${r.method} ${r.url} (${r.context})`)).toEqual([]);
    expect(ext.guard.refused).toEqual([]);
  });
});
