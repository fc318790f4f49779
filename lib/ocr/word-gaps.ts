/**
 * Word gaps seen in the pixels: the recogniser's input strip, column by column. Confirms spaces the
 * recogniser hinted at but did not write, so a hint inside a word ("re sults") is not taken for one.
 */
import type { FloatTensor } from './types';

/** Pixels differing from the background by this share of the strip's contrast count as ink. */
const INK_CONTRAST_SHARE = 0.4;
/** Pixels differing by this share are at least faint ink: a faded stroke, not paper. */
const FAINT_INK_CONTRAST_SHARE = 0.2;
/**
 * A hinted space is a word gap when the ink-free run between the two characters is at least this share of
 * the strip height (the detector's box, whose height follows the font size) and the hint reached the
 * floor. On rendered UI fonts at 11-20 px, the recogniser's own spaces plus hints confirmed this way (and
 * by the wide-gap rule below) missed 4 of 2388 word gaps and took 6 of 13428 letter gaps for spaces;
 * ratios to the ink height did worse, as lines without descenders look short.
 */
export const WORD_GAP_STRIP_HEIGHTS = 1 / 6;
/** A run this wide is a word gap even when the hint reached only WIDE_GAP_FLOOR_SHARE of the floor. */
export const WIDE_WORD_GAP_STRIP_HEIGHTS = 1 / 4;
export const WIDE_GAP_FLOOR_SHARE = 1 / 4;
/**
 * A run this wide is a word gap with no hint at all: after a colon or between digits and letters
 * ("Price: ¥68", "180 MB") the Chinese-trained recogniser gives a space no weight, as Chinese typesetting
 * has none there. Letter gaps on the test set reach 0.28 strip heights (monospace punctuation).
 */
export const UNHINTED_WORD_GAP_STRIP_HEIGHTS = 1 / 3;
/** Of that run, at least this share must hold not even faint ink (see isWordGap). */
export const UNHINTED_PAPER_SHARE = 0.75;

export interface InkProfile {
  /** 1 where the column holds no ink, per column of the strip's content. */
  inkFreeColumns: Uint8Array;
  /** 1 where the column holds not even faint ink (FAINT_INK_CONTRAST_SHARE). */
  paperColumns: Uint8Array;
  /** Height of the strip in the recogniser input. */
  stripHeightPx: number;
  /** Whether any column holds ink at all. */
  hasInk: boolean;
  /** Mean of the three channels, row-major over the profiled columns. */
  grey: Float32Array;
  /** Median grey, taken as the paper. */
  background: number;
  /** Largest distance of any pixel from the background. */
  contrast: number;
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
  const data = input.data;
  const offset = n * channels * plane;
  // The channels summed in order, each partial sum rounded to float32 as the array would store it: one
  // pass over the pixels, with the same result to the bit as one pass per channel.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < columns; x++) {
      let sum = 0;
      for (let c = 0, at = offset + y * width + x; c < channels; c++, at += plane) sum = Math.fround(sum + data[at]! / channels);
      grey[y * columns + x] = sum;
    }
  }
  const background = median(grey);
  let contrast = 0;
  for (const value of grey) contrast = Math.max(contrast, Math.abs(value - background));
  const inkFreeColumns = new Uint8Array(columns).fill(1);
  const paperColumns = new Uint8Array(columns).fill(1);
  let hasInk = false;
  // Below a few grey levels is the median's own rounding, not ink.
  if (contrast > MIN_INK_CONTRAST) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < columns; x++) {
        const distance = Math.abs(grey[y * columns + x]! - background);
        if (distance <= FAINT_INK_CONTRAST_SHARE * contrast) continue;
        paperColumns[x] = 0;
        if (distance <= INK_CONTRAST_SHARE * contrast) continue;
        inkFreeColumns[x] = 0;
        hasInk = true;
      }
    }
  }
  return { inkFreeColumns, paperColumns, stripHeightPx: height, hasInk, grey, background, contrast };
}

/** Bins of the [-1, 1] input range: the background level needs no finer grain than the 8-bit source. */
const LEVELS = 512;
const MIN_INK_CONTRAST = 4 / LEVELS;

/** Median of values in [-1, 1] to 1/256, by histogram: a sort per strip cost more than the recogniser's decode. */
function median(values: Float32Array): number {
  if (values.length === 0) return 0;
  const counts = new Uint32Array(LEVELS);
  const bin = (v: number) => Math.max(0, Math.min(LEVELS - 1, Math.floor(((v + 1) / 2) * LEVELS)));
  for (const v of values) counts[bin(v)]!++;
  const middle = Math.floor(values.length / 2);
  let seen = 0;
  for (let b = 0; b < LEVELS; b++) {
    seen += counts[b]!;
    if (seen > middle) return ((b + 0.5) / LEVELS) * 2 - 1;
  }
  return 1;
}

/**
 * Widest ink-free run within columns [fromX, toX], in strip heights (0 for a blank strip); with `faint`,
 * columns holding even faint ink break the run.
 */
export function widestInkFreeRun(profile: InkProfile, fromX: number, toX: number, faint = false): number {
  if (!profile.hasInk || profile.stripHeightPx === 0) return 0;
  const free = faint ? profile.paperColumns : profile.inkFreeColumns;
  let run = 0;
  let widest = 0;
  const end = Math.min(Math.floor(toX), free.length - 1);
  for (let x = Math.max(0, Math.ceil(fromX)); x <= end; x++) {
    run = free[x] ? run + 1 : 0;
    widest = Math.max(widest, run);
  }
  return widest / profile.stripHeightPx;
}

/** Whether a space hinted with spaceProbability between columns fromX and toX is a word gap. */
export function isWordGap(profile: InkProfile, fromX: number, toX: number, spaceProbability: number, spaceFloor: number): boolean {
  const run = widestInkFreeRun(profile, fromX, toX);
  // With no hint, the gap must also be mostly bare paper: faded print (a thermal receipt) shows its thin
  // strokes only faintly, and a letter of them would otherwise leave a word-wide run ("MODE LLING"). The
  // faint run is narrower than the ink-free one by the glyphs' antialiased edges, hence the share.
  const unhinted = spaceProbability < spaceFloor * WIDE_GAP_FLOOR_SHARE;
  if (run >= UNHINTED_WORD_GAP_STRIP_HEIGHTS && (!unhinted || widestInkFreeRun(profile, fromX, toX, true) >= UNHINTED_PAPER_SHARE * UNHINTED_WORD_GAP_STRIP_HEIGHTS)) return true;
  if (unhinted) return false;
  return run >= WIDE_WORD_GAP_STRIP_HEIGHTS || (spaceProbability >= spaceFloor && run >= WORD_GAP_STRIP_HEIGHTS);
}
