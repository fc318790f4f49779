/**
 * The welcome and options pages in Firefox ESR, ported in part from tests/e2e/options.e2e.test.ts: the
 * welcome tab on install, its sample caption, and Download now / Delete cached model against the engine in
 * the background page. Extension pages are opened as tabs by the extension (BiDi can't navigate to
 * moz-extension://); buttons are pressed with DOM clicks found by their text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { EngineStatus } from '@/lib/messages';
import { launchFirefoxWithExtension, waitFor, type FirefoxExtensionBrowser } from '../support/firefox';
import { startModelHost, type ModelHost } from '../support/servers';

const MODEL_ID = 'altsight-test/tiny-shapes-captioner';

async function clickButton(page: Page, name: string | RegExp): Promise<void> {
  const source = typeof name === 'string' ? { text: name } : { pattern: name.source };
  const clicked = await page.evaluate((s) => {
    const matches = (label: string) => (s.text !== undefined ? label === s.text : new RegExp(s.pattern!).test(label));
    const button = [...document.querySelectorAll('button')].find((b) => matches(b.getAttribute('aria-label') || (b.textContent ?? '').trim()));
    button?.click();
    return !!button;
  }, source);
  expect(clicked, `a button named ${String(name)}`).toBe(true);
}

const textOf = (page: Page, selector: string) => page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
const attrOf = (page: Page, selector: string, name: string) =>
  page.evaluate((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, selector, name);

describe('Welcome and options pages in Firefox ESR', () => {
  let modelHost: ModelHost;
  let ext: FirefoxExtensionBrowser;

  beforeAll(async () => {
    modelHost = await startModelHost();
    ext = await launchFirefoxWithExtension();
    await ext.setSettings({ modelHost: `${modelHost.origin}/`, modelId: MODEL_ID, backend: 'wasm' });
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await modelHost?.close();
  });

  it('opens the welcome page in a tab when the extension is installed', async () => {
    // launchFirefoxWithExtension found it: the tab the install opened, at /onboarding.html.
    expect(await ext.extensionPage.evaluate(() => location.pathname)).toBe('/onboarding.html');
  });

  it('captions the sample picture on the welcome page', async () => {
    const { page } = await ext.openExtensionPage('/onboarding.html');
    try {
      await waitFor('the download summary', async () => (await textOf(page, '[data-testid="download-summary"]'))?.includes(`from ${modelHost.origin}/`), 15_000);
      await clickButton(page, 'Describe this picture');
      await waitFor('the sample caption', async () => (await textOf(page, '[data-testid="sample-caption"]')) === 'a red circle', 90_000);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('deletes a cached model and downloads it again with Download now', async () => {
    const { page } = await ext.openExtensionPage('/options.html');
    try {
      const card = `li[data-model-id="${MODEL_ID}"]`;
      const cached = () => attrOf(page, `${card} [data-testid="cache-state"]`, 'data-cached');
      // The welcome page's caption downloaded it.
      await waitFor('the model to show as cached', async () => (await cached()) === 'true', 30_000);
      await page.evaluate((s) => (document.querySelector(s) as HTMLElement).scrollIntoView(), card);
      await page.evaluate((s) => {
        const b = [...document.querySelectorAll(`${s} button`)].find((x) => /Delete cached model/.test(x.getAttribute('aria-label') || x.textContent || ''));
        (b as HTMLButtonElement | undefined)?.click();
      }, card);
      await waitFor('the model to show as deleted', async () => (await cached()) === 'false', 30_000);
      expect(await textOf(page, '[data-testid="modelId-message"]')).toMatch(/^Deleted .+ \(\d+ files?\)\.$/);

      const servedBefore = modelHost.served.length;
      await clickButton(page, 'Download now');
      await waitFor('the download', async () => /is downloaded and ready/.test((await textOf(page, '[data-testid="download-status"]')) ?? ''), 90_000);
      const engine = (await ext.message<EngineStatus>('engine.status', {})).value;
      expect(engine).toMatchObject({ state: 'ready', modelId: MODEL_ID });
      expect(engine.files.every((f) => f.done)).toBe(true);
      // Deleted means deleted: the files came from the model host again.
      expect(modelHost.served.length).toBeGreaterThan(servedBefore);
      await waitFor('the model to show as cached again', async () => (await cached()) === 'true', 30_000);
    } finally {
      await page.close();
    }
  }, 150_000);

  it('sent no request anywhere but the model host', () => {
    const allowed = new URL(modelHost.origin).origin;
    expect(ext.guard.requests.filter((r) => new URL(r.url).origin !== allowed).map((r) => `${r.method} ${r.url} (${r.context})`)).toEqual([]);
    expect(ext.guard.requests.filter((r) => r.fromExtension).length).toBeGreaterThan(0);
  });
});
