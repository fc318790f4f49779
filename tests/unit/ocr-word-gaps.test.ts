import { describe, expect, it } from 'vitest';
import { hasWordGap, inkProfile, MIN_WORD_GAP_INK_HEIGHTS, type InkProfile } from '@/lib/ocr/word-gaps';
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
  it.each([
    { name: 'dark text on light', background: 1, ink: -1 },
    { name: 'light text on dark', background: -0.8, ink: 0.9 },
    { name: 'low contrast grey on grey', background: 0.2, ink: 0 },
  ])('finds ink columns and height for $name', ({ background, ink }) => {
    const profile = inkProfile(strip(40, 48, [[2, 9], [20, 30]], { background, ink }), 0, 40);
    expect(profile.inkHeightPx).toBe(20);
    expect([...profile.inkFreeColumns.subarray(0, 12)]).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('ignores the padding beyond the content width', () => {
    expect(inkProfile(strip(40, 48, [[35, 39]]), 0, 30).inkFreeColumns).toHaveLength(30);
    expect(inkProfile(strip(40, 48, [[35, 39]]), 0, 30).inkHeightPx).toBe(0);
  });

  it('reads the n-th strip of a batch', () => {
    const first = strip(20, 48, []);
    const second = strip(20, 48, [[5, 6]]);
    const batch: FloatTensor = { data: new Float32Array([...first.data, ...second.data]), dims: [2, 3, 48, 20] };
    expect(inkProfile(batch, 1, 20).inkFreeColumns[5]).toBe(0);
    expect(inkProfile(batch, 0, 20).inkHeightPx).toBe(0);
  });
});

describe('hasWordGap', () => {
  // Ink 20 px tall: a word gap needs at least 4 ink-free columns.
  const profile: InkProfile = inkProfile(strip(60, 48, [[0, 9], [13, 20], [25, 40]]), 0, 60);

  it.each([
    { name: 'a 4-column gap between the second and third glyph', from: 15, to: 30, gap: true },
    { name: 'only the 3-column gap', from: 5, to: 15, gap: false },
    { name: 'a range that clips the gap to 3 columns', from: 22, to: 30, gap: false },
    { name: 'reversed or empty range', from: 30, to: 15, gap: false },
    { name: 'a range running past the end', from: 38, to: 500, gap: true },
  ])('$name -> $gap', ({ from, to, gap }) => {
    expect(MIN_WORD_GAP_INK_HEIGHTS * profile.inkHeightPx).toBe(4);
    expect(hasWordGap(profile, from, to)).toBe(gap);
  });

  it('finds no gap in a blank strip', () => {
    expect(hasWordGap(inkProfile(strip(30, 48, []), 0, 30), 0, 29)).toBe(false);
  });
});
