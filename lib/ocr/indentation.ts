/**
 * Indentation of monospaced text (code, config files, logs): a copied snippet must keep its leading
 * spaces, which the recogniser, reading one line box at a time, never sees. Lines whose starts sit on a
 * lattice of whole indentation steps right of the block's leftmost line get that many steps of spaces.
 * Prose, lists and tables start their lines together, and centred text does not fall on such a
 * lattice, so they are left alone.
 */
import { median } from './geometry';

/** A laid-out line in the reading frame: where its box starts and ends, and how many characters it read. */
export interface LineExtent {
  left: number;
  right: number;
  characters: number;
}

/** Fewer lines than this give no lattice worth trusting. */
const MIN_LINES = 3;
/** Lines this long estimate the character advance; shorter ones are dominated by the box's padding. */
const MIN_CHARACTERS_FOR_ADVANCE = 8;
/**
 * Monospaced lines have the same width per character, give or take the box padding spread over the line
 * (so only lines this long are compared); proportional text varies more ("illicit" against "MAXIMUM").
 */
const MIN_CHARACTERS_FOR_SPREAD = 16;
const MAX_ADVANCE_SPREAD = 0.12;
/** An offset under this share of the advance is the same column (box edges wobble by a pixel or two). */
const SAME_COLUMN_ADVANCES = 0.6;
/** How far from a whole number of indentation steps an offset may sit, as a share of one step. */
const LATTICE_TOLERANCE = 0.2;
/** The fitted step may differ from whole characters at the measured advance by this share (box padding). */
const MAX_STEP_MISFIT = 0.25;
/** Indentation steps wider than this many characters are alignment, not indentation. */
const MAX_STEP_CHARACTERS = 8;

/**
 * The character advance of a block whose lines look monospaced (their long lines agree on width per
 * character), or null.
 */
export function monospacedAdvance(lines: readonly LineExtent[]): number | null {
  const advances = lines.filter((l) => l.characters >= MIN_CHARACTERS_FOR_ADVANCE).map((l) => (l.right - l.left) / l.characters);
  if (advances.length === 0) return null;
  const advance = median(advances);
  const longLines = lines.filter((l) => l.characters >= MIN_CHARACTERS_FOR_SPREAD);
  if (longLines.length < 2 || longLines.some((l) => Math.abs((l.right - l.left) / l.characters - advance) > MAX_ADVANCE_SPREAD * advance)) return null;
  return advance;
}

/** Leading spaces for each line; all zero when the block does not look like indented monospaced text. */
export function leadingSpaces(lines: readonly LineExtent[]): number[] {
  const none = lines.map(() => 0);
  const advance = lines.length < MIN_LINES ? null : monospacedAdvance(lines);
  if (advance === null) return none;
  const leftmost = Math.min(...lines.map((l) => l.left));
  const offsets = lines.map((l) => l.left - leftmost);
  const indented = offsets.filter((o) => o >= SAME_COLUMN_ADVANCES * advance);
  if (indented.length === 0) return none;
  const stepCharacters = Math.round(Math.min(...indented) / advance);
  if (stepCharacters < 1 || stepCharacters > MAX_STEP_CHARACTERS) return none;
  // Levels by the advance, then the lattice fitted to all lines: a step taken from the smallest offset
  // alone carries two box edges' wobble into every deeper level, and the leftmost line's edge is as
  // wobbly as any.
  const levels = offsets.map((o) => (o < SAME_COLUMN_ADVANCES * advance ? 0 : Math.max(1, Math.round(o / (stepCharacters * advance)))));
  const fit = lineFit(levels, offsets);
  if (!fit || Math.abs(fit.slope - stepCharacters * advance) > MAX_STEP_MISFIT * stepCharacters * advance) return none;
  if (offsets.some((o, i) => Math.abs(o - (fit.intercept + fit.slope * levels[i]!)) > LATTICE_TOLERANCE * fit.slope)) return none;
  return levels.map((level) => level * stepCharacters);
}

/** Least-squares y = intercept + slope·x; null when x takes one value. */
function lineFit(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number } | null {
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, i) => {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (ys[i]! - meanY);
  });
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { intercept: meanY - slope * meanX, slope };
}

const GREEK = /[\u0370-\u03ff]/u;

/**
 * Code fonts draw zero with a slash or a dot (DejaVu Sans Mono, Consolas, Menlo), which the recogniser
 * reads as θ: "counts.get(word, θ)". In a monospaced line with no other Greek letter, θ is that zero.
 */
export function slashedZeroAsDigit(text: string): string {
  if (!/[θΘ]/u.test(text) || GREEK.test(text.replace(/[θΘ]/gu, ''))) return text;
  return text.replace(/[θΘ]/gu, '0');
}
