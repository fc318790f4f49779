import { describe, expect, it } from 'vitest';
import { classesOf, hasSeparateMark, restoreAccents } from '@/lib/ocr/accents';
import type { InkProfile } from '@/lib/ocr/word-gaps';

/** A profile of a 48-row strip: ink (grey -1 on paper 1) in the given [x0, x1] × [y0, y1] boxes, inclusive. */
function profile(widthPx: number, boxes: [number, number, number, number][]): InkProfile {
  const height = 48;
  const grey = new Float32Array(widthPx * height).fill(1);
  const inkFreeColumns = new Uint8Array(widthPx).fill(1);
  for (const [x0, x1, y0, y1] of boxes) {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) grey[y * widthPx + x] = -1;
    for (let x = x0; x <= x1; x++) inkFreeColumns[x] = 0;
  }
  return { inkFreeColumns, paperColumns: inkFreeColumns, stripHeightPx: height, hasInk: boxes.length > 0, grey, background: 1, contrast: 2 };
}

const DICTIONARY = ['blank', 'M', 'u', 's', 'e', 'é', 'è', 'ç', 'c'];
/** One step per character, 8 columns each; `extra` adds probabilities at (step, class). */
function probabilities(text: string, extra: [number, string, number][] = []) {
  const classes = classesOf(DICTIONARY);
  return {
    at(t: number, c: number) {
      const hit = extra.find(([step, ch]) => step === t && classes.get(ch) === c);
      if (hit) return hit[2];
      return classes.get(text[t]!) === c ? 0.98 : 0;
    },
  };
}
const emissionsOf = (text: string) => [...text].map((_, i) => ({ step: i, textIndex: i }));

describe('hasSeparateMark', () => {
  it('sees an accent above a letter body, apart from it', () => {
    expect(hasSeparateMark(profile(16, [[4, 11, 20, 34], [6, 9, 12, 16]]), 0, 16, 'above')).toBe(true);
  });

  it('sees nothing on a plain letter, on one with an ascender joined to it, or below when the mark is above', () => {
    expect(hasSeparateMark(profile(16, [[4, 11, 20, 34]]), 0, 16, 'above')).toBe(false);
    expect(hasSeparateMark(profile(16, [[4, 11, 20, 34], [10, 11, 8, 20]]), 0, 16, 'above')).toBe(false);
    expect(hasSeparateMark(profile(16, [[4, 11, 20, 34], [6, 9, 12, 16]]), 0, 16, 'below')).toBe(false);
  });

  it('takes a mark as large as the body for a letter, not an accent', () => {
    expect(hasSeparateMark(profile(16, [[4, 11, 20, 30], [4, 11, 6, 16]]), 0, 16, 'above')).toBe(false);
  });
});

describe('restoreAccents', () => {
  // "Musee": five letters 8 columns apart; the fourth (index 3, columns 24-31) has an accent drawn above.
  const letters: [number, number, number, number][] = [0, 1, 2, 3, 4].map((i) => [i * 8 + 1, i * 8 + 6, 20, 34]);
  const withAccent = profile(40, [...letters, [26, 29, 12, 16]]);
  const withoutAccent = profile(40, letters);

  it('writes the variant the recogniser ranked when the pixels show its mark', () => {
    const probs = probabilities('Musee', [[3, 'é', 0.014], [3, 'è', 0.004]]);
    expect(restoreAccents('Musee', emissionsOf('Musee'), probs, classesOf(DICTIONARY), withAccent, 8)).toBe('Musée');
  });

  it('leaves the letter when the pixels show no mark, or the recogniser gave no variant a chance', () => {
    const ranked = probabilities('Musee', [[3, 'é', 0.014]]);
    expect(restoreAccents('Musee', emissionsOf('Musee'), ranked, classesOf(DICTIONARY), withoutAccent, 8)).toBe('Musee');
    const unranked = probabilities('Musee', [[3, 'é', 0.0001]]);
    expect(restoreAccents('Musee', emissionsOf('Musee'), unranked, classesOf(DICTIONARY), withAccent, 8)).toBe('Musee');
  });
});
