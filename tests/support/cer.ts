/**
 * Character error rate for the OCR test set (tests/fixtures/ocr/). Both strings go through the same
 * normalisation first, so neither engine is paid or charged for where it broke lines, how many
 * spaces it printed, or which of two look-alike code points it chose:
 *
 * 1. Unicode NFKC (full-width `，：（）` become `,:()`, `…` becomes `...`, ligatures split).
 * 2. Typographic quotes fold to `'` and `"`, hyphen-like dashes (‐ ‑ ‒ – — −) to `-`.
 * 3. Every run of whitespace, line breaks included, becomes one space; the ends are trimmed. Line
 *    breaks, blank lines, indentation and table-cell separators therefore cost nothing; reading order
 *    still does, through the edit distance.
 * 4. Whitespace next to a CJK character is dropped: Chinese is written without spaces, and Tesseract
 *    prints one between every pair of Han characters while other engines print none.
 *
 * CER = Levenshtein distance on code points / length of the normalised truth. It can exceed 1 when
 * the prediction inserts more than the truth holds.
 */

// Han, CJK symbols and punctuation, kana, full-width forms left after NFKC (e.g. 。「」、).
const CJK = '\\u2E80-\\u2FFF\\u3000-\\u30FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\uFE30-\\uFE4F\\uFF00-\\uFFEF';
const SPACE_BEFORE_CJK = new RegExp(` (?=[${CJK}])`, 'gu');
const SPACE_AFTER_CJK = new RegExp(`(?<=[${CJK}]) `, 'gu');

export function normaliseForCer(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/gu, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/gu, '"')
    .replace(/[\u2010\u2011\u2012\u2013\u2014\u2212]/gu, '-')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(SPACE_BEFORE_CJK, '')
    .replace(SPACE_AFTER_CJK, '');
}

/** Levenshtein distance (unit costs) between two strings, counted in code points, not UTF-16 units. */
export function editDistance(a: string, b: string): number {
  const source = Array.from(a);
  const target = Array.from(b);
  if (source.length === 0) return target.length;
  if (target.length === 0) return source.length;
  let previous = Uint32Array.from({ length: target.length + 1 }, (_, j) => j);
  let current = new Uint32Array(target.length + 1);
  for (let i = 1; i <= source.length; i++) {
    current[0] = i;
    for (let j = 1; j <= target.length; j++) {
      const substitution = previous[j - 1]! + (source[i - 1] === target[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[target.length]!;
}

export interface CerCounts {
  /** Edits needed to turn the normalised prediction into the normalised truth. */
  edits: number;
  /** Code points in the normalised truth. */
  truthLength: number;
}

export function cerCounts(predicted: string, truth: string): CerCounts {
  const normalisedTruth = normaliseForCer(truth);
  // An empty truth would make every prediction's rate 0/0 or infinite: that is a broken fixture.
  if (normalisedTruth.length === 0) throw new RangeError('CER needs a non-empty ground truth');
  return { edits: editDistance(normaliseForCer(predicted), normalisedTruth), truthLength: Array.from(normalisedTruth).length };
}

export function characterErrorRate(predicted: string, truth: string): number {
  const { edits, truthLength } = cerCounts(predicted, truth);
  return edits / truthLength;
}

export interface CerSample {
  predicted: string;
  truth: string;
}

/** The mean of per-image CERs: every image weighs the same, however much text it holds. */
export function meanCer(samples: readonly CerSample[]): number {
  if (samples.length === 0) throw new RangeError('meanCer needs at least one sample');
  return samples.reduce((sum, s) => sum + characterErrorRate(s.predicted, s.truth), 0) / samples.length;
}

export interface CategoryCer {
  category: string;
  images: number;
  /** Mean of per-image CERs. */
  meanCer: number;
  /** Total edits / total truth length: images with more text weigh more. */
  pooledCer: number;
}

/** One row per category, sorted by name. */
export function cerByCategory(samples: readonly (CerSample & { category: string })[]): CategoryCer[] {
  const groups = new Map<string, CerSample[]>();
  for (const sample of samples) {
    const group = groups.get(sample.category) ?? [];
    group.push(sample);
    groups.set(sample.category, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([category, group]) => {
      const counts = group.map((s) => cerCounts(s.predicted, s.truth));
      const edits = counts.reduce((sum, c) => sum + c.edits, 0);
      const truthLength = counts.reduce((sum, c) => sum + c.truthLength, 0);
      return {
        category,
        images: group.length,
        meanCer: counts.reduce((sum, c) => sum + c.edits / c.truthLength, 0) / group.length,
        pooledCer: edits / truthLength,
      };
    });
}
