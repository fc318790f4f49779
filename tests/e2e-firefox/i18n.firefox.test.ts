/**
 * AltSight in a German Firefox ESR (Debian's firefox-esr-l10n-de language pack, asked for with
 * intl.locale.requested): the extension's UI language follows the browser's, as in Chromium
 * (tests/e2e/i18n.e2e.test.ts): the popup speaks German, and a caption on a German page gets the German
 * prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { launchFirefoxWithExtension, waitFor, type FirefoxExtensionBrowser } from '../support/firefox';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';

const GERMAN_LANGUAGE_PACK = '/usr/lib/firefox-esr/browser/extensions/langpack-de@firefox-esr.mozilla.org.xpi';

describe('AltSight in a German Firefox ESR', () => {
  let modelHost: ModelHost;
  let site: Running;
  let ext: FirefoxExtensionBrowser;

  beforeAll(async () => {
    if (!existsSync(GERMAN_LANGUAGE_PACK)) {
      throw new Error(`Firefox's German language pack is missing (${GERMAN_LANGUAGE_PACK}): run "apt-get install -y firefox-esr-l10n-de".`);
    }
    [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
    ext = await launchFirefoxWithExtension({ prefs: { 'intl.locale.requested': 'de' } });
    await ext.setSettings({
      modelHost: `${modelHost.origin}/`,
      modelId: 'altsight-test/tiny-shapes-captioner',
      backend: 'wasm',
      preferImageText: false,
      autoFillSites: [new URL(site.origin).hostname],
    });
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  it('speaks German in the popup and writes the German prefix on a German page', async () => {
    expect(await ext.extensionPage.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.i18n.getUILanguage())).toMatch(/^de/);
    const page = await ext.openPage(`${site.origin}/de.html`);
    try {
      const tabId = await ext.tabIdOf(page.url());
      const { page: popup } = await ext.openExtensionPage(`/popup.html?tab=${tabId}`);
      try {
        const labels = await waitFor('the popup', () =>
          popup.evaluate(() => {
            const texts = [...document.querySelectorAll('button, h2')].map((el) => (el.textContent ?? '').trim());
            return texts.length > 2 ? texts : null;
          }),
        );
        expect(labels).toContain('Einstellungen');
        expect(labels).toContain('Diese Seite');
        expect(await popup.evaluate(() => document.documentElement.lang)).toMatch(/^de/);
      } finally {
        await popup.close();
      }
      const alt = await waitFor('the caption', () => page.$eval('img', (el) => el.getAttribute('alt')), 90_000);
      expect(alt).toMatch(/^Automatisch erstellt: /);
    } finally {
      await page.close();
    }
  }, 180_000);
});
