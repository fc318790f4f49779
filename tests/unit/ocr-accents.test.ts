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
  // A letter body 12 columns wide and 15 rows tall (x-height), under the step centred at column 12.
  const body: [number, number, number, number] = [6, 17, 20, 34];

  it('sees an accent above a letter body: apart from it, smaller, centred over it and close', () => {
    expect(hasSeparateMark(profile(24, [body, [10, 13, 13, 17]]), 12, 8, 'above')).toBe(true);
  });

  it('sees nothing on a plain letter, on one with an ascender joined to it, or below when the mark is above', () => {
    expect(hasSeparateMark(profile(24, [body]), 12, 8, 'above')).toBe(false);
    expect(hasSeparateMark(profile(24, [body, [16, 17, 8, 20]]), 12, 8, 'above')).toBe(false);
    expect(hasSeparateMark(profile(24, [body, [10, 13, 13, 17]]), 12, 8, 'below')).toBe(false);
  });

  it('takes a mark as large as the body for a letter, not an accent', () => {
    expect(hasSeparateMark(profile(24, [[6, 17, 24, 34], [6, 17, 8, 18]]), 12, 8, 'above')).toBe(false);
  });

  it('does not take the dot of an i beside the letter for its accent', () => {
    // "ie": the i's stem and dot at columns 3-4, the e's body from column 6; the step that emits the e
    // sits near its left edge, so its columns take in the dot.
    const ie = profile(24, [[3, 4, 20, 34], [3, 4, 14, 17], body]);
    expect(hasSeparateMark(ie, 8, 8, 'above')).toBe(false);
    // Nor the i itself: its body is too narrow for a letter that takes an accent.
    expect(hasSeparateMark(ie, 4, 8, 'above')).toBe(false);
  });

  it('does not take ink cut by the strip’s top edge (the line above) or ink far above the letter', () => {
    expect(hasSeparateMark(profile(24, [body, [10, 13, 0, 4]]), 12, 8, 'above')).toBe(false);
    expect(hasSeparateMark(profile(24, [body, [10, 13, 3, 6]]), 12, 8, 'above')).toBe(false);
  });

  it('does not take a mark off to one side of the letter', () => {
    expect(hasSeparateMark(profile(24, [body, [15, 18, 13, 17]]), 12, 8, 'above')).toBe(false);
  });
});

describe('restoreAccents', () => {
  // "Musee": five letters 8 columns apart; the fourth (index 3, columns 25-31) has an accent drawn above.
  const letters: [number, number, number, number][] = [0, 1, 2, 3, 4].map((i) => [i * 8 + 1, i * 8 + 7, 22, 34]);
  const withAccent = profile(40, [...letters, [27, 29, 15, 19]]);
  const withoutAccent = profile(40, letters);

  it('writes the variant the recogniser ranked when the pixels show its mark', () => {
    const probs = probabilities('Musee', [[3, 'é', 0.014], [3, 'è', 0.004]]);
    expect(restoreAccents('Musee', emissionsOf('Musee'), probs, classesOf(DICTIONARY), withAccent, 8)).toBe('Musée');
  });

  it('leaves the letter when the pixels show no mark, or the recogniser gave no variant a chance', () => {
    const ranked = probabilities('Musee', [[3, 'é', 0.014]]);
    expect(restoreAccents('Musee', emissionsOf('Musee'), ranked, classesOf(DICTIONARY), withoutAccent, 8)).toBe('Musee');
    const unranked = probabilities('Musee', [[3, 'é', 0.00005]]);
    expect(restoreAccents('Musee', emissionsOf('Musee'), unranked, classesOf(DICTIONARY), withAccent, 8)).toBe('Musee');
  });
});
