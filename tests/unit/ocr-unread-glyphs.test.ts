import { describe, expect, it } from 'vitest';
import type { DecodedText } from '@/lib/ocr/ctc';
import {
  boxResize,
  findUnreadGlyphs,
  GLYPH_INPUT_PX,
  glyphPixels,
  glyphTensor,
  inkRuns,
  symbolOf,
  withSymbols,
  type UnreadGlyph,
} from '@/lib/ocr/unread-glyphs';
import { inkProfile, type InkProfile } from '@/lib/ocr/word-gaps';

const HEIGHT = 48;

/** A 48-high strip profile with dark ink (rows 12..35) on white in the given inclusive column ranges. */
function profileWithInk(widthPx: number, inkColumns: [number, number][]): InkProfile {
  const plane = widthPx * HEIGHT;
  const data = new Float32Array(3 * plane).fill(1);
  for (let c = 0; c < 3; c++) {
    for (const [from, to] of inkColumns) {
      for (let y = 12; y <= 35; y++) for (let x = from; x <= to; x++) data[c * plane + y * widthPx + x] = -1;
    }
  }
  return inkProfile({ data, dims: [1, 3, HEIGHT, widthPx] }, 0, widthPx);
}

/** A reading whose characters were emitted at the given steps (8 px each). */
function reading(text: string, steps: number[]): DecodedText {
  let index = 0;
  const emissions = steps.map((step) => {
    while (text[index] === ' ') index++;
    return { step, textIndex: index++ };
  });
  return { text, confidence: 0.9, emissions };
}

describe('inkRuns', () => {
  it('finds maximal runs of ink columns, including at the strip edges', () => {
    expect(inkRuns(profileWithInk(40, [[0, 3], [10, 12], [13, 14], [37, 39]]))).toEqual([
      { x0: 0, x1: 3 },
      { x0: 10, x1: 14 },
      { x0: 37, x1: 39 },
    ]);
  });

  it('finds none on a blank strip', () => {
    expect(inkRuns(profileWithInk(40, []))).toEqual([]);
  });
});

describe('boxResize', () => {
  it('averages areas, keeping the mean level', () => {
    const source = Float32Array.from({ length: 6 * 48 }, (_, i) => (i % 6 < 3 ? 1 : 0));
    const out = boxResize(source, 6, 48, 4, 32);
    expect(out).toHaveLength(4 * 32);
    // Each output column covers 1.5 input columns: [0,1.5) and [1.5,3) are ink, [3,4.5) and [4.5,6) paper.
    expect([...out.subarray(0, 4)].map((v) => +v.toFixed(5))).toEqual([1, 1, 0, 0]);
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    expect(mean).toBeCloseTo(0.5, 5);
  });

  it('weighs a column split between two outputs by its coverage', () => {
    const source = Float32Array.from([0, 1, 0]); // 3×1 → 2×1: [0,1.5) and [1.5,3)
    expect([...boxResize(source, 3, 1, 2, 1)].map((v) => +v.toFixed(5))).toEqual([0.33333, 0.33333]);
  });
});

describe('glyphPixels', () => {
  it('scales the run to 32 px high and centres it', () => {
    const profile = profileWithInk(60, [[12, 23]]); // 12 columns → 8 at height 32
    const pixels = glyphPixels(profile, { x0: 12, x1: 23 })!;
    expect(pixels).toHaveLength(GLYPH_INPUT_PX * GLYPH_INPUT_PX);
    const row = 16 * GLYPH_INPUT_PX;
    expect([...pixels.subarray(row + 11, row + 21)].map((v) => Math.round(v))).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    // Rows 12..35 of 48 are rows 8..24 of 32: blank above and below.
    expect(pixels[2 * GLYPH_INPUT_PX + 16]).toBeCloseTo(0, 2);
    expect(pixels[30 * GLYPH_INPUT_PX + 16]).toBeCloseTo(0, 2);
  });

  it('gives light text on dark the same ink as dark on light', () => {
    const dark = profileWithInk(30, [[5, 15]]);
    const inverted = { ...dark, grey: dark.grey.map((v) => -v), background: -dark.background };
    expect(glyphPixels(inverted, { x0: 5, x1: 15 })).toEqual(glyphPixels(dark, { x0: 5, x1: 15 }));
  });

  it('refuses a run too wide to be one glyph', () => {
    expect(glyphPixels(profileWithInk(100, [[0, 60]]), { x0: 0, x1: 60 })).toBeNull();
  });
});

describe('findUnreadGlyphs', () => {
  // "€85": € at columns 2..17, 8 at 20..29, 5 at 32..41; the recogniser wrote "85" at steps 3 and 4.
  const profile = profileWithInk(48, [[2, 17], [20, 29], [32, 41]]);

  it('finds the ink no character was emitted over, and where it goes in the text', () => {
    const found = findUnreadGlyphs(profile, reading('85', [3, 4]), 8);
    expect(found.map(({ x0, x1, textIndex, spaceBefore, spaceAfter }) => ({ x0, x1, textIndex, spaceBefore, spaceAfter }))).toEqual([
      { x0: 2, x1: 17, textIndex: 0, spaceBefore: false, spaceAfter: false },
    ]);
  });

  it('finds nothing when every run has a character on it', () => {
    expect(findUnreadGlyphs(profile, reading('€85', [1, 3, 4]), 8)).toEqual([]);
  });

  it('does not count a space the recogniser wrote as reading the ink', () => {
    const spaceFirst = { text: ' 85', confidence: 0.9, emissions: [1, 3, 4].map((step, textIndex) => ({ step, textIndex })) };
    expect(findUnreadGlyphs(profile, spaceFirst, 8)).toHaveLength(1);
  });

  it('places unread ink at the end of the text and marks a word gap before it', () => {
    // "ab" then a wide gap then unread ink: "ab ©"
    const wide = profileWithInk(80, [[2, 10], [12, 20], [50, 65]]);
    const [glyph] = findUnreadGlyphs(wide, reading('ab', [0, 2]), 8);
    expect(glyph).toMatchObject({ textIndex: 2, spaceBefore: true, spaceAfter: false });
  });

  it('takes a second look at a lone letter like E next to a digit, and only there', () => {
    const [glyph] = findUnreadGlyphs(profile, reading('E85', [1, 3, 4]), 8);
    expect(glyph).toMatchObject({ x0: 2, x1: 17, textIndex: 0, replacesLookalike: true });
    expect(findUnreadGlyphs(profile, reading('Eat', [1, 3, 4]), 8)).toEqual([]);
    expect(findUnreadGlyphs(profile, reading('x85', [1, 3, 4]), 8)).toEqual([]);
  });

  it('does not take apart a run that holds several characters', () => {
    const joined = profileWithInk(48, [[2, 29], [32, 41]]); // "E8" touching, then "5"
    expect(findUnreadGlyphs(joined, reading('E85', [1, 3, 4]), 8)).toEqual([]);
  });

  it('leaves specks alone', () => {
    expect(findUnreadGlyphs(profileWithInk(48, [[2, 4], [20, 29]]), reading('8', [3]), 8)).toEqual([]);
  });
});

describe('symbolOf', () => {
  const classes = ['', '€', '£'];
  const logits = { data: Float32Array.from([0, 9, 0, 0, 1, 1.5, 9, 0, 0]), dims: [3, 3] };

  it('answers a confident symbol, and nothing for "none of these" or doubt', () => {
    expect(symbolOf(logits, 0, classes)).toBe('€');
    expect(symbolOf(logits, 1, classes)).toBeNull(); // £ at about 0.5
    expect(symbolOf(logits, 2, classes)).toBeNull(); // class 0
  });
});

describe('withSymbols', () => {
  const glyph = (x0: number, textIndex: number, spaceBefore = false, spaceAfter = false, replacesLookalike = false): UnreadGlyph => ({
    x0,
    x1: x0 + 10,
    textIndex,
    replacesLookalike,
    spaceBefore,
    spaceAfter,
    pixels: new Float32Array(0),
  });

  it('writes each symbol at its place, later ones first so places hold', () => {
    const decoded = reading('at 85.00 552.50', [0, 1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14]);
    const out = withSymbols(decoded, [
      { glyph: glyph(20, 3), symbol: '€' },
      { glyph: glyph(70, 9), symbol: '€' },
    ]);
    expect(out.text).toBe('at €85.00 €552.50');
    expect(out.confidence).toBe(decoded.confidence);
    // Emissions still point at their characters.
    expect(out.emissions.map((e) => out.text[e.textIndex]).join('')).toBe('at85.00552.50');
  });

  it('replaces a look-alike letter, keeping the spacing the recogniser gave', () => {
    expect(withSymbols(reading('booked: E18.50', [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14]), [{ glyph: glyph(60, 8, true, false, true), symbol: '€' }]).text).toBe(
      'booked: €18.50',
    );
  });

  it('adds the spaces the ink shows, never doubling one', () => {
    expect(withSymbols(reading('2025 Acme', [3, 4, 5, 6, 8, 9, 10, 11]), [{ glyph: glyph(0, 0, false, true), symbol: '©' }]).text).toBe('© 2025 Acme');
    expect(withSymbols(reading('cup ', [0, 1, 2]), [{ glyph: glyph(40, 4, true), symbol: '½' }]).text).toBe('cup ½');
    expect(withSymbols(reading('', []), [{ glyph: glyph(0, 0, true, true), symbol: '€' }]).text).toBe('€');
  });
});

describe('glyphTensor', () => {
  it('stacks the glyphs as [N,1,32,32]', () => {
    const pixels = new Float32Array(GLYPH_INPUT_PX * GLYPH_INPUT_PX).fill(0.5);
    const tensor = glyphTensor([{ x0: 0, x1: 1, textIndex: 0, replacesLookalike: false, spaceBefore: false, spaceAfter: false, pixels }]);
    expect(tensor.dims).toEqual([1, 1, 32, 32]);
    expect(tensor.data[1023]).toBe(0.5);
  });
});
