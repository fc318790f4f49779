/**
 * A captioner's `pixel_values` in one pass. transformers.js's image processor makes five passes over the
 * pixels for a ViT-style config (RGBA to RGB, the canvas's RGB back to RGBA, to floats, rescale,
 * normalise, then a permute to channels-first), each with a new array: 3-5 ms per caption, more than the
 * tiny model's whole run. For the configs it covers, this gives the same floats from a lookup table per
 * channel; anything else keeps the processor.
 */

/** The fields of a transformers.js ImageProcessor (or its parsed preprocessor_config.json) this reads. */
export interface ImageProcessorSettings {
  do_crop_margin?: boolean;
  do_convert_rgb?: boolean;
  do_resize?: boolean;
  size?: { width?: number; height?: number; shortest_edge?: number; longest_edge?: number } | number;
  do_thumbnail?: boolean;
  do_center_crop?: boolean;
  do_rescale?: boolean;
  rescale_factor?: number;
  do_normalize?: boolean;
  image_mean?: number | readonly number[];
  image_std?: number | readonly number[];
  do_pad?: boolean;
  do_flip_channel_order?: boolean;
  min_pixels?: number;
  max_pixels?: number;
  config?: { keep_aspect_ratio?: boolean; ensure_multiple_of?: number };
}

/** A fixed-size model input: the pixels are drawn at this size, and each byte maps to its float. */
export interface FixedSizeInput {
  widthPx: number;
  heightPx: number;
  /** The float for byte value b in channel c (0 R, 1 G, 2 B) at [c * 256 + b]. */
  valueOfByte: Float32Array;
}

const CHANNELS = 3;

/**
 * The one-pass plan for a processor that resizes every image to one fixed size, then rescales and
 * normalises per channel; null for anything else (crops, padding, aspect-keeping sizes, channel flips).
 */
export function fixedSizeInputOf(processor: ImageProcessorSettings): FixedSizeInput | null {
  const size = processor.size;
  if (processor.do_crop_margin || processor.do_thumbnail || processor.do_center_crop || processor.do_pad || processor.do_flip_channel_order) return null;
  if (processor.do_convert_rgb === false || processor.min_pixels !== undefined || processor.max_pixels !== undefined) return null;
  if (processor.config?.keep_aspect_ratio || processor.config?.ensure_multiple_of) return null;
  if (processor.do_resize === false || typeof size !== 'object' || !isPositiveInteger(size.width) || !isPositiveInteger(size.height)) return null;
  const mean = perChannel(processor.do_normalize ? processor.image_mean : 0);
  const std = perChannel(processor.do_normalize ? processor.image_std : 1);
  if (!mean || !std || std.some((s) => s === 0)) return null;
  const rescale = processor.do_rescale === false ? 1 : (processor.rescale_factor ?? 1 / 255);
  const valueOfByte = new Float32Array(CHANNELS * 256);
  for (let c = 0; c < CHANNELS; c++) {
    for (let b = 0; b < 256; b++) {
      // The processor's own arithmetic: rescaled into a Float32Array, then normalised into it again.
      const rescaled = processor.do_rescale === false ? b : Math.fround(b * rescale);
      valueOfByte[c * 256 + b] = processor.do_normalize ? (rescaled - mean[c]!) / std[c]! : rescaled;
    }
  }
  return { widthPx: size.width, heightPx: size.height, valueOfByte };
}

/** Channels-first floats [R plane, G plane, B plane] from RGBA bytes already drawn at the input's size. */
export function pixelValuesOf(rgba: ArrayLike<number>, input: FixedSizeInput): Float32Array {
  const plane = input.widthPx * input.heightPx;
  if (rgba.length !== plane * 4) throw new Error(`expected ${input.widthPx}×${input.heightPx} RGBA, got ${rgba.length} bytes`);
  const out = new Float32Array(CHANNELS * plane);
  const table = input.valueOfByte;
  for (let i = 0; i < plane; i++) {
    out[i] = table[rgba[i * 4]!]!;
    out[plane + i] = table[256 + rgba[i * 4 + 1]!]!;
    out[2 * plane + i] = table[512 + rgba[i * 4 + 2]!]!;
  }
  return out;
}

function perChannel(value: number | readonly number[] | undefined): number[] | null {
  if (typeof value === 'number') return [value, value, value];
  if (Array.isArray(value) && value.length === CHANNELS && value.every((v) => typeof v === 'number')) return [...value];
  return null;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
