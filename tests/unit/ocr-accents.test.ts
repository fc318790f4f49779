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

  /** Strokes drawn pixel by pixel: each [x, y] an inked pixel, added to a profile of boxes. */
  function withStrokes(base: InkProfile, pixels: [number, number][]): InkProfile {
    const columns = base.inkFreeColumns.length;
    const grey = base.grey.slice();
    const inkFreeColumns = base.inkFreeColumns.slice();
    for (const [x, y] of pixels) {
      grey[y * columns + x] = -1;
      inkFreeColumns[x] = 0;
    }
    return { ...base, grey, inkFreeColumns, paperColumns: inkFreeColumns, hasInk: true };
  }
  /** A stroke two pixels thick from (x0, y0) to (x1, y1), one row per column step. */
  const stroke = (x0: number, y0: number, x1: number, y1: number): [number, number][] => {
    const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
    return Array.from({ length: n + 1 }, (_, i): [number, number][] => {
      const x = Math.round(x0 + ((x1 - x0) * i) / n);
      const y = Math.round(y0 + ((y1 - y0) * i) / n);
      return [[x, y], [x, y + 1]];
    }).flat();
  };
  // "cafe" and "pao": letters 12 columns apart (x-height rows 22-34), the last letter's body at columns 37-46.
  const body4: [number, number, number, number][] = [0, 1, 2, 3].map((i) => [i * 12 + 1, i * 12 + 10, 22, 34]);
  const plain = profile(50, body4);
  const none = probabilities('cafe');
  const read = (text: string, marked: InkProfile) => restoreAccents(text, emissionsOf(text), none, classesOf(DICTIONARY), marked, 12);

  it('names the accent from the mark’s shape, with no help from the recogniser (its dictionary lacks ê, ã, ë)', () => {
    expect(read('cafe', withStrokes(plain, stroke(40, 18, 43, 15)))).toBe('café'); // rising to the right
    expect(read('cafe', withStrokes(plain, stroke(40, 15, 43, 18)))).toBe('cafè'); // falling to the right
    expect(read('cafe', withStrokes(plain, [...stroke(38, 18, 41, 15), ...stroke(42, 16, 45, 18)]))).toBe('cafê'); // peak in the middle
    expect(read('cafe', withStrokes(plain, [...stroke(38, 15, 41, 18), ...stroke(42, 17, 45, 15)]))).toBe('cafě'); // dip in the middle
    // Wide, both ends level: up, down, up.
    expect(read('paoa', withStrokes(plain, [...stroke(37, 17, 39, 15), ...stroke(40, 15, 43, 17), ...stroke(44, 17, 46, 15)]))).toBe('paoã');
    // Two dots side by side.
    expect(read('cafe', profile(50, [...body4, [38, 39, 16, 17], [44, 45, 16, 17]]))).toBe('cafë');
  });

  it('writes a cedilla for a mark under a c, and no accent for a blob whose shape says nothing', () => {
    expect(read('acao', withStrokes(plain, stroke(17, 36, 19, 39)))).toBe('açao');
    // A square blob over the e, and the recogniser ranked no variant: left alone.
    expect(read('cafe', profile(50, [...body4, [40, 42, 15, 17]]))).toBe('cafe');
  });

  it('composes only letters of the Latin alphabets: no accent on an i (its dot) nor a made-up letter', () => {
    expect(read('cafi', withStrokes(plain, stroke(40, 18, 43, 15)))).toBe('cafi');
    // A tilde over a y makes ỹ, a Vietnamese letter beyond Latin-1 and Latin Extended-A.
    expect(read('cafy', withStrokes(plain, [...stroke(37, 17, 39, 15), ...stroke(40, 15, 43, 17), ...stroke(44, 17, 46, 15)]))).toBe('cafy');
  });

  it('takes no speck for an accent: one near half the letter’s height, or over letters run together', () => {
    expect(read('cafe', withStrokes(plain, stroke(40, 17, 43, 12)))).toBe('cafe'); // 7 rows over a 13-row body
    const runTogether = profile(50, [...body4.slice(0, 3), [25, 46, 22, 34]]); // "e" joined to its neighbour: 22 × 13
    expect(read('cafe', withStrokes(runTogether, stroke(40, 18, 43, 15)))).toBe('cafe');
  });

  it('takes no accent from a mark on grainy paper (stripes behind the text), nor over a letter too small to read it', () => {
    const marked = withStrokes(plain, stroke(40, 18, 43, 15));
    const grey = marked.grey.slice();
    // Faint ink, a quarter of the contrast, on the paper around the mark (too faint to be ink itself).
    for (let y = 12; y <= 21; y++) for (let x = 37; x <= 47; x++) if (grey[y * 50 + x] === 1) grey[y * 50 + x] = 0.5;
    expect(read('cafe', { ...marked, grey })).toBe('cafe');
    // The same letter and mark in a strip twice as tall: the body is under a quarter of it.
    const tall = { ...marked, stripHeightPx: 96, grey: new Float32Array(50 * 96).fill(1) };
    tall.grey.set(marked.grey);
    expect(read('cafe', tall)).toBe('cafe');
  });

  it('reads a tilted tilde (one end higher) as a tilde, by its crest and trough inside it; a wide grave stays a grave', () => {
    // Letters 15 rows tall (rows 20-34), so a 6-row mark is small enough for an accent.
    const tall = profile(50, [0, 1, 2, 3].map((i): [number, number, number, number] => [i * 12 + 1, i * 12 + 10, 20, 34]));
    // Up, down to a trough past the right end, up a little: the left end a row higher than the right.
    const tilted = [...stroke(37, 15, 39, 13), ...stroke(40, 13, 44, 17), ...stroke(45, 16, 46, 15)];
    expect(read('paoa', withStrokes(tall, tilted))).toBe('paoã');
    expect(read('cafe', withStrokes(tall, stroke(37, 13, 46, 17)))).toBe('cafè');
  });

  it('takes no tilde from a flat bar or smear of a tilde’s size: a tilde’s stroke waves', () => {
    // 8 × 4, every column inked over the same rows (a receipt's smear above an "U" was read as "Ũ").
    expect(read('paoa', profile(50, [...body4, [38, 45, 14, 17]]))).toBe('paoa');
  });

  it('reads an umlaut cut by the strip’s top edge over a capital, but no other mark cut by it', () => {
    // Four capitals 15 columns wide, 16 a step, rows 8-34: the crop's top edge cuts the dots over the last.
    const capitals: [number, number, number, number][] = [0, 1, 2, 3].map((i) => [i * 16 + 1, i * 16 + 15, 8, 34]);
    const readCaps = (marked: InkProfile) => restoreAccents('OOOU', emissionsOf('OOOU'), none, classesOf(DICTIONARY), marked, 16);
    expect(readCaps(profile(64, [...capitals, [52, 54, 0, 2], [58, 60, 0, 2]]))).toBe('OOOÜ');
    // One dot, or an acute, cut the same way: what is left of the line above, not an accent.
    expect(readCaps(profile(64, [...capitals, [55, 57, 0, 2]]))).toBe('OOOU');
    expect(readCaps(withStrokes(profile(64, capitals), stroke(53, 3, 57, 0)))).toBe('OOOU');
  });

  it('writes a cedilla drawn joined to its c: the c hangs below the line in a narrow tail', () => {
    // "acao": the second letter, a c (columns 13-22, rows 22-34), with a hook joined under its middle.
    const hook: [number, number, number, number] = [17, 18, 35, 40];
    expect(read('acao', profile(50, [...body4, hook]))).toBe('açao');
    // Round letters overshoot the line by a row or two: no cedilla.
    expect(read('acao', profile(50, [...body4, [16, 19, 35, 36]]))).toBe('acao');
    // An underline joined to the c spans the whole letter.
    expect(read('acao', profile(50, [...body4, [13, 22, 35, 37]]))).toBe('acao');
    // A c run into a g beside it: the tail is the g's, off to one side of one wide body.
    const runIntoG = profile(50, [body4[0]!, [13, 34, 22, 34], [31, 33, 35, 41], body4[3]!]);
    expect(read('acgo', runIntoG)).toBe('acgo');
  });

  it('reads two dots as a diaeresis where each alone would also lie over the letter’s middle (a capital’s, or dots set close)', () => {
    expect(read('cafe', profile(50, [...body4, [39, 40, 16, 17], [43, 44, 16, 17]]))).toBe('cafë');
  });

  it('reads two level dots as a diaeresis, but not a tilde broken into a high and a low half', () => {
    expect(read('cafe', profile(50, [...body4, [38, 39, 15, 17], [44, 45, 17, 19]]))).toBe('cafe');
  });

  it('drops the i the recogniser made of an ñ’s tilde and second stem ("pania" for "paña"), not a real i', () => {
    // p, a, then one wide body under the steps that emitted "n" and "i", then a: 8 columns a step.
    const emissions = [0, 1, 3, 4, 6].map((step, textIndex) => ({ step, textIndex }));
    const letters: [number, number, number, number][] = [[1, 7, 22, 34], [9, 16, 22, 34], [24, 38, 22, 34], [46, 54, 22, 34]];
    const tilde = [...stroke(26, 17, 28, 15), ...stroke(29, 15, 33, 17), ...stroke(34, 17, 36, 15)];
    const readPania = (marked: InkProfile) => restoreAccents('pania', emissions, probabilities('pania'), classesOf(DICTIONARY), marked, 8);
    expect(readPania(withStrokes(profile(60, letters), tilde))).toBe('paña');
    // An n and an i of its own (stem and dot): nothing to restore, nothing dropped.
    const ni: [number, number, number, number][] = [[1, 7, 22, 34], [9, 16, 22, 34], [24, 33, 22, 34], [36, 37, 22, 34], [36, 37, 17, 18], [46, 54, 22, 34]];
    expect(readPania(profile(60, ni))).toBe('pania');
  });
});
