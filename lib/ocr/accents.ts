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
 * The variant must have at least this probability at the letter's step: the recogniser's own hint, often
 * far below the base letter's. On the real-world set and the rendered sets, 0.001 writes Musée, Théatre,
 * über and Café and nothing false. 0.0001 adds "marrón" (0.0002) but also "féedback" (0.0003: a thin
 * font's "e" broken into pieces by the ink threshold). Before hasSeparateMark looked at components (it
 * took any ink run above the step's columns), 0.0001 wrote 44 accents where there were none.
 */
export const MIN_VARIANT_PROBABILITY = 0.001;
/** A mark is at most this share of the letter body's height (an i's dot or an accent, not a letter). */
const MAX_MARK_BODY_SHARE = 0.6;
/** Rows of paper between mark and body, at least: an accent stands apart from its letter. */
const MIN_MARK_GAP_ROWS = 1;
/** Rows between mark and body, at most, as a share of the body's height: an accent sits close to it. */
const MAX_MARK_GAP_BODY_SHARE = 0.5;
/** A body narrower than this share of its height is not a letter that takes an accent. */
const MIN_BODY_WIDTH_SHARE = 0.5;
/** The mark's centre lies over the body's middle, this share of its width in from either side. */
const MARK_CENTRE_INSET = 0.2;
/** A mark has at most this share of the body's ink. */
const MAX_MARK_PIXEL_SHARE = 0.5;

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
    if (!hasSeparateMark(profile, (step + 0.5) * stepWidthPx, stepWidthPx, MARK_BELOW.has(best) ? 'below' : 'above')) continue;
    out = out.slice(0, textIndex) + best + out.slice(textIndex + 1);
  }
  return out;
}

interface Component {
  left: number;
  right: number;
  top: number;
  bottom: number;
  pixels: number;
}

/** 8-connected components of ink over columns [from, to) of the strip. */
function inkComponents(profile: InkProfile, from: number, to: number): Component[] {
  const columns = profile.inkFreeColumns.length;
  const width = to - from;
  const height = profile.stripHeightPx;
  const threshold = 0.4 * profile.contrast;
  const ink = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) ink[y * width + x] = Math.abs(profile.grey[y * columns + from + x]! - profile.background) > threshold ? 1 : 0;
  const seen = new Uint8Array(width * height);
  const components: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    const c: Component = { left: to, right: from - 1, top: height, bottom: -1, pixels: 0 };
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      c.left = Math.min(c.left, x + from);
      c.right = Math.max(c.right, x + from);
      c.top = Math.min(c.top, y);
      c.bottom = Math.max(c.bottom, y);
      c.pixels++;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const n = ny * width + nx;
          if (ink[n] && !seen[n]) {
            seen[n] = 1;
            stack.push(n);
          }
        }
      }
    }
    components.push(c);
  }
  return components;
}

/**
 * Whether the letter emitted around column centreX carries a mark of its own on the given side, as an
 * accent does: a separate blob of ink, smaller than the letter's body, centred over it and close to it,
 * wholly inside the strip (ink cut by the strip's edge is a neighbouring line's), and not reaching past
 * the letter's neighbours (an i's dot or an ascender next door is not centred over this letter).
 */
export function hasSeparateMark(profile: InkProfile, centreX: number, stepWidthPx: number, side: 'above' | 'below'): boolean {
  const columns = profile.inkFreeColumns.length;
  if (!profile.hasInk || columns === 0) return false;
  // Components are found over three letters' room, so those reaching in from a neighbour are seen whole.
  const from = Math.max(0, Math.floor(centreX - 3 * stepWidthPx));
  const to = Math.min(columns, Math.ceil(centreX + 3 * stepWidthPx));
  if (to <= from) return false;
  const components = inkComponents(profile, from, to);
  const height = (c: Component) => c.bottom - c.top + 1;
  const width = (c: Component) => c.right - c.left + 1;
  // The body: the biggest component under the emitting step.
  const band = (c: Component) => c.left <= centreX + stepWidthPx / 2 && c.right >= centreX - stepWidthPx / 2;
  const body = components.filter(band).reduce<Component | null>((a, b) => (a && a.pixels >= b.pixels ? a : b), null);
  // Accented letters are about as wide as tall (a e o u c n y, and capitals); a narrow body is an i, j, l
  // or f beside the letter, whose dot or hook must not pass for its accent.
  if (!body || height(body) < 4 || width(body) < MIN_BODY_WIDTH_SHARE * height(body)) return false;
  const lastRow = profile.stripHeightPx - 1;
  // A body cut by the strip's edge is not a whole letter.
  if (body.top <= 0 || body.bottom >= lastRow) return false;
  return components.some((mark) => {
    if (mark === body || mark.pixels < 2) return false;
    const gap = side === 'above' ? body.top - mark.bottom - 1 : mark.top - body.bottom - 1;
    if (gap < MIN_MARK_GAP_ROWS || gap > MAX_MARK_GAP_BODY_SHARE * height(body)) return false;
    if (mark.top <= 0 || mark.bottom >= lastRow) return false;
    const centre = (mark.left + mark.right) / 2;
    const margin = MARK_CENTRE_INSET * width(body);
    if (centre < body.left + margin || centre > body.right - margin || width(mark) > width(body) + 2) return false;
    return height(mark) <= MAX_MARK_BODY_SHARE * height(body) && mark.pixels <= MAX_MARK_PIXEL_SHARE * body.pixels;
  });
}
