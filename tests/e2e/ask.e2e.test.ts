/**
 * Asking about an image in the built extension in Chromium: "Ask about this image" opens the panel with the
 * question box, answers stream in from the SmolVLM-shaped fixture (scripts/vlm-model, served from the
 * local model host), a follow-up keeps the conversation, "More detail" gives the description, Stop
 * stops, the popup's list and a selected region lead to the same questions — all by keyboard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type E2eBackend, type ExtensionBrowser } from '../support/browser';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';
import { clickImageMenuItem, engineStatus, focusedControl, panelResult, panelTexts, setSettings, startRegionSelection, tabIdOf, tabTo, waitFor } from './extension';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
const CHAT_MODEL_ID = 'altsight-test/tiny-shapes-vlm';
/** What the fixture was trained to say for "Describe this image in detail." (scripts/vlm-model/generate.py). */
const description = (colour: string, shape: string) => `A ${colour} ${shape} on a plain light background. It is the only thing in the picture.`;

describe(`Asking about an image in Chromium (${BACKEND})`, () => {
  let modelHost: ModelHost;
  let site: Running;
  let ext: ExtensionBrowser;
  let page: Page;
  let tabId: number;
  const chatModelRequests = () => modelHost.served.filter((p) => p.includes(`/${CHAT_MODEL_ID}/`));
  const answers = () => panelTexts(ext.context, page, 'ask-answer');
  const announced = async () => (await panelTexts(ext.context, page, 'ask-announcement'))[0] ?? '';

  /** Types a question where focus is (the question box) and waits for the answer to be finished. */
  async function ask(question: string, turn: number): Promise<string> {
    await page.keyboard.type(question);
    await page.keyboard.press('Enter');
    return waitFor(`the answer to "${question}"`, async () => {
      const shown = await answers();
      const said = await announced();
      // Finished once the status region says it (it stays empty while tokens stream).
      return shown.length > turn && said !== '' && said === shown[turn] ? shown[turn] : null;
    }, 120_000);
  }

  beforeAll(async () => {
    [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
    ext = await launchWithExtension({ backend: BACKEND });
    await setSettings(ext.serviceWorker, {
      modelHost: `${modelHost.origin}/`,
      modelId: 'altsight-test/tiny-shapes-captioner',
      chatModelId: CHAT_MODEL_ID,
      backend: BACKEND,
    });
    page = await ext.context.newPage();
    await page.goto(`${site.origin}/ask.html`);
    tabId = await tabIdOf(ext.serviceWorker, page.url());
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  it('answers two questions about an image, the second with the first in the conversation, by keyboard', async () => {
    await clickImageMenuItem(ext.serviceWorker, 'altsight-ask-about-image', `${site.origin}/images/green-triangle.png?ask`, tabId);
    expect(await panelResult(ext.context, page)).toBe('a green triangle');
    // Before the first question: what it downloads, and nothing fetched yet.
    await waitFor('the download note', async () => ((await panelTexts(ext.context, page, 'ask-model-note'))[0] ?? '').includes('downloaded once'));
    expect(chatModelRequests()).toEqual([]);
    // "Ask about this image" puts the keyboard in the question box.
    await waitFor('focus in the question box', async () => (await focusedControl(ext.context, page))?.name === 'Ask about this image');

    expect(await ask('What colour is the shape?', 0)).toBe('green');
    expect(chatModelRequests().some((p) => p.endsWith('/onnx/decoder_model_merged.onnx'))).toBe(true);
    expect(await ask('What shape is it?', 1)).toBe('triangle');
    // Focus stayed in the question box for the next question.
    expect((await focusedControl(ext.context, page))?.name).toBe('Ask about this image');
    // The model is here now: no more download note.
    expect(await panelTexts(ext.context, page, 'ask-model-note')).toEqual([]);

    // "Use as alt text" on the last answer writes it to the image, marked as ours.
    await page.keyboard.down('Shift');
    await tabTo(ext.context, page, 'Use as alt text');
    await page.keyboard.up('Shift');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#triangle').getAttribute('alt')).toMatch(/triangle$/);
    expect(await page.locator('#triangle').getAttribute('data-altsight')).toBe('generated');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.querySelector('altsight-panel'))).toBeNull();
  }, 300_000);

  it('"More detail" gives the detailed description', async () => {
    await clickImageMenuItem(ext.serviceWorker, 'altsight-caption-image', `${site.origin}/images/blue-square.jpg?ask`, tabId);
    expect(await panelResult(ext.context, page)).toBe('a blue square');
    await tabTo(ext.context, page, 'More detail');
    await page.keyboard.press('Enter');
    const detail = await waitFor('the description', async () => {
      const said = await announced();
      return said !== '' ? said : null;
    }, 120_000);
    expect(detail).toBe(description('blue', 'square'));
    expect(await answers()).toEqual([detail]);
    await page.keyboard.press('Escape');
  }, 300_000);

  it('Stop stops an answer and leaves focus in the question box', async () => {
    await clickImageMenuItem(ext.serviceWorker, 'altsight-ask-about-image', `${site.origin}/slow/red-circle.png`, tabId);
    await panelResult(ext.context, page);
    await waitFor('focus in the question box', async () => (await focusedControl(ext.context, page))?.name === 'Ask about this image');
    // The image arrives slowly (the site holds it back): Stop comes while the answer is on its way.
    await page.keyboard.type('What colour is the shape?');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Tab');
    expect((await focusedControl(ext.context, page))?.name).toBe('Stop');
    await page.keyboard.press('Enter');
    await waitFor('the stopped turn', async () => (await announced()) === 'Stopped.');
    expect((await focusedControl(ext.context, page))?.name).toBe('Ask about this image');
    // Nothing more arrives for the stopped question, and the next one is answered.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await answers()).toEqual(['']);
    expect(await ask('What shape is it?', 1)).toBe('circle');
    await page.keyboard.press('Escape');
  }, 300_000);

  it('asks about an image from the popup’s list', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    // The answers so far came from the backend this run is for.
    expect((await engineStatus(popup)).backend).toBe(BACKEND);
    const row = popup.getByTestId('image-list').locator('li', { hasText: 'green-triangle.png' });
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: 'Ask about green-triangle.png' }).press('Enter');
    await page.bringToFront();
    await waitFor('focus in the question box', async () => (await focusedControl(ext.context, page))?.name === 'Ask about this image');
    expect(await ask('What colour is the shape?', 0)).toBe('green');
    await page.keyboard.press('Escape');
    if (!popup.isClosed()) await popup.close();
  }, 300_000);

  it('asks about a selected region', async () => {
    await startRegionSelection(ext.context, ext.extensionId, page, tabId);
    const box = (await page.locator('#square').boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + 1);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + box.height - 1, { steps: 5 });
    await page.mouse.up();
    // The text read comes first (a picture without words, whatever it finds there); questions follow it.
    await panelResult(ext.context, page);
    await tabTo(ext.context, page, 'Ask about this image');
    expect(await ask('What shape is it?', 0)).toBe('square');
    await page.keyboard.press('Escape');
  }, 300_000);

  it('sent no request anywhere but the model host and the page’s own origin', () => {
    const allowed = new Set([modelHost, site].map((s) => new URL(s.origin).origin));
    expect(ext.guard.requests.filter((r) => !allowed.has(new URL(r.url).origin))).toEqual([]);
    expect(ext.guard.requests.some((r) => r.fromExtension && r.url.includes(CHAT_MODEL_ID))).toBe(true);
  });
});
