import { describe, expect, it } from 'vitest';
import { layOutText, type RecognizedBox } from '@/lib/ocr/layout';

/** An axis-aligned recognised box; text height 20 px unless told. */
function box(text: string, left: number, top: number, widthPx: number, heightPx = 20, confidence = 0.9): RecognizedBox {
  return { text, confidence, quad: [[left, top], [left + widthPx, top], [left + widthPx, top + heightPx], [left, top + heightPx]] };
}

/** Rows of running text: `count` lines 26 px apart, each 280 px wide (14 text heights). */
function column(prefix: string, left: number, top: number, count: number, pitchPx = 26): RecognizedBox[] {
  return Array.from({ length: count }, (_, i) => box(`${prefix}${i + 1}`, left, top + i * pitchPx, 280));
}

const texts = (boxes: RecognizedBox[]) => layOutText(boxes).lines.map((l) => l.text);
const blocks = (boxes: RecognizedBox[]) => layOutText(boxes).lines.map((l) => l.blockIndex);

describe('layOutText reading order', () => {
  it.each([
    {
      name: 'words on one baseline merge into a line',
      boxes: [box('world', 80, 2, 60), box('Hello', 0, 0, 60)],
      lines: ['Hello world'],
    },
    {
      name: 'a paragraph reads top to bottom',
      boxes: [box('second', 0, 26, 200), box('third', 0, 52, 150), box('first', 0, 0, 220)],
      lines: ['first', 'second', 'third'],
    },
    {
      name: 'two columns of running text with aligned rows read column by column',
      boxes: [...column('R', 360, 0, 4), ...column('L', 0, 0, 4)],
      lines: ['L1', 'L2', 'L3', 'L4', 'R1', 'R2', 'R3', 'R4'],
    },
    {
      name: 'a sidebar of short items beside unaligned content reads sidebar first',
      boxes: [box('Home', 0, 0, 60), box('News', 0, 40, 60), box('About', 0, 80, 60), ...column('P', 200, 13, 4, 30)],
      lines: ['Home', 'News', 'About', 'P1', 'P2', 'P3', 'P4'],
    },
    {
      name: 'a table reads row by row',
      boxes: [
        box('Name', 0, 0, 60), box('Age', 150, 0, 40), box('City', 260, 0, 50),
        box('Alice', 0, 30, 60), box('30', 150, 30, 25), box('Paris', 260, 30, 55),
        box('Bob', 0, 60, 45), box('41', 150, 60, 25), box('Oslo', 260, 60, 50),
      ],
      lines: ['Name Age City', 'Alice 30 Paris', 'Bob 41 Oslo'],
    },
    {
      name: 'a table with a wrapped cell still reads row by row',
      boxes: [
        box('Item', 0, 0, 60), box('Notes', 200, 0, 70),
        box('Pen', 0, 30, 45), box('Blue ink,', 200, 30, 90), box('refillable', 200, 52, 100),
        box('Cup', 0, 82, 45), box('Large', 200, 82, 60),
        box('Hat', 0, 112, 45), box('Wool', 200, 112, 55),
      ],
      lines: ['Item Notes', 'Pen Blue ink,', 'refillable', 'Cup Large', 'Hat Wool'],
    },
    {
      name: 'a heading across two columns comes first, then each column',
      boxes: [box('Headline across the page', 0, 0, 640, 30), ...column('L', 0, 70, 3), ...column('R', 360, 70, 3)],
      lines: ['Headline across the page', 'L1', 'L2', 'L3', 'R1', 'R2', 'R3'],
    },
    {
      name: 'indented lines zigzagging across a gap are still one column',
      boxes: [box('one', 60, 19, 150, 16), box('two', 280, 45, 140, 16), box('three', 290, 86, 110, 16), box('four', 36, 114, 134, 16)],
      lines: ['one', 'two', 'three', 'four'],
    },
    {
      name: 'slightly slanted boxes on one line still merge',
      boxes: [box('left', 0, 0, 100), box('right', 120, 6, 100)],
      lines: ['left right'],
    },
  ])('$name', ({ boxes, lines }) => {
    expect(texts(boxes)).toEqual(lines);
  });

  it('does not depend on the order boxes arrive in', () => {
    const boxes = [box('Title', 0, 0, 200, 30), ...column('L', 0, 70, 3), ...column('R', 360, 70, 3)];
    const reversed = [...boxes].reverse();
    expect(texts(reversed)).toEqual(texts(boxes));
  });
});

describe('layOutText blocks', () => {
  it.each([
    { name: 'one paragraph is one block', boxes: column('P', 0, 0, 3), expected: [0, 0, 0] },
    { name: 'a wide gap starts a block', boxes: [...column('A', 0, 0, 2), ...column('B', 0, 100, 2)], expected: [0, 0, 1, 1] },
    { name: 'each column is its own block', boxes: [...column('L', 0, 0, 2), ...column('R', 360, 0, 2)], expected: [0, 0, 1, 1] },
    { name: 'a heading is apart from the body under it', boxes: [box('Heading', 0, 0, 300, 36), ...column('P', 0, 40, 2)], expected: [0, 1, 1] },
    { name: 'table rows stay together', boxes: [box('a', 0, 0, 40), box('1', 200, 0, 20), box('b', 0, 26, 40), box('2', 200, 26, 20)], expected: [0, 0] },
  ])('$name', ({ boxes, expected }) => {
    expect(blocks(boxes)).toEqual(expected);
  });

  it('separates blocks by a blank line in the text', () => {
    expect(layOutText([...column('A', 0, 0, 2), ...column('B', 0, 100, 1)]).text).toBe('A1\nA2\n\nB1');
  });
});

describe('layOutText lines', () => {
  it('keeps a lone box\'s own quad and gives merged lines their bounding rectangle', () => {
    const tilted: RecognizedBox = { text: 'tilted', confidence: 0.8, quad: [[0, 10], [100, 0], [102, 20], [2, 30]] };
    expect(layOutText([tilted]).lines[0]!.box).toEqual(tilted.quad);
    const merged = layOutText([box('a', 0, 0, 50), box('b', 60, 4, 50)]).lines[0]!;
    expect(merged.box).toEqual([[0, 0], [110, 0], [110, 24], [0, 24]]);
  });

  it('weights a merged line\'s confidence by characters', () => {
    const [line] = layOutText([box('abc', 0, 0, 50, 20, 0.9), box('d', 60, 0, 20, 20, 0.5)]).lines;
    expect(line!.confidence).toBeCloseTo((3 * 0.9 + 0.5) / 4, 6);
  });

  it('returns nothing for no boxes', () => {
    expect(layOutText([])).toEqual({ text: '', lines: [] });
  });
});
