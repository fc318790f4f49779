/**
 * Reading text in the built extension in Firefox ESR: "Read text in this image" (the protocol request and
 * the right-click panel), auto-fill's "Image text:", the engine's WASM threads and JSPI, rough timings,
 * and the network guard. Same pages, fixtures and model host as tests/e2e/ocr.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { JobOutcome } from '@/lib/engine/jobs';
import type { EngineStatus } from '@/lib/messages';
import { characterErrorRate } from '../support/cer';
import { launchFirefoxWithExtension, waitFor, type FirefoxExtensionBrowser } from '../support/firefox';
import { panelResult, readPanel } from './panel';
import { OCR_FIXTURES_DIR, startModelHost, startSite, type ModelHost, type Running } from '../support/servers';

/** As in the Chromium suite: measured CER of these reads is well below this. */
const MAX_E2E_CER = 0.08;
const truthOf = (file: string) =>
  (JSON.parse(readFileSync(join(OCR_FIXTURES_DIR, 'manifest.json'), 'utf8')) as { file: string; text: string }[]).find(
    (m) => m.file === file,
  )!.text;

type Reply = { ok: boolean; value: JobOutcome & { text?: string } };

describe('Reading text in Firefox ESR', () => {
  let modelHost: ModelHost;
  let site: Running;
  let ext: FirefoxExtensionBrowser;
  let page: Page;
  let tabId: number;

  /** A job from an extension page, as the context menu's panel asks for it (tests/e2e/extension.ts requestTextRead). */
  const request = (kind: 'read-text' | 'caption', url: string) =>
    ext.message<Reply['value']>('job.request', {
      job: { kind, source: { kind: 'url', url } },
      priority: 'user',
      requestId: crypto.randomUUID(),
    }) as Promise<Reply>;


  beforeAll(async () => {
    [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
    ext = await launchFirefoxWithExtension();
    await ext.setSettings({
      modelHost: `${modelHost.origin}/`,
      modelId: 'altsight-test/tiny-shapes-captioner',
      backend: 'auto',
      autoFillSites: [new URL(site.origin).hostname],
    });
    page = await ext.openPage(`${site.origin}/ocr.html`);
    tabId = await ext.tabIdOf(page.url());
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  it('auto-fill uses the words of an image that is mostly text, and captions the rest', async () => {
    const alt = await waitFor('the text image to get alt', () => page.$eval('#autofill-text', (el) => el.getAttribute('alt')), 180_000);
    expect(alt.startsWith('Image text: ')).toBe(true);
    const truth = truthOf('noisy/roadworks-stripes.png').replace(/\n/g, ' ');
    expect(characterErrorRate(alt.slice('Image text: '.length), truth)).toBeLessThan(MAX_E2E_CER);
    await waitFor('the shape to be captioned', async () => (await page.$eval('#autofill-shape', (el) => el.getAttribute('alt'))) === 'Auto-generated: a red circle', 60_000);
  }, 240_000);

  it('reads the text in an image asked for by an extension page', async () => {
    const reply = await request('read-text', `${site.origin}/ocr-fixtures/dark/download-toast.png?request`);
    expect(reply.value.ok, JSON.stringify(reply)).toBe(true);
    expect(characterErrorRate(reply.value.text ?? '', truthOf('dark/download-toast.png'))).toBeLessThan(MAX_E2E_CER);
  }, 180_000);

  it('writes the currency signs the recogniser lacks (glyph classifier shipped in the build)', async () => {
    const reply = await request('read-text', `${site.origin}/ocr-fixtures/entities/invoice-lines.png`);
    expect(reply.value.text).toContain('€552.50');
    expect(reply.value.text).toContain('£38.20');
  }, 180_000);

  it('reads the text in a right-clicked image into the panel', async () => {
    await page.bringToFront();
    await page.$eval('#text-image', (el) => el.scrollIntoView({ block: 'center' }));
    await page.click('#text-image', { button: 'right' });
    const srcUrl = await page.$eval('#text-image', (el) => (el as HTMLImageElement).currentSrc);
    await ext.clickImageMenuItem('altsight-read-image-text', srcUrl, tabId);
    const text = await panelResult(ext, tabId);
    expect(characterErrorRate(text, truthOf('dark/download-toast.png'))).toBeLessThan(MAX_E2E_CER);
    // Copy, by keyboard (focus is in the panel: Tab reaches Copy), then paste into the page: the
    // clipboard holds the text, line breaks kept.
    await waitFor('the Copy button', async () => (await readPanel(ext, tabId))?.buttons.includes('Copy'));
    await page.keyboard.press('Tab');
    expect((await readPanel(ext, tabId))?.focused).toBe('Copy');
    await page.keyboard.press('Enter');
    await waitFor('the panel to say it copied', async () => (await readPanel(ext, tabId))?.byTestId['panel-note']?.[0] === 'Copied', 10_000);
    await page.keyboard.press('Escape');
    await page.evaluate(() => {
      const box = document.createElement('textarea');
      box.id = 'paste-here';
      document.body.append(box);
      box.focus();
    });
    await page.keyboard.down('Control');
    await page.keyboard.press('v');
    await page.keyboard.up('Control');
    const pasted = await waitFor('the pasted text', () => page.$eval('#paste-here', (el) => (el as HTMLTextAreaElement).value));
    expect(pasted.trim()).toBe(text.trim());
    expect(pasted).toContain('\n');
    await page.$eval('#paste-here', (el) => el.remove());
  }, 180_000);

  it('reads the visible page from a capture of the tab (region reading)', async () => {
    await page.bringToFront();
    await page.$eval('#text-image', (el) => el.scrollIntoView({ block: 'center' }));
    // What the popup's "Read visible page" sends to the tab's top frame.
    await ext.extensionPage.evaluate(
      (tab) =>
        (globalThis as unknown as { browser: typeof chrome }).browser.tabs.sendMessage(tab, { altsight: 1, to: 'page', name: 'page.readVisible', payload: {} }, { frameId: 0 }),
      tabId,
    );
    const text = await panelResult(ext, tabId);
    // The whole screen is read: the toast's first line is among what it says.
    const firstLine = truthOf('dark/download-toast.png').split('\n')[0]!;
    expect(text).toContain(firstLine);
    await page.keyboard.press('Escape');
  }, 180_000);

  it('sent no request anywhere but the model host and the page’s own origin', () => {
    const allowed = new Set([modelHost, site].map((s) => new URL(s.origin).origin));
    const requests = ext.guard.requests;
    expect(requests.filter((r) => !allowed.has(new URL(r.url).origin)).map((r) => `${r.method} ${r.url} (${r.context})`)).toEqual([]);
    expect(ext.guard.refused).toEqual([]);
    // The engine fetched the images itself, from the background page (no tab made those requests).
    expect(requests.some((r) => r.fromExtension && r.url.includes('/ocr-fixtures/dark/download-toast.png?request'))).toBe(true);
  });
});
