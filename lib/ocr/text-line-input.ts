/** Classifier and recogniser input: text strips resized to a fixed height, normalised, padded right. */
import { resizeRgb, type ResizeScratch, type RgbImage } from './raster';
import type { FloatTensor } from './types';

/** PP-OCR's classifier and recogniser both take 48-px-tall strips. */
export const TEXT_LINE_HEIGHT_PX = 48;
/** Direction classifier input width (cls_image_shape 3,48,192). */
export const CLASSIFIER_WIDTH_PX = 192;
/** Narrowest recogniser input (rec_image_shape 3,48,320): shorter words are padded, as in training. */
export const RECOGNIZER_MIN_WIDTH_PX = 320;

/**
 * Buffers one image's classifier and recogniser calls reuse, one call after another: a fresh array a call
 * cost Chromium far more than filling a used one (2.2 ms against 0.02 for 230 KB, a 400-px strip's tensor,
 * on the benchmark machine), and an image makes tens to hundreds of calls. A tensor built in them is only
 * good until the next one is.
 */
export interface TextLineBuffers {
  resize: ResizeScratch;
  tensor: Float32Array;
}

export function textLineBuffers(): TextLineBuffers {
  return { resize: { horizontal: new Float32Array(0), out: new Float32Array(0) }, tensor: new Float32Array(0) };
}

/**
 * [N,3,48,widthPx]: each strip scaled to height 48 keeping its aspect (squeezed if wider than widthPx),
 * channels B, G, R as (v/255 - 0.5)/0.5, zero (mid-grey) padding on the right — PaddleOCR's resize_norm_img.
 * With `buffers`, built in them.
 */
export function textLineTensor(strips: readonly RgbImage[], widthPx: number, buffers?: TextLineBuffers): FloatTensor {
  const plane = TEXT_LINE_HEIGHT_PX * widthPx;
  const size = strips.length * 3 * plane;
  let data: Float32Array;
  if (buffers) {
    if (buffers.tensor.length < size) buffers.tensor = new Float32Array(size);
    data = buffers.tensor.subarray(0, size).fill(0);
  } else {
    data = new Float32Array(size);
  }
  strips.forEach((strip, n) => {
    const fitted = fittedWidthPx(strip, widthPx);
    const resized = resizeRgb(strip, fitted, TEXT_LINE_HEIGHT_PX, 0, TEXT_LINE_HEIGHT_PX, 0, fitted, buffers?.resize);
    for (let channel = 0; channel < 3; channel++) {
      const rgbChannel = 2 - channel;
      const offset = (n * 3 + channel) * plane;
      for (let y = 0; y < TEXT_LINE_HEIGHT_PX; y++) {
        for (let x = 0; x < resized.widthPx; x++) {
          const value = resized.data[(y * resized.widthPx + x) * 3 + rgbChannel]!;
          data[offset + y * widthPx + x] = value / 127.5 - 1;
        }
      }
    }
  });
  return { data, dims: [strips.length, 3, TEXT_LINE_HEIGHT_PX, widthPx] };
}

/** Width a strip takes inside a widthPx-wide input once scaled to height 48 (the rest is padding). */
export function fittedWidthPx(strip: { widthPx: number; heightPx: number }, widthPx: number): number {
  return Math.max(1, Math.min(widthPx, Math.ceil((TEXT_LINE_HEIGHT_PX * strip.widthPx) / strip.heightPx)));
}

export interface RecognitionBatch {
  /** Indices into the strip list, narrowest first. */
  stripIndices: number[];
  /** Input width shared by the batch: its widest strip at height 48, at least 320, at most maxWidthPx. */
  widthPx: number;
}

/**
 * Groups strips by aspect ratio so each batch pads little (PaddleOCR sorts the same way), batchSize at a
 * time.
 */
export function planRecognitionBatches(
  strips: readonly { widthPx: number; heightPx: number }[],
  batchSize: number,
  maxWidthPx: number,
  minWidthPx = RECOGNIZER_MIN_WIDTH_PX,
  widthStepPx = 1,
): RecognitionBatch[] {
  const aspect = strips.map((s) => s.widthPx / s.heightPx);
  const order = strips.map((_, i) => i).sort((a, b) => aspect[a]! - aspect[b]! || a - b);
  const batches: RecognitionBatch[] = [];
  const size = Math.max(1, Math.floor(batchSize));
  for (let start = 0; start < order.length; start += size) {
    const stripIndices = order.slice(start, start + size);
    const widest = Math.max(minWidthPx / TEXT_LINE_HEIGHT_PX, ...stripIndices.map((i) => aspect[i]!));
    const step = Math.max(1, Math.floor(widthStepPx));
    const widthPx = Math.min(Math.max(minWidthPx, maxWidthPx), Math.ceil(Math.trunc(TEXT_LINE_HEIGHT_PX * widest) / step) * step);
    batches.push({ stripIndices, widthPx });
  }
  return batches;
}
