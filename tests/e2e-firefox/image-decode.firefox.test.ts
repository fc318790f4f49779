/**
 * tests/e2e/image-decode.e2e.test.ts in Firefox ESR: where Firefox has ImageDecoder, a plain opaque PNG
 * decodes through it to the canvas's bytes; everything else takes the canvas, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchFirefoxWithExtension, type FirefoxExtensionBrowser } from '../support/firefox';
import { expectedDecode, pngVariants } from '../support/png-variants';
import type { DecodeCheckGlobal } from '../../entrypoints/decode-check/main';

describe('Image decoding in Firefox ESR: ImageDecoder only where it gives the canvas’s bytes', () => {
  let ext: FirefoxExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    ext = await launchFirefoxWithExtension();
    ({ page } = await ext.openExtensionPage('/decode-check.html'));
    await page.waitForFunction(() => document.title.includes('ready'));
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
  });

  it('decodes every kind of PNG to the canvas’s bytes', async () => {
    const variants = await pngVariants();
    const hasImageDecoder = await page.evaluate(() => (globalThis as unknown as DecodeCheckGlobal).altsightDecodeCheck.hasImageDecoder);
    const results = [];
    for (const variant of variants) {
      const result = await page.evaluate(
        (base64, side) => (globalThis as unknown as DecodeCheckGlobal).altsightDecodeCheck.compareDecodes(base64, side),
        variant.png.toString('base64'),
        512,
      );
      results.push({ variant: variant.name, ...result });
    }
    expect(results).toEqual(variants.map((variant) => expectedDecode(variant, hasImageDecoder)));
  });
});
