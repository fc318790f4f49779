/**
 * Accents the recogniser saw but did not write. PP-OCRv4's dictionary has é, ü, ç and the rest, but it
 * was trained mostly on Chinese and English: over "Musée" it writes "e" and ranks "é" second. An accented
 * letter is written when the recogniser ranks that variant above its other variants and the pixels show
 * a mark of its own above (or, for ç, below) the letter, apart from the letter's body.
 */
import type { CharacterEmission } from './ctc';
import type { InkProfile } from './word-gaps';

/** Base letters and the accented variants PP-OCR's dictionary may hold for them. */
const VARIANTS: Readonly<Record<string, string>> = {
  // No i: its dot is a mark of its own, so the pixels can't tell í from i.
  a: 'àáâäãå',
  e: 'èéêë',
  o: 'òóôöõ',
  u: 'ùúûü',
  c: 'ç',
  n: 'ñ',
  y: 'ýÿ',
  A: 'ÀÁÂÄÃÅ',
  E: 'ÈÉÊË',
  O: 'ÒÓÔÖÕ',
  U: 'ÙÚÛÜ',
  C: 'Ç',
  N: 'Ñ',
};
/** Marks below the letter (cedilla); every other variant's mark is above it. */
const MARK_BELOW = new Set(['ç', 'Ç']);

/**
 * The variant must have at least this probability at the letter's step: the recogniser's own hint. On
 * the real-world set, 0.003 restored "Musée" and "über" and changed nothing else; 0.0005 caught more
 * ("rápido" had 0.001) but also wrote "ovér" and "Dü" where an i's dot or a neighbour's ink sat above.
 * Rendered test sets: no change at either.
 */
export const MIN_VARIANT_PROBABILITY = 0.003;
/** A mark is at most this share of the letter body's height (an i's dot or an accent, not a letter). */
const MAX_MARK_BODY_SHARE = 0.6;
/** Rows of paper between mark and body, at least: an accent stands apart from its letter. */
const MIN_MARK_GAP_ROWS = 1;

export interface StepProbabilities {
  /** Probability of class `c` at step `t`. */
  at(t: number, c: number): number;
}

const classesByDictionary = new WeakMap<readonly string[], Map<string, number>>();

/** Each character's class in the dictionary (the last, as CTC decoding reads the dictionary). */
export function classesOf(dictionary: readonly string[]): ReadonlyMap<string, number> {
  let classes = classesByDictionary.get(dictionary);
  if (!classes) {
    classes = new Map(dictionary.map((ch, i) => [ch, i]));
    classesByDictionary.set(dictionary, classes);
  }
  return classes;
}

/**
 * The text with accents restored where recogniser and pixels agree. `classOf` maps a character to its
 * class in the dictionary (absent when the dictionary lacks it).
 */
export function restoreAccents(
  text: string,
  emissions: readonly CharacterEmission[],
  probabilities: StepProbabilities,
  classOf: ReadonlyMap<string, number>,
  profile: InkProfile,
  stepWidthPx: number,
): string {
  let out = text;
  for (const { step, textIndex } of emissions) {
    const base = text[textIndex]!;
    const variants = VARIANTS[base];
    if (!variants) continue;
    let best: string | null = null;
    let bestProbability = MIN_VARIANT_PROBABILITY;
    for (const variant of variants) {
      const c = classOf.get(variant);
      if (c === undefined) continue;
      const p = probabilities.at(step, c);
      if (p >= bestProbability) {
        best = variant;
        bestProbability = p;
      }
    }
    if (!best) continue;
    const centreX = (step + 0.5) * stepWidthPx;
    if (!hasSeparateMark(profile, centreX - stepWidthPx / 2, centreX + stepWidthPx / 2, MARK_BELOW.has(best) ? 'below' : 'above')) continue;
    out = out.slice(0, textIndex) + best + out.slice(textIndex + 1);
  }
  return out;
}

/**
 * Whether the ink over columns [fromX, toX) forms a body with a smaller mark apart from it on the given
 * side: rows with ink there, split into runs by rows of paper.
 */
export function hasSeparateMark(profile: InkProfile, fromX: number, toX: number, side: 'above' | 'below'): boolean {
  const columns = profile.inkFreeColumns.length;
  const from = Math.max(0, Math.floor(fromX));
  const to = Math.min(columns, Math.ceil(toX));
  if (to <= from || !profile.hasInk) return false;
  const threshold = 0.4 * profile.contrast;
  const runs: { top: number; bottom: number }[] = [];
  for (let y = 0; y < profile.stripHeightPx; y++) {
    let ink = false;
    for (let x = from; x < to && !ink; x++) ink = Math.abs(profile.grey[y * columns + x]! - profile.background) > threshold;
    if (!ink) continue;
    const last = runs[runs.length - 1];
    if (last && y - last.bottom <= MIN_MARK_GAP_ROWS) last.bottom = y;
    else runs.push({ top: y, bottom: y });
  }
  if (runs.length < 2) return false;
  const height = (r: { top: number; bottom: number }) => r.bottom - r.top + 1;
  const body = runs.reduce((a, b) => (height(b) > height(a) ? b : a));
  const mark = side === 'above' ? runs[0]! : runs[runs.length - 1]!;
  if (mark === body) return false;
  return height(mark) <= MAX_MARK_BODY_SHARE * height(body);
}
