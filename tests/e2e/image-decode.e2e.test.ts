/**
 * The engine decodes a plain PNG with WebCodecs' ImageDecoder instead of bitmap + canvas (faster: see
 * decodesDirectly in lib/images/load.ts) only because the two give the same bytes. This holds it to that
 * in Chromium, on every kind of PNG a decoder treats differently, and checks that the rest (transparency,
 * 16 bits, colour and orientation chunks, a smaller copy) still take the canvas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { expectedDecode, pngVariants, type PngVariant } from '../support/png-variants';
import { IMAGES_DIR, OCR_FIXTURES_DIR } from '../support/servers';
import type { DecodeCheckGlobal } from '../../entrypoints/decode-check/main';

const compareDecodes = (page: Page, png: Buffer, maxSidePx: number) =>
  page.evaluate(([base64, side]) => (globalThis as unknown as DecodeCheckGlobal).altsightDecodeCheck.compareDecodes(base64, side), [png.toString('base64'), maxSidePx] as const);

describe('Image decoding in Chromium: ImageDecoder where it gives the canvas’s bytes', () => {
  let ext: ExtensionBrowser;
  let page: Page;
  let variants: PngVariant[];

  beforeAll(async () => {
    variants = await pngVariants();
    ext = await launchWithExtension({ backend: 'wasm' });
    page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/decode-check.html`);
    await page.waitForFunction(() => document.title.includes('ready'));
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
  });

  it('has ImageDecoder (otherwise nothing here would test the fast path)', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as DecodeCheckGlobal).altsightDecodeCheck.hasImageDecoder)).toBe(true);
  });

  it('decodes every kind of PNG to the canvas’s bytes, by ImageDecoder exactly when it is plain and opaque', async () => {
    const results = [];
    for (const variant of variants) results.push({ variant: variant.name, ...(await compareDecodes(page, variant.png, 512)) });
    expect(results).toEqual(variants.map((variant) => expectedDecode(variant, true)));
  });

  it('decodes the project’s own fixtures (a photo-like image, an OCR page) the same both ways', async () => {
    for (const file of [join(IMAGES_DIR, 'red-circle.png'), join(OCR_FIXTURES_DIR, 'article-sans/battery-care.png'), join(OCR_FIXTURES_DIR, 'dark/music-player.png')]) {
      const result = await compareDecodes(page, readFileSync(file), 4096);
      expect({ file, ...result }).toMatchObject({ file, decodedBy: 'image-decoder', differingBytes: 0 });
    }
  });

  it('leaves a smaller copy to the canvas, which resamples it', async () => {
    const rgb = variants.find((v) => v.name === 'RGB, 8 bits')!;
    expect(await compareDecodes(page, rgb.png, 48)).toEqual({ decodedBy: 'canvas', widthPx: 48, heightPx: 30, differingBytes: 0 });
  });

  it('fails a broken plain PNG as the canvas does, with its message', async () => {
    const rgb = variants.find((v) => v.name === 'RGB, 8 bits')!;
    const broken = Buffer.from(rgb.png.subarray(0, 400)); // cut inside IDAT, no IEND
    const result = await compareDecodes(page, broken, 512);
    expect(result.failures).toEqual({ chosen: expect.stringMatching(/could not be decoded/), reference: expect.stringMatching(/could not be decoded/) });
  });
});
