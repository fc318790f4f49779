/**
 * Symbols the recogniser cannot write. PP-OCRv4's alphabet has no €, £ (only full-width ￡, which it
 * never emits for £), ₹, ©, ½ …: over such a glyph it emits only blanks, so "€85.00" came out "85.00".
 * Ink the recogniser left unread is cut out here and named by a small glyph classifier (trained on
 * rendered symbols, scripts/glyph-model), whose answer goes into the text only when it is sure.
 */
import type { DecodedText } from './ctc';
import type { FloatTensor } from './types';
import { UNHINTED_WORD_GAP_STRIP_HEIGHTS, widestInkFreeRun, type InkProfile } from './word-gaps';

/** The classifier's input: a run of ink scaled to this height (the strip's full height), centred in a square. */
export const GLYPH_INPUT_PX = 32;
/** A symbol's answer is written only at this probability or above: a false € in a price is worse than none. */
export const MIN_GLYPH_PROBABILITY = 0.9;
/**
 * What the recogniser writes for symbols it lacks when it writes anything: "E18.50" for "€18.50". Next to a
 * digit, a lone glyph read as one of these is worth a second look.
 */
const LOOKALIKES = new Set(['E', 'e', 'C', 'c', 'f', 'L', 'Z', 'W', 'P', 'R', 'V', 'v', '@', 'G', 'O']);
const DIGIT = /\p{Nd}/u;

/** Runs narrower than this share of the strip height are specks, dots and rules, never a missing symbol. */
const MIN_GLYPH_WIDTH_STRIP_HEIGHTS = 0.12;

/** An inclusive range of ink columns with ink-free columns (or the strip's ends) either side. */
export interface InkRun {
  x0: number;
  x1: number;
}

/**
 * A run of ink over which the recogniser wrote nothing, or only a letter that looks like a missing symbol,
 * ready for the classifier.
 */
export interface UnreadGlyph extends InkRun {
  /** GLYPH_INPUT_PX² ink levels in [0, 1]. */
  pixels: Float32Array;
  /** Where the symbol goes in the decoded text. */
  textIndex: number;
  /** Whether the symbol replaces the look-alike character at textIndex rather than going in before it. */
  replacesLookalike: boolean;
  /** Whether a word gap separates it from the ink before and after it. */
  spaceBefore: boolean;
  spaceAfter: boolean;
}

/** Maximal runs of ink columns. */
export function inkRuns(profile: InkProfile): InkRun[] {
  const runs: InkRun[] = [];
  if (!profile.hasInk) return runs;
  let start = -1;
  const columns = profile.inkFreeColumns;
  for (let x = 0; x <= columns.length; x++) {
    const ink = x < columns.length && columns[x] === 0;
    if (ink && start < 0) start = x;
    if (!ink && start >= 0) {
      runs.push({ x0: start, x1: x - 1 });
      start = -1;
    }
  }
  return runs;
}

/**
 * Ink runs that no emitted character falls on, and lone look-alike letters next to a digit, cut out for the
 * classifier. A character is taken to sit within half a step of the middle of the step that emits it.
 */
export function findUnreadGlyphs(profile: InkProfile, decoded: Pick<DecodedText, 'text' | 'emissions'>, stepWidthPx: number): UnreadGlyph[] {
  const runs = inkRuns(profile);
  const { text } = decoded;
  // A space the recogniser wrote reads no ink.
  const emissions = decoded.emissions.filter((e) => text[e.textIndex] !== ' ');
  const centres = emissions.map((e) => (e.step + 0.5) * stepWidthPx);
  const isWordGap = (from: number, to: number) => widestInkFreeRun(profile, from, to) >= UNHINTED_WORD_GAP_STRIP_HEIGHTS;
  const found: UnreadGlyph[] = [];
  runs.forEach((run, i) => {
    if (run.x1 - run.x0 + 1 < MIN_GLYPH_WIDTH_STRIP_HEIGHTS * profile.stripHeightPx) return;
    const onRun = emissions.filter((_, k) => centres[k]! >= run.x0 - stepWidthPx / 2 && centres[k]! <= run.x1 + stepWidthPx / 2);
    const lookalike = onRun.length === 1 && isLookalikeBesideDigit(text, onRun[0]!.textIndex) ? onRun[0]! : null;
    if (onRun.length > 0 && !lookalike) return;
    const pixels = glyphPixels(profile, run);
    if (!pixels) return;
    const next = centres.findIndex((c) => c > run.x1);
    const before = runs[i - 1];
    const after = runs[i + 1];
    found.push({
      ...run,
      pixels,
      textIndex: lookalike ? lookalike.textIndex : next < 0 ? text.length : emissions[next]!.textIndex,
      replacesLookalike: lookalike !== null,
      spaceBefore: before !== undefined && isWordGap(before.x1, run.x0),
      spaceAfter: after !== undefined && isWordGap(run.x1, after.x0),
    });
  });
  return found;
}

function isLookalikeBesideDigit(text: string, index: number): boolean {
  if (!LOOKALIKES.has(text[index]!)) return false;
  const previous = text.slice(0, index).trimEnd().at(-1) ?? '';
  const next = text.slice(index + 1).trimStart()[0] ?? '';
  return DIGIT.test(previous) || DIGIT.test(next);
}

/**
 * The run's ink, |grey − background| / contrast clamped to [0, 1], over the strip's full height, box-filtered
 * to GLYPH_INPUT_PX high and centred in a GLYPH_INPUT_PX square; null for a run too wide to be one glyph.
 * Must match glyph_input() in scripts/glyph-model/generate.py, which trained the classifier.
 */
export function glyphPixels(profile: InkProfile, run: InkRun): Float32Array | null {
  const height = profile.stripHeightPx;
  const columns = profile.inkFreeColumns.length;
  const width = run.x1 - run.x0 + 1;
  const outWidth = Math.max(1, Math.round((width * GLYPH_INPUT_PX) / height));
  if (outWidth > GLYPH_INPUT_PX || profile.contrast <= 0) return null;
  const ink = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const level = Math.abs(profile.grey[y * columns + run.x0 + x]! - profile.background) / profile.contrast;
      ink[y * width + x] = Math.min(1, level);
    }
  }
  const scaled = boxResize(ink, width, height, outWidth, GLYPH_INPUT_PX);
  const pixels = new Float32Array(GLYPH_INPUT_PX * GLYPH_INPUT_PX);
  const left = Math.floor((GLYPH_INPUT_PX - outWidth) / 2);
  for (let y = 0; y < GLYPH_INPUT_PX; y++) pixels.set(scaled.subarray(y * outWidth, (y + 1) * outWidth), y * GLYPH_INPUT_PX + left);
  return pixels;
}

/** Area-averaging resize: each output pixel is the coverage-weighted mean of the input area under it. */
export function boxResize(source: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  const rows = resizeAxis(source, width, height, outHeight, true);
  return resizeAxis(rows, width, outHeight, outWidth, false);
}

/** Resizes one axis (rows when vertical) of a width×height plane to `size` by coverage weights. */
function resizeAxis(source: Float32Array, width: number, height: number, size: number, vertical: boolean): Float32Array {
  const from = vertical ? height : width;
  const outWidth = vertical ? width : size;
  const out = new Float32Array(outWidth * (vertical ? size : height));
  const scale = from / size;
  for (let o = 0; o < size; o++) {
    const start = o * scale;
    const end = start + scale;
    for (let i = Math.floor(start); i < Math.min(from, Math.ceil(end)); i++) {
      const weight = (Math.min(end, i + 1) - Math.max(start, i)) / scale;
      if (weight <= 0) continue;
      if (vertical) {
        for (let x = 0; x < width; x++) out[o * width + x] = out[o * width + x]! + weight * source[i * width + x]!;
      } else {
        for (let y = 0; y < height; y++) out[y * outWidth + o] = out[y * outWidth + o]! + weight * source[y * width + i]!;
      }
    }
  }
  return out;
}

/** [N,1,32,32] input for the classifier. */
export function glyphTensor(glyphs: readonly UnreadGlyph[]): FloatTensor {
  const size = GLYPH_INPUT_PX * GLYPH_INPUT_PX;
  const data = new Float32Array(glyphs.length * size);
  glyphs.forEach((g, i) => data.set(g.pixels, i * size));
  return { data, dims: [glyphs.length, 1, GLYPH_INPUT_PX, GLYPH_INPUT_PX] };
}

/** The symbol in row n of the classifier's [N,K] logits, or null for class 0 ("none of these") or doubt. */
export function symbolOf(logits: FloatTensor, n: number, classes: readonly string[]): string | null {
  const count = logits.dims[1] ?? 0;
  const row = logits.data.subarray(n * count, (n + 1) * count);
  let best = 0;
  for (let c = 1; c < count; c++) if (row[c]! > row[best]!) best = c;
  let sum = 0;
  for (const v of row) sum += Math.exp(v - row[best]!);
  const probability = 1 / sum;
  const symbol = classes[best];
  return best === 0 || !symbol || probability < MIN_GLYPH_PROBABILITY ? null : symbol;
}

/** The reading with the named symbols written in at their places, spaced as the ink is. */
export function withSymbols(decoded: DecodedText, named: readonly { glyph: UnreadGlyph; symbol: string }[]): DecodedText {
  let text = decoded.text;
  let emissions = decoded.emissions;
  // From the end, so earlier text indices stay valid.
  for (const { glyph, symbol } of [...named].sort((a, b) => b.glyph.x0 - a.glyph.x0)) {
    const replaced = glyph.replacesLookalike ? 1 : 0;
    const head = text.slice(0, glyph.textIndex);
    const tail = text.slice(glyph.textIndex + replaced);
    // A replaced look-alike was already spaced by the recogniser.
    const lead = !replaced && glyph.spaceBefore && head !== '' && !head.endsWith(' ') ? ' ' : '';
    const trail = !replaced && glyph.spaceAfter && tail !== '' && !tail.startsWith(' ') ? ' ' : '';
    const written = `${lead}${symbol}${trail}`;
    text = `${head}${written}${tail}`;
    const shift = written.length - replaced;
    emissions = emissions.map((e) => (e.textIndex >= glyph.textIndex + replaced ? { ...e, textIndex: e.textIndex + shift } : e));
  }
  return { ...decoded, text, emissions };
}
