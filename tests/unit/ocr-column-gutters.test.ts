/**
 * Boxes the detector joined across a narrow column gutter are cut there before they are read
 * (lib/ocr/column-gutters.ts), on geometry and the box's ink alone.
 */
import { describe, expect, it } from 'vitest';
import { cutQuad, splitJoinedColumns } from '@/lib/ocr/column-gutters';
import type { RgbImage } from '@/lib/ocr/raster';
import type { TextBox } from '@/lib/ocr/text-boxes';
import type { Point, Quad } from '@/lib/ocr/types';

const upright = (point: Point): Point => point;

function rect(left: number, top: number, right: number, bottom: number): Quad {
  return [[left, top], [right, top], [right, bottom], [left, bottom]];
}

function box(left: number, top: number, right: number, heightPx = 20): TextBox {
  return { quad: rect(left, top, right, top + heightPx), score: 0.9 };
}

const LINE_PITCH = 24;
/** Left column's lines end at 388, the right column's start at 384: unclipped boxes overlap a narrow gutter. */
const LEFT = { left: 0, right: 388 };
const RIGHT = { left: 384, right: 772 };
const GUTTER_MID = 386;

/** Seven rows of two columns under a headline, rows 1-3 joined across the gutter, a footnote below. */
function page(): { boxes: TextBox[]; headline: TextBox; footnote: TextBox; joined: TextBox[] } {
  const top = (row: number) => 40 + row * LINE_PITCH;
  const headline = box(0, 0, 600, 30);
  const joined = [0, 1, 2].map((row) => box(LEFT.left, top(row), RIGHT.right));
  const apart = [3, 4, 5, 6].flatMap((row) => [box(LEFT.left, top(row), LEFT.right), box(RIGHT.left, top(row), RIGHT.right)]);
  // A footnote across both columns, under a rule: body size, but a gap away from the columns.
  const footnote = box(0, top(7) + 24, 700, 18);
  return { boxes: [headline, ...joined, ...apart, footnote], headline, footnote, joined };
}

const bounds = (b: TextBox) => ({ left: Math.min(...b.quad.map(([x]) => x)), right: Math.max(...b.quad.map(([x]) => x)) });

describe('splitJoinedColumns', () => {
  it('cuts the lines joined across an aligned gutter at its middle and keeps the headline and footnote whole', () => {
    const { boxes, headline, footnote, joined } = page();
    const split = splitJoinedColumns(boxes, upright);
    expect(split).toHaveLength(boxes.length + joined.length);
    expect(split).toContain(headline);
    expect(split).toContain(footnote);
    for (const line of joined) expect(split).not.toContain(line);
    const parts = split.filter((b) => bounds(b).right === GUTTER_MID || bounds(b).left === GUTTER_MID);
    expect(parts).toHaveLength(2 * joined.length);
    expect(parts.filter((b) => bounds(b).left === LEFT.left)).toHaveLength(joined.length);
  });

  it('leaves a page without aligned column edges (a table of short cells, one column) alone', () => {
    const table = [0, 1, 2, 3, 4, 5].flatMap((row) => [box(0, row * LINE_PITCH, 80), box(200, row * LINE_PITCH, 280)]);
    const column = [0, 1, 2, 3, 4, 5].map((row) => box(0, 200 + row * LINE_PITCH, 700));
    expect(splitJoinedColumns([...table, ...column], upright)).toEqual([...table, ...column]);
  });

  it('cuts in the frame of a page turned a quarter: the parts follow the text down the page', () => {
    // The page above turned 90° clockwise: text runs top to bottom, so (x, y) in the frame is (y', -x').
    const turn = ([x, y]: Point): Point => [-y + 1000, x];
    const toFrame = ([x, y]: Point): Point => [y, 1000 - x];
    const turnBox = (b: TextBox): TextBox => {
      const [tl, tr, br, bl] = b.quad.map(turn) as Quad;
      // The detector names a vertical box's corners so that its crop turned back reads upright.
      return { ...b, quad: [bl, tl, tr, br] };
    };
    const { boxes, joined } = page();
    const turned = boxes.map(turnBox);
    const split = splitJoinedColumns(turned, toFrame);
    expect(split).toHaveLength(boxes.length + joined.length);
    const cutAt = split.flatMap((b) => b.quad.map((p) => toFrame(p)[0])).filter((u) => Math.abs(u - GUTTER_MID) < 1e-6);
    expect(cutAt).toHaveLength(4 * joined.length);
  });
});

describe('splitJoinedColumns with the image', () => {
  const PAPER = 250;
  const INK = 20;

  /** A page whose joined lines hold word-shaped ink, with the ink-free gutter from `gapFrom` to `gapTo`. */
  function inkedPage(gapFrom: number, gapTo: number, rule?: number): { image: RgbImage; boxes: TextBox[]; joined: TextBox[] } {
    const { boxes, joined } = page();
    const widthPx = 800;
    const heightPx = 260;
    const data = new Uint8Array(widthPx * heightPx * 3).fill(PAPER);
    const dot = (x: number, y: number) => data.fill(INK, (y * widthPx + x) * 3, (y * widthPx + x) * 3 + 3);
    // Letters as strokes: every third pixel column, so the page stays mostly paper as print does.
    const ink = (x0: number, x1: number, y0: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (x === x0 || x % 3 === 0 || x === x1 - 1) dot(x, y);
    };
    for (const line of joined) {
      const [[, top]] = line.quad;
      // Words 40 px long with 6 px gaps (0.3 box heights), except in the gutter.
      for (let x = 8; x < 764; x += 46) {
        const from = x;
        const to = Math.min(x + 40, 764);
        if (to <= gapFrom || from >= gapTo) ink(from, to, top + 5, top + 15);
        else {
          if (from < gapFrom) ink(from, gapFrom, top + 5, top + 15);
          if (to > gapTo) ink(gapTo, to, top + 5, top + 15);
        }
      }
      if (rule !== undefined) for (let y = top; y < top + 20; y++) dot(rule, y);
    }
    return { image: { data, widthPx, heightPx }, boxes, joined };
  }

  it('cuts through the ink-free run at the gutter rather than at the edges\' middle', () => {
    const { image, boxes, joined } = inkedPage(388, 402);
    const split = splitJoinedColumns(boxes, upright, image);
    const cuts = split.flatMap((b) => (bounds(b).left === LEFT.left && bounds(b).right < 700 && bounds(b).right > 380 ? [bounds(b).right] : []));
    expect(cuts.filter((x) => x > 392 && x < 398)).toHaveLength(joined.length);
  });

  it('leaves a column rule standing in the gutter out of both parts', () => {
    const { image, boxes, joined } = inkedPage(380, 396, 388);
    const split = splitJoinedColumns(boxes, upright, image);
    const lefts = split.filter((b) => bounds(b).left === LEFT.left && bounds(b).right > 370 && bounds(b).right < 400);
    const rights = split.filter((b) => bounds(b).right === RIGHT.right && bounds(b).left > 370 && bounds(b).left < 400 && bounds(b).left !== RIGHT.left);
    expect(lefts.filter((b) => bounds(b).right < 388)).toHaveLength(joined.length);
    expect(rights.filter((b) => bounds(b).left > 389)).toHaveLength(joined.length);
  });

  it('keeps a box whole when ink runs across the gutter (a line across the columns)', () => {
    const { image, boxes } = inkedPage(1000, 1000);
    expect(splitJoinedColumns(boxes, upright, image)).toEqual(boxes);
  });
});

describe('cutQuad', () => {
  it('cuts a skewed box across its own axis, keeping the corner order', () => {
    const quad: Quad = [[0, 0], [100, 10], [98, 30], [-2, 20]];
    const [first, second] = cutQuad(quad, 0.4, 0.5);
    expect(first[0]).toEqual([0, 0]);
    expect(first[1][0]).toBeCloseTo(40);
    expect(first[1][1]).toBeCloseTo(4);
    expect(first[3]).toEqual([-2, 20]);
    expect(second[0][0]).toBeCloseTo(50);
    expect(second[2]).toEqual([98, 30]);
  });
});
