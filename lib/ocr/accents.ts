/**
 * Accents the recogniser did not write. PP-OCRv4 was trained mostly on Chinese and English: over "Musée"
 * it writes "e" and ranks "é" second, and its dictionary has no â ê ô û ã õ ñ ç ö ë at all. Where the
 * pixels show a mark of its own above (or, for c, below) a letter, apart from the letter's body, the
 * mark's shape names the accent (acute, grave, circumflex, tilde, caron, diaeresis, cedilla) and the
 * letter is composed with it. A mark whose shape says nothing clear takes the variant the recogniser
 * ranked, if it ranked one.
 */
import type { CharacterEmission } from './ctc';
import { median } from './geometry';
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
/** Every accented variant restoreAccents may ask the recogniser's probability of. */
export const accentedVariants = (): string[] => Object.values(VARIANTS).flatMap((variants) => [...variants]);
/** Marks below the letter (cedilla); every other variant's mark is above it. */
const MARK_BELOW = new Set(['ç', 'Ç']);
/**
 * Letters whose accent the pixels may name, when the letter and its mark compose into one letter of
 * Latin-1 or Latin Extended-A (French to Czech). Not i or j: their dot is a mark of their own; nor I,
 * whose body is too narrow to tell.
 */
const TAKES_MARK_ABOVE = new Set([...'aeouycnszrAEOUYCNSZR']);
const TAKES_MARK_BELOW = new Set(['c', 'C']);
const COMPOSED_LATIN = /^[\u00c0-\u00ff\u0100-\u017f]$/u;
/** Combining marks, by the shape a mark has on the page. */
const COMBINING = { acute: '\u0301', grave: '\u0300', circumflex: '\u0302', tilde: '\u0303', caron: '\u030c', diaeresis: '\u0308', cedilla: '\u0327' } as const;
type MarkShape = keyof typeof COMBINING;

/**
 * The variant must have at least this probability at the letter's step: the recogniser's own hint, often
 * far below the base letter's. On the real-world set and the rendered sets, 0.001 writes Musée, Théatre,
 * über and Café and nothing false. 0.0001 adds "marrón" (0.0002) but also "féedback" (0.0003: a thin
 * font's "e" broken into pieces by the ink threshold). Before hasSeparateMark looked at components (it
 * took any ink run above the step's columns), 0.0001 wrote 44 accents where there were none.
 */
export const MIN_VARIANT_PROBABILITY = 0.001;
/**
 * A mark is at most this share of the letter body's height (an i's dot or an accent, not a letter):
 * accents measure 0.09-0.36 of their letter over the rendered accents set; specks over receipt capitals
 * that passed 0.6 measured 0.5.
 */
const MAX_MARK_BODY_SHARE = 0.45;
/** Rows of paper between mark and body, at least: an accent stands apart from its letter. */
const MIN_MARK_GAP_ROWS = 1;
/** Rows between mark and body, at most, as a share of the body's height: an accent sits close to it. */
const MAX_MARK_GAP_BODY_SHARE = 0.5;
/**
 * A letter body under this share of the strip's height (a small Latin word among taller Chinese, say)
 * leaves its mark a few pixels, whose shape can't be read: accented letters in the rendered accents set
 * and the real-world set measure 17-28 of 48 rows; the bowl of a small "a" whose top was cut off, 9.
 */
const MIN_BODY_STRIP_SHARE = 0.25;
/** A body narrower than this share of its height is not a letter that takes an accent. */
const MIN_BODY_WIDTH_SHARE = 0.5;
/** Nor is one wider than this share of its height: letters run together (0.63-1.24 for accented ones). */
const MAX_BODY_WIDTH_SHARE = 1.5;
/** The mark's centre lies over the body's middle, this share of its width in from either side. */
const MARK_CENTRE_INSET = 0.2;
/** The paper around a mark is at most this share of the contrast from the background (clean paper, not stripes). */
const MAX_PAPER_NOISE_SHARE = 0.2;
/** A pixel this share of the strip's contrast away from the paper is ink. */
const INK_CONTRAST_SHARE = 0.4;
/** A mark has at most this share of the body's ink. */
const MAX_MARK_PIXEL_SHARE = 0.5;
/** Thirds of a mark differ in mean row by at least this share of its height (and MIN_SHAPE_STEP_ROWS) to make a slope or a peak. */
const SHAPE_STEP_HEIGHT_SHARE = 0.2;
const MIN_SHAPE_STEP_ROWS = 0.75;
/** A circumflex's middle third stands this share of that step above the mean of its ends. */
const PEAK_STEP_SHARE = 0.75;
/** Components with at least this share of a letter's ink are letters beside it (not dots or commas), for its baseline. */
const MIN_NEIGHBOUR_PIXEL_SHARE = 0.3;
/** A joined cedilla hangs this many rows, and this share of the c's height, below the baseline: round letters overshoot it by a row or two. */
const MIN_TAIL_ROWS = 3;
const MIN_TAIL_SHARE = 0.25;
/** The part of a c with a joined cedilla below the baseline is at most this share of its width. */
const MAX_TAIL_WIDTH_SHARE = 0.6;
/** A tilde is at least this many times as wide as tall; an acute or grave stroke is narrower. */
const TILDE_MIN_ASPECT = 1.5;
/**
 * A tilde's stroke waves: the middle rows of its columns span at least this share of its height (and a
 * whole row). Tildes measured 0.33-0.6; a flat smear or bar of the same size 0.12-0.17.
 */
const TILDE_MIN_WAVE_SHARE = 0.25;

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
 * The text with accents restored where the pixels show a mark over (or under) a letter: named by the
 * mark's shape, or else by the recogniser's ranking. `classOf` maps a character to its class in the
 * dictionary (absent when the dictionary lacks it).
 */
export function restoreAccents(
  text: string,
  emissions: readonly CharacterEmission[],
  probabilities: StepProbabilities,
  classOf: ReadonlyMap<string, number>,
  profile: InkProfile,
  stepWidthPx: number,
): string {
  // By UTF-16 unit, as the emissions index the text; only ASCII letters are ever replaced.
  const out = text.split('');
  const stepOf = new Map(emissions.map(({ step, textIndex }) => [textIndex, step]));
  for (const { step, textIndex } of emissions) {
    const base = text[textIndex]!;
    const centreX = (step + 0.5) * stepWidthPx;
    const ranked = rankedVariant(base, step, probabilities, classOf);
    const below = TAKES_MARK_BELOW.has(base) ? findMark(profile, centreX, stepWidthPx, 'below') : null;
    // A cedilla drawn joined to its c: the c hangs below the line, which no c does.
    if (!below && TAKES_MARK_BELOW.has(base) && hasTailBelowLine(profile, centreX, stepWidthPx)) {
      out[textIndex] = (base + COMBINING.cedilla).normalize('NFC');
      continue;
    }
    const above = !below && (TAKES_MARK_ABOVE.has(base) || ranked) ? findMark(profile, centreX, stepWidthPx, 'above') : null;
    const found = below ?? above;
    if (!found) continue;
    const shape = shapeOfMark(found.marks, below ? 'below' : 'above');
    const composed = shape ? (base + COMBINING[shape]).normalize('NFC') : null;
    let accented: string | null = composed && COMPOSED_LATIN.test(composed) ? composed : null;
    // A shape the pixels can't name: the recogniser's variant, if its mark is on this side.
    if (!accented && !shape && ranked && MARK_BELOW.has(ranked) === (below !== null)) accented = ranked;
    if (!accented) continue;
    out[textIndex] = accented;
    // The recogniser reads an accent as an i's dot over the letter's other stem ("ñ" as "ni"): an i
    // beside the letter with no ink of its own under it, only the letter and its mark, is that mark.
    const ours = [found.body, ...found.marks];
    for (const k of [textIndex - 1, textIndex + 1]) {
      const iStep = stepOf.get(k);
      if (text[k] !== 'i' || iStep === undefined) continue;
      const under = componentsUnder(profile, (iStep + 0.5) * stepWidthPx, stepWidthPx);
      if (under.length > 0 && under.every((c) => ours.some((o) => sameComponent(c, o)))) out[k] = '';
    }
  }
  return out.join('');
}

/** The accented variant of `base` the recogniser ranked highest at the step, if any reached MIN_VARIANT_PROBABILITY. */
function rankedVariant(base: string, step: number, probabilities: StepProbabilities, classOf: ReadonlyMap<string, number>): string | null {
  const variants = VARIANTS[base];
  if (!variants) return null;
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
  return best;
}

interface Component {
  left: number;
  right: number;
  top: number;
  bottom: number;
  pixels: number;
  /** Each pixel's column and row in the strip, for the shape of a mark. */
  xs: number[];
  ys: number[];
}

/** 8-connected components of ink over columns [from, to) of the strip. */
function inkComponents(profile: InkProfile, from: number, to: number): Component[] {
  const columns = profile.inkFreeColumns.length;
  const width = to - from;
  const height = profile.stripHeightPx;
  const threshold = INK_CONTRAST_SHARE * profile.contrast;
  const ink = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) ink[y * width + x] = Math.abs(profile.grey[y * columns + from + x]! - profile.background) > threshold ? 1 : 0;
  const seen = new Uint8Array(width * height);
  const components: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    const c: Component = { left: to, right: from - 1, top: height, bottom: -1, pixels: 0, xs: [], ys: [] };
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
      c.xs.push(x + from);
      c.ys.push(y);
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
 * accent does (see findMark).
 */
export function hasSeparateMark(profile: InkProfile, centreX: number, stepWidthPx: number, side: 'above' | 'below'): boolean {
  return findMark(profile, centreX, stepWidthPx, side) !== null;
}

/**
 * The mark on the given side of the letter emitted around column centreX: a separate blob of ink (or two
 * side by side, as a diaeresis), smaller than the letter's body, centred over it and close to it, wholly
 * inside the strip (ink cut by the strip's edge may be a neighbouring line's; only a diaeresis may be
 * cut), and not reaching past the letter's neighbours (an i's dot or an ascender next door is not centred
 * over this letter). Null if none.
 */
function findMark(profile: InkProfile, centreX: number, stepWidthPx: number, side: 'above' | 'below'): { body: Component; marks: Component[] } | null {
  const span = letterWindow(profile, centreX, stepWidthPx);
  if (!span) return null;
  const [from, to] = span;
  // Most letters carry no mark: without a column under the step that runs ink, paper, ink from top to
  // bottom there is none, and the components need not be found.
  if (!hasInkGapInk(profile, Math.max(from, Math.floor(centreX - stepWidthPx)), Math.min(to, Math.ceil(centreX + stepWidthPx)))) return null;
  const components = inkComponents(profile, from, to);
  const body = biggestUnder(components, centreX, stepWidthPx);
  // Accented letters are about as wide as tall (a e o u c n y, and capitals); a narrow body is an i, j, l
  // or f beside the letter, whose dot or hook must not pass for its accent.
  if (!body || heightOf(body) < MIN_BODY_STRIP_SHARE * profile.stripHeightPx || widthOf(body) < MIN_BODY_WIDTH_SHARE * heightOf(body) || widthOf(body) > MAX_BODY_WIDTH_SHARE * heightOf(body)) return null;
  const lastRow = profile.stripHeightPx - 1;
  // A body cut by the strip's edge is not a whole letter.
  if (body.top <= 0 || body.bottom >= lastRow) return null;
  const candidates = components.filter((mark) => {
    if (mark === body || mark.pixels < 2) return false;
    const gap = side === 'above' ? body.top - mark.bottom - 1 : mark.top - body.bottom - 1;
    if (gap < MIN_MARK_GAP_ROWS || gap > MAX_MARK_GAP_BODY_SHARE * heightOf(body)) return false;
    if (heightOf(mark) > MAX_MARK_BODY_SHARE * heightOf(body) || mark.pixels > MAX_MARK_PIXEL_SHARE * body.pixels) return false;
    return paperAround(profile, mark) <= MAX_PAPER_NOISE_SHARE;
  });
  // Ink cut by the strip's edge may be a neighbouring line's (a descender of the line above), so it is a
  // mark only as two level dots alike, a shape such bits don't take: over capitals the crop often cuts
  // the umlaut itself. (Cut tildes were tried: a descender's blob over a U passed for one.)
  const cutByEdge = (mark: Component) => mark.top <= 0 || mark.bottom >= lastRow;
  const centredOver = (left: number, right: number) => {
    const margin = MARK_CENTRE_INSET * widthOf(body);
    const centre = (left + right) / 2;
    return centre >= body.left + margin && centre <= body.right - margin && right - left + 1 <= widthOf(body) + 2;
  };
  // Two dots side by side, centred together over the letter, about the same size: a diaeresis. Sought
  // first: over a wide letter (a capital) one dot alone can lie within the middle and pass for a mark.
  for (const a of candidates) {
    for (const b of candidates) {
      if (a.right >= b.left || !centredOver(a.left, b.right)) continue;
      // Level and about the same size: a tilde broken in two has one half higher than the other.
      if (Math.max(a.pixels, b.pixels) > 2 * Math.min(a.pixels, b.pixels) || Math.abs(a.top - b.top) > 1 || Math.abs(a.bottom - b.bottom) > 1) continue;
      return { body, marks: [a, b] };
    }
  }
  const single = candidates.find((mark) => centredOver(mark.left, mark.right) && !cutByEdge(mark));
  return single ? { body, marks: [single] } : null;
}

/**
 * Whether the letter emitted around column centreX hangs below the line as a narrow tail: its body reaches
 * below the neighbours' baseline (the median bottom of the letters in its window) by a quarter of its
 * height above it, and what lies below is narrower than the letter and under its middle. An underline is
 * as wide as the letter or wider; a descender of a neighbour run into it lies off to one side.
 */
function hasTailBelowLine(profile: InkProfile, centreX: number, stepWidthPx: number): boolean {
  const span = letterWindow(profile, centreX, stepWidthPx);
  if (!span) return false;
  const components = inkComponents(profile, ...span);
  const body = biggestUnder(components, centreX, stepWidthPx);
  if (!body || body.top <= 0 || body.bottom >= profile.stripHeightPx - 1) return false;
  const letters = components.filter((c) => c !== body && c.pixels >= MIN_NEIGHBOUR_PIXEL_SHARE * body.pixels);
  if (letters.length < 2) return false;
  const baseline = median(letters.map((c) => c.bottom));
  const aboveLine = baseline - body.top + 1;
  if (heightOf(body) < MIN_BODY_STRIP_SHARE * profile.stripHeightPx || body.bottom - baseline < Math.max(MIN_TAIL_ROWS, MIN_TAIL_SHARE * aboveLine)) return false;
  // Letters run together (a c touching a g) are wider than one letter is tall.
  if (widthOf(body) > MAX_BODY_WIDTH_SHARE * aboveLine) return false;
  let left = Infinity;
  let right = -Infinity;
  for (let i = 0; i < body.pixels; i++) {
    if (body.ys[i]! <= baseline + 1) continue;
    left = Math.min(left, body.xs[i]!);
    right = Math.max(right, body.xs[i]!);
  }
  const inset = MARK_CENTRE_INSET * widthOf(body);
  const centre = (left + right) / 2;
  return right - left + 1 <= MAX_TAIL_WIDTH_SHARE * widthOf(body) && centre >= body.left + inset && centre <= body.right - inset;
}

/** The body of the letter emitted around column centreX: the biggest ink component under its step. */
function biggestUnder(components: readonly Component[], centreX: number, stepWidthPx: number): Component | null {
  return components.filter((c) => isUnder(c, centreX, stepWidthPx)).reduce<Component | null>((a, b) => (a && a.pixels >= b.pixels ? a : b), null);
}

/** The ink components under the step emitted around column centreX (found whole, as findMark does). */
function componentsUnder(profile: InkProfile, centreX: number, stepWidthPx: number): Component[] {
  const span = letterWindow(profile, centreX, stepWidthPx);
  return span ? inkComponents(profile, ...span).filter((c) => isUnder(c, centreX, stepWidthPx)) : [];
}

/**
 * The columns [from, to) whose components are found for the letter emitted around centreX: three
 * letters' room either side, so those reaching in from a neighbour are seen whole. Null with no ink.
 */
function letterWindow(profile: InkProfile, centreX: number, stepWidthPx: number): [number, number] | null {
  const columns = profile.inkFreeColumns.length;
  const from = Math.max(0, Math.floor(centreX - 3 * stepWidthPx));
  const to = Math.min(columns, Math.ceil(centreX + 3 * stepWidthPx));
  return profile.hasInk && to > from ? [from, to] : null;
}

/** Whether a component reaches into the columns of the step emitted around centreX. */
const isUnder = (c: Component, centreX: number, stepWidthPx: number) => c.left <= centreX + stepWidthPx / 2 && c.right >= centreX - stepWidthPx / 2;

/** Components found over different windows are the same one when their boxes and ink agree. */
const sameComponent = (a: Component, b: Component) => a.left === b.left && a.right === b.right && a.top === b.top && a.bottom === b.bottom && a.pixels === b.pixels;

/**
 * How far the paper just around a mark is from the background, as a share of the strip's contrast (mean
 * over a two-pixel ring, ink left out): near 0 on clean paper, higher where stripes or grain could pass
 * for marks.
 */
function paperAround(profile: InkProfile, mark: Component): number {
  const columns = profile.inkFreeColumns.length;
  const threshold = INK_CONTRAST_SHARE * profile.contrast;
  let sum = 0;
  let count = 0;
  for (let y = Math.max(0, mark.top - 2); y <= Math.min(profile.stripHeightPx - 1, mark.bottom + 2); y++) {
    for (let x = Math.max(0, mark.left - 2); x <= Math.min(columns - 1, mark.right + 2); x++) {
      if (y >= mark.top && y <= mark.bottom && x >= mark.left && x <= mark.right) continue;
      const distance = Math.abs(profile.grey[y * columns + x]! - profile.background);
      if (distance > threshold) continue;
      sum += distance;
      count++;
    }
  }
  return count === 0 ? 0 : sum / count / profile.contrast;
}

/** Whether some column in [from, to) has ink, then paper, then ink again, going down the strip. */
function hasInkGapInk(profile: InkProfile, from: number, to: number): boolean {
  const columns = profile.inkFreeColumns.length;
  const threshold = INK_CONTRAST_SHARE * profile.contrast;
  for (let x = from; x < to; x++) {
    if (profile.inkFreeColumns[x]) continue;
    // 0: no ink yet; 1: in the first ink; 2: paper after ink.
    let state = 0;
    for (let y = 0; y < profile.stripHeightPx; y++) {
      const ink = Math.abs(profile.grey[y * columns + x]! - profile.background) > threshold;
      if (ink && state === 2) return true;
      if (ink) state = 1;
      else if (state === 1) state = 2;
    }
  }
  return false;
}

const heightOf = (c: Component) => c.bottom - c.top + 1;
const widthOf = (c: Component) => c.right - c.left + 1;

/** The mean row of each of the mark's inked columns, left to right. */
function columnMiddles(mark: Component): number[] {
  const sums = new Float64Array(widthOf(mark));
  const counts = new Uint32Array(widthOf(mark));
  for (let i = 0; i < mark.pixels; i++) {
    sums[mark.xs[i]! - mark.left]! += mark.ys[i]!;
    counts[mark.xs[i]! - mark.left]!++;
  }
  return Array.from(counts).flatMap((n, x) => (n > 0 ? [sums[x]! / n] : []));
}

/**
 * Whether the mark's column middles rise to a crest and fall to a trough inside it, each a row or more
 * past the end on its side (the ends: the mean of two columns, against a ragged pixel): a tilde drawn
 * tilted, where one end sits higher than the other like a grave's or an acute's, which rise or fall
 * the whole way.
 */
function wavesInside(middles: readonly number[]): boolean {
  const n = middles.length;
  if (n < 6) return false;
  const leftEnd = (middles[0]! + middles[1]!) / 2;
  const rightEnd = (middles[n - 1]! + middles[n - 2]!) / 2;
  const crest = middles.indexOf(Math.min(...middles));
  const trough = middles.indexOf(Math.max(...middles));
  const inside = (i: number) => i >= 2 && i <= n - 3;
  if (!inside(crest) || !inside(trough)) return false;
  return crest < trough
    ? middles[crest]! <= leftEnd - 1 && middles[trough]! >= rightEnd + 1
    : middles[trough]! >= leftEnd + 1 && middles[crest]! <= rightEnd - 1;
}

/**
 * What accent a mark is, from its shape, or null where the shape is not clear. Rows grow downwards; the
 * mark's columns are cut in thirds and the mean row of each third's ink compared: an acute rises to the
 * right, a grave to the left, a circumflex peaks in the middle, a caron dips there, a tilde is wide with
 * both ends level. Two dots are a diaeresis; a mark under a c is a cedilla.
 */
function shapeOfMark(marks: readonly Component[], side: 'above' | 'below'): MarkShape | null {
  if (side === 'below') return marks.length === 1 ? 'cedilla' : null;
  if (marks.length === 2) return 'diaeresis';
  const [mark] = marks;
  if (!mark || marks.length !== 1) return null;
  const w = widthOf(mark);
  const h = heightOf(mark);
  // Too few columns or rows to tell a slope from a blob (a 12 px font's accent can be 4 × 2).
  if (w < 3 || h < 3) return null;
  const sums = [0, 0, 0];
  const counts = [0, 0, 0];
  for (let i = 0; i < mark.pixels; i++) {
    const third = Math.min(2, Math.floor(((mark.xs[i]! - mark.left) * 3) / w));
    sums[third]! += mark.ys[i]!;
    counts[third]!++;
  }
  if (counts.some((n) => n === 0)) return null;
  const [left, middle, right] = sums.map((sum, k) => sum / counts[k]!) as [number, number, number];
  const step = Math.max(MIN_SHAPE_STEP_ROWS, SHAPE_STEP_HEIGHT_SHARE * h);
  // Against the ends' mean, so a circumflex drawn a little askew is still one.
  const ends = (left + right) / 2;
  if (middle <= ends - PEAK_STEP_SHARE * step && middle < Math.min(left, right)) return 'circumflex';
  // A caron's middle is its lowest part by a whole step: a tilde's falling middle stroke sits lower than
  // its ends' mean too, but not below both ends by that much.
  if (middle >= Math.max(left, right) + step) return 'caron';
  if (w >= TILDE_MIN_ASPECT * h) {
    const middles = columnMiddles(mark);
    const waves = Math.max(...middles) - Math.min(...middles) >= Math.max(1, TILDE_MIN_WAVE_SHARE * h);
    if (Math.abs(left - right) < step) return waves ? 'tilde' : null;
    if (waves && wavesInside(middles)) return 'tilde';
  }
  if (left - right >= step) return 'acute';
  if (right - left >= step) return 'grave';
  return null;
}
