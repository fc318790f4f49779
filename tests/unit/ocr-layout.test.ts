import { describe, expect, it } from 'vitest';
import { dominantReadingAngleRad, layOutText, readingAngleRad, type RecognizedBox } from '@/lib/ocr/layout';
import type { Point, Quad } from '@/lib/ocr';

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
      // Rows 17 px apart, the last cut short by the image's bottom edge; one box of the row above is taller
      // (two words the detector ran together), which must not pull the short boxes below into its row.
      name: 'a taller box in a row does not pull the next row’s boxes into it',
      boxes: [
        box('01Aug', 0, 0, 90, 21),
        box('48.08', 300, 0, 50, 21),
        box('02Aug Cheque', 0, 17, 210, 25),
        box('70.51', 300, 17, 50, 21),
        box('4985', 240, 17, 40, 21),
        box('03Aug', 0, 33, 90, 18),
        box('500.00', 300, 33, 50, 18),
        box('4992', 240, 33, 40, 18),
      ],
      lines: ['01Aug 48.08', '02Aug Cheque 4985 70.51', '03Aug 4992 500.00'],
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
      name: 'a table whose cells are long enough to look like running text still reads row by row',
      boxes: [
        ...['Feature', 'Storage', 'Users', 'Support'].flatMap((label, i) => [
          box(`${label}`, 0, i * 30, 140),
          box(`a${i}`, 180, i * 30, 60),
          box(`long cell ${i}`, 300, i * 30, 200),
          box(`b${i}`, 540, i * 30, 90),
        ]),
      ],
      lines: ['Feature a0 long cell 0 b0', 'Storage a1 long cell 1 b1', 'Users a2 long cell 2 b2', 'Support a3 long cell 3 b3'],
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

const DEG = Math.PI / 180;

/** The box turned by `degrees` about the origin, reading in that direction. */
function turned(b: RecognizedBox, degrees: number): RecognizedBox {
  const a = degrees * DEG;
  const turn = ([x, y]: Point): Point => [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)];
  return { ...b, quad: b.quad.map(turn) as Quad, readingAngleRad: a };
}

describe('readingAngleRad', () => {
  const flat: Quad = [[0, 0], [100, 0], [100, 20], [0, 20]];
  const tilted: Quad = [[0, 0], [98.48, 17.36], [95, 37], [-3.47, 19.7]];
  it.each([
    { name: 'level box', quad: flat, vertical: false, upsideDown: false, degrees: 0 },
    { name: 'box tilted 10°', quad: tilted, vertical: false, upsideDown: false, degrees: 10 },
    { name: 'upside-down strip', quad: flat, vertical: false, upsideDown: true, degrees: 180 },
    { name: 'vertical box (crop turned a quarter)', quad: flat, vertical: true, upsideDown: false, degrees: 90 },
    { name: 'vertical box read upside down', quad: flat, vertical: true, upsideDown: true, degrees: -90 },
  ])('$name -> $degrees°', ({ quad, vertical, upsideDown, degrees }) => {
    expect(readingAngleRad(quad, vertical, upsideDown) / DEG).toBeCloseTo(degrees, 1);
  });
});

describe('dominantReadingAngleRad', () => {
  const line = (text: string, degrees: number): RecognizedBox => ({ ...box(text, 0, 0, 100), readingAngleRad: degrees * DEG });
  it.each([
    { name: 'no angles given', boxes: [box('abc', 0, 0, 50)], degrees: 0 },
    { name: 'a sideways label does not tilt a level page', boxes: [line('a long line of text', 0), line('another long line', 1), line('label', 90)], degrees: 0.5 },
    { name: 'an upside-down page', boxes: [line('first line', 180), line('second', -179)], degrees: 180 },
    { name: 'more text wins over more boxes', boxes: [line('a', 90), line('b', 90), line('a much longer line of text', 0)], degrees: 0 },
  ])('$name', ({ boxes, degrees }) => {
    const angle = dominantReadingAngleRad(boxes) / DEG;
    expect(Math.abs(((angle - degrees + 540) % 360) - 180)).toBeLessThan(0.6);
  });
});

describe('layOutText on turned pages', () => {
  const paragraph = [box('first line of text', 0, 0, 300), box('second line here', 0, 26, 280), box('third', 0, 52, 120)];
  it.each([{ degrees: -10 }, { degrees: 12 }, { degrees: 90 }, { degrees: 180 }, { degrees: -90 }])(
    'reads a paragraph turned $degrees° line by line, in order',
    ({ degrees }) => {
      const result = layOutText(paragraph.map((b) => turned(b, degrees)).reverse());
      expect(result.lines.map((l) => l.text)).toEqual(['first line of text', 'second line here', 'third']);
      expect(new Set(result.lines.map((l) => l.blockIndex)).size).toBe(1);
    },
  );

  it('gives merged lines on a turned page a box turned with them', () => {
    const [line] = layOutText([turned(box('a', 0, 0, 50), 90), turned(box('b', 60, 0, 50), 90)]).lines;
    expect(line!.text).toBe('a b');
    line!.box.forEach((corner, i) => {
      const expected = ([[0, 0], [0, 110], [-20, 110], [-20, 0]] as Point[])[i]!;
      expect(corner[0]).toBeCloseTo(expected[0], 6);
      expect(corner[1]).toBeCloseTo(expected[1], 6);
    });
  });
});
