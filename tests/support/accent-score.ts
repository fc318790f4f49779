/**
 * Does the OCR keep accents, and does it invent them? A character alignment (Levenshtein, on the CER's
 * normalised text) of truth and prediction, scored per accented letter. Used by the accents set's
 * integration test and `npm run bench:ocr:accents`.
 */
import { normaliseForCer } from './cer';

export interface AccentScore {
  /** Accented letters in the truth. */
  n: number;
  kept: number;
  lost: number;
  wrong: number;
  other: number;
  /** Unaccented truth letters read as accented ones. */
  false: number;
}

const base = (c: string) => Array.from(c.normalize('NFD'))[0]!;
const isAccented = (c: string) => /\p{L}/u.test(c) && c.normalize('NFD') !== c;

/** Unit-cost Levenshtein alignment of code points: for each truth character, the prediction character it lines up with (null: deleted). */
export function alignChars(truth: string, predicted: string): { t: string; p: string | null }[] {
  const a = Array.from(truth);
  const b = Array.from(predicted);
  const w = b.length + 1;
  const d = new Uint32Array((a.length + 1) * w);
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * w] = i;
    for (let j = 1; j <= b.length; j++) {
      d[i * w + j] = Math.min(d[(i - 1) * w + j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), d[(i - 1) * w + j]! + 1, d[i * w + j - 1]! + 1);
    }
  }
  const pairs: { t: string; p: string | null }[] = [];
  let [i, j] = [a.length, b.length];
  while (i > 0) {
    // Prefer the diagonal (match or substitution): a letter read as another lines up with it.
    if (j > 0 && d[i * w + j] === d[(i - 1) * w + j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)) pairs.push({ t: a[--i]!, p: b[--j]! });
    else if (d[i * w + j] === d[(i - 1) * w + j]! + 1) pairs.push({ t: a[--i]!, p: null });
    else j--;
  }
  return pairs.reverse();
}

export function accentScore(truth: string, predicted: string): AccentScore {
  const s: AccentScore = { n: 0, kept: 0, lost: 0, wrong: 0, other: 0, false: 0 };
  for (const { t, p } of alignChars(normaliseForCer(truth), normaliseForCer(predicted))) {
    if (isAccented(t)) {
      s.n++;
      if (p === t) s.kept++;
      else if (p === base(t)) s.lost++;
      else if (p !== null && isAccented(p) && base(p) === base(t)) s.wrong++;
      else s.other++;
    } else if (/\p{L}/u.test(t) && p !== null && isAccented(p)) s.false++;
  }
  return s;
}
