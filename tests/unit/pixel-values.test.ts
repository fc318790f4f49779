import { describe, expect, it } from 'vitest';
import { ImageProcessor, RawImage } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedSizeInputOf, pixelValuesOf } from '@/lib/caption/pixel-values';
import { MODELS_DIR } from '../support/servers';

const FIXTURE_CONFIG = JSON.parse(readFileSync(join(MODELS_DIR, 'altsight-test/tiny-shapes-captioner/preprocessor_config.json'), 'utf8'));
/** distilvit's preprocessor_config.json (Mozilla's captioner, the catalog's default), as published. */
const DISTILVIT_CONFIG = {
  do_normalize: true,
  do_rescale: true,
  do_resize: true,
  image_mean: [0.5, 0.5, 0.5],
  image_processor_type: 'ViTImageProcessor',
  image_std: [0.5, 0.5, 0.5],
  resample: 2,
  rescale_factor: 0.00392156862745098,
  size: { height: 224, width: 224 },
};
/** CLIP-like numbers: channels differ, so a mixed-up channel shows. */
const CLIP_LIKE_CONFIG = { ...DISTILVIT_CONFIG, size: { height: 8, width: 12 }, image_mean: [0.481, 0.458, 0.408], image_std: [0.269, 0.261, 0.276] };

function noiseRgba(width: number, height: number, seed: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  let s = seed;
  for (let i = 0; i < rgba.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    rgba[i] = i % 4 === 3 ? 255 : s >>> 24;
  }
  return rgba;
}

describe('one-pass pixel values', () => {
  it.each([
    ['the tiny fixture', FIXTURE_CONFIG],
    ['distilvit', DISTILVIT_CONFIG],
    ['per-channel mean and std', CLIP_LIKE_CONFIG],
    ['no normalisation', { ...CLIP_LIKE_CONFIG, do_normalize: false }],
    ['no rescale', { ...CLIP_LIKE_CONFIG, do_rescale: false, do_normalize: false }],
  ])('equal transformers.js’s image processor, float for float, for %s', async (_name, config) => {
    const processor = new ImageProcessor(config);
    const input = fixedSizeInputOf(processor);
    expect(input).not.toBeNull();
    const { widthPx, heightPx } = input!;
    // Drawn at the input's size already, so the processor's resize (sharp in node, a canvas in browsers) is skipped.
    const rgba = noiseRgba(widthPx, heightPx, 7);
    const { pixel_values } = (await processor(new RawImage(rgba, widthPx, heightPx, 4))) as { pixel_values: { dims: number[]; data: Float32Array } };
    expect(pixel_values.dims).toEqual([1, 3, heightPx, widthPx]);
    expect(pixelValuesOf(rgba, input!)).toEqual(pixel_values.data);
  });

  it.each([
    ['a centre crop', { ...DISTILVIT_CONFIG, do_center_crop: true, crop_size: 200 }],
    ['padding', { ...DISTILVIT_CONFIG, do_pad: true }],
    ['a shortest-edge size', { ...DISTILVIT_CONFIG, size: { shortest_edge: 224 } }],
    ['a thumbnail', { ...DISTILVIT_CONFIG, do_thumbnail: true }],
    ['BGR order', { ...DISTILVIT_CONFIG, do_flip_channel_order: true }],
    ['aspect-keeping sizes', { ...DISTILVIT_CONFIG, keep_aspect_ratio: true, ensure_multiple_of: 14 }],
    ['a per-image pixel budget', { ...DISTILVIT_CONFIG, max_pixels: 50_000 }],
    ['no resize', { ...DISTILVIT_CONFIG, do_resize: false }],
    ['two-channel statistics', { ...DISTILVIT_CONFIG, image_mean: [0.5, 0.5] }],
  ])('leaves %s to the processor', (_name, config) => {
    expect(fixedSizeInputOf(new ImageProcessor(config))).toBeNull();
  });

  it('refuses pixels of another size', () => {
    const input = fixedSizeInputOf(new ImageProcessor(CLIP_LIKE_CONFIG))!;
    expect(() => pixelValuesOf(noiseRgba(12, 9, 1), input)).toThrow(/12×8/);
  });
});
