/** Pixel work the pipeline needs, in plain TypeScript so it runs without a canvas (service worker, Node). */
import type { RgbaImage } from './types';

/** Opaque three-channel pixels, row-major RGB. */
export interface RgbImage {
  data: Uint8Array;
  widthPx: number;
  heightPx: number;
}

/**
 * Three-channel pixels (0..255), row-major, straight from a resampler: floats, or the source's own bytes
 * (a view, not a copy) when no resampling was needed.
 */
export interface FloatRgbImage {
  data: Float32Array | Uint8Array;
  widthPx: number;
  heightPx: number;
}

const RGBA_CHANNELS = 4;
const RGB_CHANNELS = 3;
const WHITE = 255;

/** Bytes a caller lends toOpaqueRgb for its output, grown as needed (see scratch.ts). */
export interface RgbScratch {
  bytes: Uint8Array;
}

/**
 * Flattens alpha onto white (web pages mostly are) and, past maxPixels, box-downsamples by a whole factor
 * so a huge image never costs more than maxPixels × 3 bytes. Returns the image and the factor used; with
 * `scratch`, the image lives in its bytes.
 */
export function toOpaqueRgb(image: RgbaImage, maxPixels: number, scratch?: RgbScratch): { rgb: RgbImage; downsampleFactor: number } {
  const { widthPx, heightPx, data } = image;
  const factor = Math.max(1, Math.ceil(Math.sqrt((widthPx * heightPx) / maxPixels)));
  const outWidth = Math.max(1, Math.floor(widthPx / factor));
  const outHeight = Math.max(1, Math.floor(heightPx / factor));
  const length = outWidth * outHeight * RGB_CHANNELS;
  if (scratch && scratch.bytes.length < length) scratch.bytes = new Uint8Array(length);
  // Every byte is written below, so a lent buffer needs no clearing.
  const out = scratch ? scratch.bytes.subarray(0, length) : new Uint8Array(length);
  if (factor === 1) {
    // Most images: no averaging, and opaque pixels (alpha 255) come through as they are.
    for (let p = 0, o = 0; o < out.length; p += RGBA_CHANNELS, o += RGB_CHANNELS) {
      const alphaByte = data[p + 3]!;
      if (alphaByte === 255) {
        out[o] = data[p]!;
        out[o + 1] = data[p + 1]!;
        out[o + 2] = data[p + 2]!;
      } else {
        const alpha = alphaByte / 255;
        const background = WHITE * (1 - alpha);
        out[o] = Math.round(data[p]! * alpha + background);
        out[o + 1] = Math.round(data[p + 1]! * alpha + background);
        out[o + 2] = Math.round(data[p + 2]! * alpha + background);
      }
    }
    return { rgb: { data: out, widthPx: outWidth, heightPx: outHeight }, downsampleFactor: factor };
  }
  for (let oy = 0; oy < outHeight; oy++) {
    const yEnd = Math.min(heightPx, (oy + 1) * factor);
    for (let ox = 0; ox < outWidth; ox++) {
      const xEnd = Math.min(widthPx, (ox + 1) * factor);
      let r = 0;
      let g = 0;
      let b = 0;
      let count = 0;
      for (let y = oy * factor; y < yEnd; y++) {
        for (let x = ox * factor; x < xEnd; x++) {
          const i = (y * widthPx + x) * RGBA_CHANNELS;
          const alpha = data[i + 3]! / 255;
          const background = WHITE * (1 - alpha);
          r += data[i]! * alpha + background;
          g += data[i + 1]! * alpha + background;
          b += data[i + 2]! * alpha + background;
          count++;
        }
      }
      const o = (oy * outWidth + ox) * RGB_CHANNELS;
      out[o] = Math.round(r / count);
      out[o + 1] = Math.round(g / count);
      out[o + 2] = Math.round(b / count);
    }
  }
  return { rgb: { data: out, widthPx: outWidth, heightPx: outHeight }, downsampleFactor: factor };
}

interface ResampleTaps {
  first: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  maxTaps: number;
}

/**
 * Triangle-filter taps with half-pixel centres: plain bilinear when enlarging (as cv2.INTER_LINEAR),
 * widened when shrinking so thin strokes are averaged instead of skipped.
 */
function resampleTaps(sourceSize: number, targetSize: number): ResampleTaps {
  const scale = sourceSize / targetSize;
  const support = Math.max(1, scale);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(targetSize);
  const count = new Int32Array(targetSize);
  const weights = new Float32Array(targetSize * maxTaps);
  for (let i = 0; i < targetSize; i++) {
    const centre = (i + 0.5) * scale - 0.5;
    const lo = Math.ceil(centre - support);
    const hi = Math.floor(centre + support);
    const start = Math.max(0, Math.min(sourceSize - 1, lo));
    const row = i * maxTaps;
    let total = 0;
    let n = 0;
    for (let s = lo; s <= hi; s++) {
      const w = 1 - Math.abs(s - centre) / support;
      if (w <= 0) continue;
      // Taps past an edge fold onto the edge pixel (replicate border).
      const slot = Math.max(0, Math.min(sourceSize - 1, s)) - start;
      weights[row + slot] = weights[row + slot]! + w;
      n = Math.max(n, slot + 1);
      total += w;
    }
    if (total === 0) {
      weights[row] = 1;
      n = 1;
      total = 1;
    }
    for (let k = 0; k < n; k++) weights[row + k] = weights[row + k]! / total;
    first[i] = start;
    count[i] = n;
  }
  return { first, count, weights, maxTaps };
}

/**
 * Separable resize of RGB pixels to float RGB; keeps fractional values so normalisation sees no rounding.
 * Only the target rectangle of rows [fromRow, toRow) and columns [fromCol, toCol) is produced, so a big
 * image can be resized one tile at a time.
 */
/**
 * Buffers a caller resizing many tiles of one image lends resizeRgb, which grows them as needed: each
 * tile's resample would otherwise leave two float copies of it as garbage (7 MB a tile on a big scan,
 * hundreds of MB before a collection).
 */
export interface ResizeScratch {
  horizontal: Float32Array;
  out: Float32Array;
}

export function resizeRgb(
  source: RgbImage,
  widthPx: number,
  heightPx: number,
  fromRow = 0,
  toRow = heightPx,
  fromCol = 0,
  toCol = widthPx,
  scratch?: ResizeScratch,
): FloatRgbImage {
  const outWidth = Math.max(0, toCol - fromCol);
  if (widthPx === source.widthPx && heightPx === source.heightPx) {
    // Small text is cropped straight at the recogniser's height, and pages up to the detector's width are
    // detected at their own: nothing to resample, and full rows are not even copied.
    const rowBytes = widthPx * RGB_CHANNELS;
    const rows = Math.max(0, toRow - fromRow);
    if (outWidth === widthPx) return { data: source.data.subarray(fromRow * rowBytes, (fromRow + rows) * rowBytes), widthPx, heightPx: rows };
    const data = new Uint8Array(outWidth * rows * RGB_CHANNELS);
    for (let y = 0; y < rows; y++) {
      const from = (fromRow + y) * rowBytes + fromCol * RGB_CHANNELS;
      data.set(source.data.subarray(from, from + outWidth * RGB_CHANNELS), y * outWidth * RGB_CHANNELS);
    }
    return { data, widthPx: outWidth, heightPx: rows };
  }
  const columns = resampleTaps(source.widthPx, widthPx);
  const rows = resampleTaps(source.heightPx, heightPx);
  const bandRows = Math.max(0, toRow - fromRow);
  // Source rows the band's vertical taps reach.
  const firstSourceRow = bandRows === 0 ? 0 : rows.first[fromRow]!;
  let lastSourceRow = firstSourceRow - 1;
  for (let y = fromRow; y < toRow; y++) lastSourceRow = Math.max(lastSourceRow, rows.first[y]! + rows.count[y]! - 1);
  const src = source.data;
  const horizontal = scratchArray(scratch, 'horizontal', outWidth * Math.max(0, lastSourceRow - firstSourceRow + 1) * RGB_CHANNELS);
  for (let y = firstSourceRow; y <= lastSourceRow; y++) {
    const rowStart = y * source.widthPx;
    const outRow = (y - firstSourceRow) * outWidth - fromCol;
    for (let x = fromCol; x < toCol; x++) {
      let r: number;
      let g: number;
      let b: number;
      const i = (rowStart + columns.first[x]!) * RGB_CHANNELS;
      const taps = columns.count[x]!;
      const w = x * columns.maxTaps;
      if (taps === 2) {
        const w0 = columns.weights[w]!;
        const w1 = columns.weights[w + 1]!;
        r = src[i]! * w0 + src[i + 3]! * w1;
        g = src[i + 1]! * w0 + src[i + 4]! * w1;
        b = src[i + 2]! * w0 + src[i + 5]! * w1;
      } else {
        r = 0;
        g = 0;
        b = 0;
        for (let k = 0; k < taps; k++) {
          const weight = columns.weights[w + k]!;
          const at = i + k * RGB_CHANNELS;
          r += src[at]! * weight;
          g += src[at + 1]! * weight;
          b += src[at + 2]! * weight;
        }
      }
      const o = (outRow + x) * RGB_CHANNELS;
      horizontal[o] = r;
      horizontal[o + 1] = g;
      horizontal[o + 2] = b;
    }
  }
  const out = scratchArray(scratch, 'out', outWidth * bandRows * RGB_CHANNELS);
  const rowLength = outWidth * RGB_CHANNELS;
  for (let y = fromRow; y < toRow; y++) {
    const o = (y - fromRow) * rowLength;
    const i = (rows.first[y]! - firstSourceRow) * rowLength;
    const taps = rows.count[y]!;
    const w = y * rows.maxTaps;
    // Summed tap by tap, each partial sum rounded to float32 (fround) as a float32 array would store it,
    // so the result is the same to the bit whichever way the loop runs; two and three taps (nearly every
    // row) unrolled.
    if (taps === 2) {
      const w0 = rows.weights[w]!;
      const w1 = rows.weights[w + 1]!;
      for (let c = 0; c < rowLength; c++) out[o + c] = Math.fround(horizontal[i + c]! * w0) + horizontal[i + rowLength + c]! * w1;
    } else if (taps === 3) {
      const w0 = rows.weights[w]!;
      const w1 = rows.weights[w + 1]!;
      const w2 = rows.weights[w + 2]!;
      const i1 = i + rowLength;
      const i2 = i1 + rowLength;
      for (let c = 0; c < rowLength; c++) {
        out[o + c] = Math.fround(Math.fround(horizontal[i + c]! * w0) + horizontal[i1 + c]! * w1) + horizontal[i2 + c]! * w2;
      }
    } else {
      for (let c = 0; c < rowLength; c++) {
        let sum = 0;
        for (let k = 0; k < taps; k++) sum = Math.fround(sum + horizontal[i + k * rowLength + c]! * rows.weights[w + k]!);
        out[o + c] = sum;
      }
    }
  }
  return { data: out, widthPx: outWidth, heightPx: bandRows };
}

/** A float array of `length`: a view of the scratch buffer (grown when too small), or a new one without scratch. */
function scratchArray(scratch: ResizeScratch | undefined, which: keyof ResizeScratch, length: number): Float32Array {
  if (!scratch) return new Float32Array(length);
  if (scratch[which].length < length) scratch[which] = new Float32Array(length);
  return scratch[which].subarray(0, length);
}

/** Bilinear sample at (x, y) in pixel-centre coordinates, edges replicated, into out[offset..offset+2]. */
export function sampleBilinear(image: RgbImage, x: number, y: number, out: Uint8Array, offset: number): void {
  const maxX = image.widthPx - 1;
  const maxY = image.heightPx - 1;
  const cx = Math.max(0, Math.min(maxX, x));
  const cy = Math.max(0, Math.min(maxY, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(maxX, x0 + 1);
  const y1 = Math.min(maxY, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const d = image.data;
  const i00 = (y0 * image.widthPx + x0) * RGB_CHANNELS;
  const i01 = (y0 * image.widthPx + x1) * RGB_CHANNELS;
  const i10 = (y1 * image.widthPx + x0) * RGB_CHANNELS;
  const i11 = (y1 * image.widthPx + x1) * RGB_CHANNELS;
  for (let c = 0; c < RGB_CHANNELS; c++) {
    const top = d[i00 + c]! * (1 - fx) + d[i01 + c]! * fx;
    const bottom = d[i10 + c]! * (1 - fx) + d[i11 + c]! * fx;
    out[offset + c] = Math.round(top * (1 - fy) + bottom * fy);
  }
}

/** Quarter turn counter-clockwise, as numpy.rot90 does (PaddleOCR turns tall crops this way). */
export function rotateQuarterCounterClockwise(image: RgbImage): RgbImage {
  const { widthPx, heightPx, data } = image;
  const out = new Uint8Array(data.length);
  // Output is heightPx wide and widthPx tall: out(x, y) = in(widthPx - 1 - y, x).
  for (let y = 0; y < widthPx; y++) {
    for (let x = 0; x < heightPx; x++) {
      const i = (x * widthPx + (widthPx - 1 - y)) * RGB_CHANNELS;
      const o = (y * heightPx + x) * RGB_CHANNELS;
      out[o] = data[i]!;
      out[o + 1] = data[i + 1]!;
      out[o + 2] = data[i + 2]!;
    }
  }
  return { data: out, widthPx: heightPx, heightPx: widthPx };
}

/** Half turn, for crops the direction classifier says are upside down. */
export function rotateHalfTurn(image: RgbImage): RgbImage {
  const pixels = image.widthPx * image.heightPx;
  const out = new Uint8Array(image.data.length);
  for (let p = 0; p < pixels; p++) {
    const i = p * RGB_CHANNELS;
    const o = (pixels - 1 - p) * RGB_CHANNELS;
    out[o] = image.data[i]!;
    out[o + 1] = image.data[i + 1]!;
    out[o + 2] = image.data[i + 2]!;
  }
  return { data: out, widthPx: image.widthPx, heightPx: image.heightPx };
}
