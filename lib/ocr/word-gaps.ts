/**
 * Word gaps seen in the pixels: the recogniser's input strip, column by column. Confirms spaces the
 * recogniser hinted at but did not write, so a hint inside a word ("re sults") is not taken for one.
 */
import type { FloatTensor } from './types';

/** Pixels differing from the background by this share of the strip's contrast count as ink. */
const INK_CONTRAST_SHARE = 0.4;
/**
 * An ink-free run at least this share of the ink height is a word gap. Measured on rendered UI fonts at
 * 11-20 px: word gaps are rarely below 0.2, letter gaps rarely above it (monospace "il" aside).
 */
export const MIN_WORD_GAP_INK_HEIGHTS = 0.2;

export interface InkProfile {
  /** 1 where the column holds no ink, per column of the strip's content. */
  inkFreeColumns: Uint8Array;
  /** Rows from the first to the last that hold ink (0 when the strip is blank). */
  inkHeightPx: number;
}

/**
 * Ink profile of strip n of a [N,3,H,W] recogniser input normalised to [-1, 1], over its first
 * contentWidthPx columns. Background is the median grey, so dark-on-light and light-on-dark both work.
 */
export function inkProfile(input: FloatTensor, n: number, contentWidthPx: number): InkProfile {
  const [, channels = 3, height = 0, width = 0] = input.dims;
  const columns = Math.max(0, Math.min(contentWidthPx, width));
  const grey = new Float32Array(columns * height);
  const plane = height * width;
  for (let c = 0; c < channels; c++) {
    const offset = (n * channels + c) * plane;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < columns; x++) grey[y * columns + x] = grey[y * columns + x]! + input.data[offset + y * width + x]! / channels;
    }
  }
  const background = median(grey);
  let contrast = 0;
  for (const value of grey) contrast = Math.max(contrast, Math.abs(value - background));
  const inkFreeColumns = new Uint8Array(columns).fill(1);
  let top = height;
  let bottom = -1;
  if (contrast > 0) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < columns; x++) {
        if (Math.abs(grey[y * columns + x]! - background) <= INK_CONTRAST_SHARE * contrast) continue;
        inkFreeColumns[x] = 0;
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  return { inkFreeColumns, inkHeightPx: Math.max(0, bottom - top + 1) };
}

function median(values: Float32Array): number {
  if (values.length === 0) return 0;
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Whether an ink-free run of at least MIN_WORD_GAP_INK_HEIGHTS × ink height lies within columns [fromX, toX]. */
export function hasWordGap(profile: InkProfile, fromX: number, toX: number): boolean {
  const needed = MIN_WORD_GAP_INK_HEIGHTS * profile.inkHeightPx;
  if (profile.inkHeightPx === 0) return false;
  let run = 0;
  const end = Math.min(Math.floor(toX), profile.inkFreeColumns.length - 1);
  for (let x = Math.max(0, Math.ceil(fromX)); x <= end; x++) {
    run = profile.inkFreeColumns[x] ? run + 1 : 0;
    if (run >= needed) return true;
  }
  return false;
}
