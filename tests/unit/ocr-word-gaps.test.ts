import { describe, expect, it } from 'vitest';
import { inkProfile, isWordGap, widestInkFreeRun, type InkProfile } from '@/lib/ocr/word-gaps';
import type { FloatTensor } from '@/lib/ocr';

/**
 * A one-strip [1,3,H,W] input in [-1, 1]: background everywhere, `ink` in the listed column ranges
 * between rows top..bottom.
 */
function strip(widthPx: number, heightPx: number, inkColumns: [number, number][], options: { background?: number; ink?: number; top?: number; bottom?: number } = {}): FloatTensor {
  const { background = 1, ink = -1, top = 10, bottom = 29 } = options;
  const plane = widthPx * heightPx;
  const data = new Float32Array(3 * plane).fill(background);
  for (let c = 0; c < 3; c++) {
    for (const [from, to] of inkColumns) {
      for (let y = top; y <= bottom; y++) for (let x = from; x <= to; x++) data[c * plane + y * widthPx + x] = ink;
    }
  }
  return { data, dims: [1, 3, heightPx, widthPx] };
}

describe('inkProfile', () => {
  it('sums a pixel\'s channels into its grey as one float32 pass per plane would, to the bit', () => {
    const [strips, height, width, columns] = [2, 48, 37, 30];
    const data = new Float32Array(strips * 3 * height * width).map((_, i) => Math.sin(i * 12.9898) * 0.999);
    const input = { data, dims: [strips, 3, height, width] };
    const plane = height * width;
    const expected = new Float32Array(columns * height);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < height; y++) for (let x = 0; x < columns; x++) expected[y * columns + x] = expected[y * columns + x]! + data[(3 + c) * plane + y * width + x]! / 3;
    }
    expect(Buffer.from(inkProfile(input, 1, columns).grey.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });

  it.each([
    { name: 'dark text on light', background: 1, ink: -1 },
    { name: 'light text on dark', background: -0.8, ink: 0.9 },
    { name: 'low contrast grey on grey', background: 0.2, ink: 0 },
  ])('finds ink columns for $name', ({ background, ink }) => {
    const profile = inkProfile(strip(40, 48, [[2, 9], [20, 30]], { background, ink }), 0, 40);
    expect(profile.hasInk).toBe(true);
    expect(profile.stripHeightPx).toBe(48);
    expect([...profile.inkFreeColumns.subarray(0, 12)]).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('ignores the padding beyond the content width', () => {
    expect(inkProfile(strip(40, 48, [[35, 39]]), 0, 30).inkFreeColumns).toHaveLength(30);
    expect(inkProfile(strip(40, 48, [[35, 39]]), 0, 30).hasInk).toBe(false);
  });

  it('reads the n-th strip of a batch', () => {
    const first = strip(20, 48, []);
    const second = strip(20, 48, [[5, 6]]);
    const batch: FloatTensor = { data: new Float32Array([...first.data, ...second.data]), dims: [2, 3, 48, 20] };
    expect(inkProfile(batch, 1, 20).inkFreeColumns[5]).toBe(0);
    expect(inkProfile(batch, 0, 20).hasInk).toBe(false);
  });
});

describe('widestInkFreeRun', () => {
  // A 48-px strip with letter gaps of 3 columns (10-12) and 8 columns (21-28), blank from 41 on.
  const profile: InkProfile = inkProfile(strip(60, 48, [[0, 9], [13, 20], [29, 40]]), 0, 60);

  it.each([
    { name: 'the 8-column gap', from: 15, to: 35, columns: 8 },
    { name: 'only the 3-column gap', from: 5, to: 15, columns: 3 },
    { name: 'a range that clips the gap', from: 22, to: 35, columns: 7 },
    { name: 'a reversed range', from: 35, to: 15, columns: 0 },
    { name: 'a range running past the end', from: 38, to: 500, columns: 19 },
  ])('$name -> $columns columns', ({ from, to, columns }) => {
    expect(widestInkFreeRun(profile, from, to) * 48).toBeCloseTo(columns, 6);
  });

  it('is zero in a blank strip', () => {
    expect(widestInkFreeRun(inkProfile(strip(30, 48, []), 0, 30), 0, 29)).toBe(0);
  });
});

describe('isWordGap', () => {
  // Gaps of 7 (10-16), 8 (21-28) and 12 (37-48) columns in a 48-px strip: 1/6 of it is 8, 1/4 is 12.
  const profile: InkProfile = inkProfile(strip(70, 48, [[0, 9], [17, 20], [29, 36], [49, 60]]), 0, 70);
  const floor = 0.02;

  it.each([
    { name: 'a 1/6-strip gap with a hint at the floor', from: 18, to: 30, hint: 0.02, gap: true },
    { name: 'a 1/6-strip gap with a hint below the floor', from: 18, to: 30, hint: 0.019, gap: false },
    { name: 'a narrower gap however strong the hint', from: 5, to: 18, hint: 0.9, gap: false },
    { name: 'a 1/4-strip gap with a quarter of the floor', from: 33, to: 52, hint: 0.005, gap: true },
    { name: 'a 1/4-strip gap with less than that', from: 33, to: 52, hint: 0.004, gap: false },
  ])('$name -> $gap', ({ from, to, hint, gap }) => {
    expect(isWordGap(profile, from, to, hint, floor)).toBe(gap);
  });

  it('takes a gap of a third of the strip for a space with no hint at all, and nothing narrower', () => {
    // Ink-free columns 10-25 (16 = 48 / 3) and 36-50 (15).
    const wide = inkProfile(strip(70, 48, [[0, 9], [26, 35], [51, 60]]), 0, 70);
    expect(isWordGap(wide, 5, 30, 0, floor)).toBe(true);
    expect(isWordGap(wide, 30, 55, 0, floor)).toBe(false);
  });

  it('takes no unhinted space across a faintly printed letter (faded thermal print), but keeps a hinted one', () => {
    // The same third-of-the-strip gap (10-25), with a faint stroke in columns 16-19: too light to be ink at
    // the ink threshold, but not paper.
    const faded = strip(70, 48, [[0, 9], [26, 35], [51, 60]]);
    const plane = 70 * 48;
    for (let c = 0; c < 3; c++) for (let y = 10; y <= 29; y++) for (let x = 16; x <= 19; x++) faded.data[c * plane + y * 70 + x] = 0.3;
    const profile = inkProfile(faded, 0, 70);
    expect(widestInkFreeRun(profile, 5, 30)).toBeCloseTo(16 / 48);
    expect(isWordGap(profile, 5, 30, 0, floor)).toBe(false);
    expect(isWordGap(profile, 5, 30, 0.02, floor)).toBe(true);
  });
});
