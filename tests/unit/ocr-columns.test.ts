/**
 * Page layout with columns (issue 10): narrow print gutters, headlines and footnotes across columns,
 * captions set into the gutter; and the tables and card grids beside them that must still read by rows.
 */
import { describe, expect, it } from 'vitest';
import { layOutText, type RecognizedBox } from '@/lib/ocr/layout';

/** An axis-aligned recognised box; text height 20 px unless told. */
function box(text: string, left: number, top: number, widthPx: number, heightPx = 20): RecognizedBox {
  return { text, confidence: 0.9, quad: [[left, top], [left + widthPx, top], [left + widthPx, top + heightPx], [left, top + heightPx]] };
}

/** `count` lines of running text, 26 px apart, named prefix1…; `widthAt(i)` narrows or shifts line i. */
function lines(prefix: string, left: number, top: number, count: number, widthPx: number, shape?: (i: number) => { left: number; widthPx: number }): RecognizedBox[] {
  return Array.from({ length: count }, (_, i) => {
    const { left: l, widthPx: w } = shape?.(i) ?? { left, widthPx };
    return box(`${prefix}${i + 1}`, l, top + i * 26, w);
  });
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
const texts = (boxes: RecognizedBox[]) => layOutText(boxes).lines.map((l) => l.text);

describe('layOutText on pages with columns', () => {
  it('reads four columns a narrow print gutter apart (half a text height) column by column', () => {
    const boxes = ['A', 'B', 'C', 'D'].flatMap((prefix, k) => lines(prefix, k * 210, 0, 8, 200));
    expect(texts(boxes)).toEqual(['A', 'B', 'C', 'D'].flatMap((prefix) => names(prefix, 8)));
  });

  it('keeps a few table rows a narrow gap apart on one line each', () => {
    const boxes = [...lines('L', 0, 0, 3, 200), ...lines('R', 210, 0, 3, 200)];
    expect(texts(boxes)).toEqual(['L1 R1', 'L2 R2', 'L3 R3']);
  });

  it('reads columns whole under a headline, even where both columns break a paragraph level', () => {
    const headline = box('Headline', 0, 0, 640, 30);
    const column = (prefix: string, left: number) => [...lines(prefix, left, 70, 3, 280), ...lines(`${prefix}b`, left, 70 + 3 * 26 + 40, 3, 280)];
    const read = texts([headline, ...column('L', 0), ...column('R', 360)]);
    expect(read).toEqual(['Headline', ...names('L', 3), ...names('Lb', 3), ...names('R', 3), ...names('Rb', 3)]);
  });

  it('reads a caption set into the gutter after the columns, as its own block', () => {
    // Lines 5–8 of each column make way for the caption, which sits between them.
    const around = (i: number, side: 'left' | 'right') =>
      i >= 4 && i < 8 ? (side === 'left' ? { left: 0, widthPx: 180 } : { left: 470, widthPx: 170 }) : side === 'left' ? { left: 0, widthPx: 280 } : { left: 360, widthPx: 280 };
    const caption = box('Caption', 200, 4 * 26 + 30, 250);
    const boxes = [...lines('L', 0, 0, 12, 280, (i) => around(i, 'left')), ...lines('R', 360, 13, 12, 280, (i) => around(i, 'right')), caption];
    const result = layOutText(boxes);
    expect(result.lines.map((l) => l.text)).toEqual([...names('L', 12), ...names('R', 12), 'Caption']);
    expect(new Set(result.lines.map((l) => l.blockIndex)).size).toBe(3);
  });

  it('reads a footnote across both columns after them, as its own block', () => {
    const boxes = [...lines('L', 0, 0, 6, 280), ...lines('R', 360, 0, 6, 280), box('Footnote', 0, 6 * 26 + 30, 640, 16)];
    const result = layOutText(boxes);
    expect(result.lines.map((l) => l.text)).toEqual([...names('L', 6), ...names('R', 6), 'Footnote']);
    expect(result.lines.at(-1)!.blockIndex).not.toBe(result.lines.at(-2)!.blockIndex);
  });

  it('reads a grid of cards (an org chart) row by row, not as columns', () => {
    const card = (name: string, left: number, top: number) => lines(name, left, top, 3, 200);
    const boxes = [0, 1].flatMap((row) => ['A', 'B', 'C'].flatMap((name, k) => card(`${name}${row}.`, k * 260, row * 160)));
    expect(texts(boxes)).toEqual([
      'A0.1 B0.1 C0.1', 'A0.2 B0.2 C0.2', 'A0.3 B0.3 C0.3',
      'A1.1 B1.1 C1.1', 'A1.2 B1.2 C1.2', 'A1.3 B1.3 C1.3',
    ]);
  });

  it('reads columns a gutter narrower than the boxes apart, where joined lines were cut before reading, and keeps the headline whole', () => {
    // Two columns of justified lines: the left ones end at 388, the right ones start at 384, so their
    // unclipped boxes overlap and no strip is clear. The first three rows were detected as one box each
    // and cut at the gutter's middle (386) before they were read (column-gutters.ts).
    const left = (i: number) => `left line ${i} of the first column`;
    const right = (i: number) => `right line ${i} of the second column`;
    const headline = box('A headline across both columns of the page', 0, 0, 600, 30);
    const cut = [1, 2, 3].flatMap((i) => [box(left(i), 0, 40 + (i - 1) * 22, 386), box(right(i), 386, 40 + (i - 1) * 22, 386)]);
    const rest = [4, 5, 6, 7].flatMap((i) => [box(left(i), 0, 40 + (i - 1) * 22, 388), box(right(i), 384, 40 + (i - 1) * 22, 388)]);
    const footnote = box('* A footnote across both columns under a rule', 0, 40 + 7 * 22 + 20, 500);
    const read = texts([headline, ...cut, ...rest, footnote]);
    expect(read).toEqual([
      'A headline across both columns of the page',
      ...[1, 2, 3, 4, 5, 6, 7].map(left),
      ...[1, 2, 3, 4, 5, 6, 7].map(right),
      '* A footnote across both columns under a rule',
    ]);
  });

  it('reads a short footnote under the first two of three narrow-gutter columns after all of them', () => {
    const column = (prefix: string, left: number) => lines(prefix, left, 40, 8, 262);
    const headline = box('Headline', 0, 0, 700, 30);
    const footnote = box('Footnote', 0, 40 + 8 * 26 + 20, 460, 16);
    const read = texts([headline, ...column('A', 0), ...column('B', 262), ...column('C', 524), footnote]);
    expect(read).toEqual(['Headline', ...names('A', 8), ...names('B', 8), ...names('C', 8), 'Footnote']);
  });
});
