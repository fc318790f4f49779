/**
 * Languages, in the built extension with the fixture model host: the automatic alt prefix follows the
 * page's language (a German page gets "Automatisch erstellt: …" in an English browser, an English page
 * keeps "Auto-generated: …" in a German one), a prefix the user typed is kept as typed, version 2's stored
 * English default becomes automatic; and in a German Chromium the popup, the options page and the
 * engine host's failure reasons speak German.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type E2eBackend, type ExtensionBrowser } from '../support/browser';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';
import { setSettings, tabIdOf } from './extension';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
const MODEL_ID = 'altsight-test/tiny-shapes-captioner';
const GERMAN_PREFIX = 'Automatisch erstellt: ';

async function setUp(language?: string): Promise<{ ext: ExtensionBrowser; modelHost: ModelHost; site: Running }> {
  const [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
  const ext = await launchWithExtension({ backend: BACKEND, language });
  await setSettings(ext.serviceWorker, {
    modelHost: `${modelHost.origin}/`,
    modelId: MODEL_ID,
    backend: BACKEND,
    preferImageText: false, // captions only: "Image text:" is ocr.e2e.test.ts's
    autoFillSites: [new URL(site.origin).hostname],
  });
  return { ext, modelHost, site };
}

async function altOf(page: Page, selector: string, want: (alt: string | null) => boolean): Promise<string | null> {
  let alt: string | null = null;
  await expect
    .poll(async () => {
      alt = await page.locator(selector).getAttribute('alt');
      return want(alt);
    }, { timeout: 90_000 })
    .toBe(true);
  return alt;
}

const stored = (ext: ExtensionBrowser, key: string) => ext.serviceWorker.evaluate(async (k) => (await chrome.storage.local.get(k))[k], key);

describe(`the alt prefix follows the page's language (${BACKEND})`, () => {
  let ext: ExtensionBrowser;
  let modelHost: ModelHost;
  let site: Running;
  let page: Page;

  beforeAll(async () => {
    ({ ext, modelHost, site } = await setUp());
    page = await ext.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  it('writes the German automatic prefix on a page in German, in an English browser', async () => {
    await page.goto(`${site.origin}/de.html`);
    expect(await altOf(page, '#circle', (alt) => alt !== null)).toBe(`${GERMAN_PREFIX}a red circle`);
    expect(await page.locator('#circle').getAttribute('data-altsight')).toBe('generated');
  }, 120_000);

  it('keeps a prefix the user typed, whatever the page language', async () => {
    await setSettings(ext.serviceWorker, { altPrefix: 'KI: ' });
    await page.goto(`${site.origin}/de.html`);
    expect(await altOf(page, '#circle', (alt) => alt !== null)).toBe('KI: a red circle');
  }, 120_000);

  it('turns the English default stored by version 2 into the automatic prefix', async () => {
    // What an older AltSight left after the user saved the options page untouched.
    await setSettings(ext.serviceWorker, { settingsVersion: 2, altPrefix: 'Auto-generated: ' });
    await expect.poll(() => stored(ext, 'settingsVersion')).toBe(3);
    expect(await stored(ext, 'altPrefix')).toBeNull();
    await page.goto(`${site.origin}/de.html`);
    expect(await altOf(page, '#circle', (alt) => alt !== null)).toBe(`${GERMAN_PREFIX}a red circle`);
  }, 120_000);
});

/**
 * `--lang=de` with LANGUAGE=de gives headless Chromium a German UI: the extension's messages are German
 * (chrome.i18n picks its locale at startup from these).
 */
describe(`in a German browser (${BACKEND})`, () => {
  let ext: ExtensionBrowser;
  let modelHost: ModelHost;
  let site: Running;
  let page: Page;

  beforeAll(async () => {
    ({ ext, modelHost, site } = await setUp('de'));
    page = await ext.context.newPage();
    await page.goto(`${site.origin}/de.html`);
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  it('the popup speaks German, down to the engine host\'s reason for an image it could not describe', async () => {
    await altOf(page, '#circle', (alt) => alt !== null);
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${await tabIdOf(ext.serviceWorker, page.url())}`);
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('de');
    for (const name of ['Bereich zum Lesen auswählen', 'Sichtbare Seite lesen', 'Alle Bilder beschreiben', 'Erstellte Alt-Texte rückgängig machen']) {
      await expect.poll(() => popup.getByRole('button', { name, exact: true }).count(), { timeout: 10_000 }).toBe(1);
    }
    await expect.poll(() => popup.getByTestId('engine-state').textContent()).toBe('Bereit');
    const list = popup.getByTestId('image-list');
    await expect.poll(() => list.getByRole('button', { name: '„a red circle“ kopieren' }).count()).toBe(1);
    // Told by the engine host (an offscreen document, which has no chrome.i18n of its own).
    const missing = list.locator('li', { hasText: 'does-not-exist.png' });
    await expect.poll(() => missing.textContent(), { timeout: 30_000 }).toContain('Nicht beschrieben: Das Bild wurde nicht gefunden (HTTP 404).');
    await popup.close();
  }, 120_000);

  it('writes the German prefix on a German page, and the English one on a page in English', async () => {
    expect(await page.locator('#circle').getAttribute('alt')).toBe(`${GERMAN_PREFIX}a red circle`);
    const english = await ext.context.newPage();
    await english.goto(`${site.origin}/single.html`);
    expect(await altOf(english, 'img', (alt) => alt !== null)).toBe('Auto-generated: a blue square');
    await english.close();
  }, 120_000);

  it('the options page is German, with the automatic prefix previewed in German', async () => {
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    expect(await options.title()).toBe('AltSight-Einstellungen');
    await expect.poll(() => options.getByTestId('alt-preview').textContent()).toBe(`${GERMAN_PREFIX}a dog on a beach`);
    expect(await options.locator('#setting-altPrefix').inputValue()).toBe(GERMAN_PREFIX);
    // A typed prefix can be turned back into the automatic one.
    await options.locator('#setting-altPrefix').fill('KI: ');
    await expect.poll(() => stored(ext, 'altPrefix')).toBe('KI: ');
    await options.getByRole('button', { name: 'Automatisches Präfix verwenden' }).click();
    await expect.poll(() => stored(ext, 'altPrefix')).toBeNull();
    await expect.poll(() => options.getByTestId('alt-preview').textContent()).toBe(`${GERMAN_PREFIX}a dog on a beach`);
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('setting-altPrefix');
    await options.close();
  }, 60_000);
});
