import { describe, expect, it } from 'vitest';
import { withoutNeighbourSlivers } from '@/lib/ocr/neighbour-ink';
import type { RgbImage } from '@/lib/ocr/raster';

/** A white strip with black ink in the listed column ranges (inclusive), rows 12..35. */
function strip(widthPx: number, inkColumns: [number, number][], heightPx = 48): RgbImage {
  const data = new Uint8Array(widthPx * heightPx * 3).fill(255);
  for (const [from, to] of inkColumns) {
    for (let y = 12; y <= 35; y++) for (let x = from; x <= to; x++) data.fill(0, (y * widthPx + x) * 3, (y * widthPx + x) * 3 + 3);
  }
  return { data, widthPx, heightPx };
}

/** Columns holding ink in a strip, as [from, to] runs. */
function inkRuns(image: RgbImage): [number, number][] {
  const runs: [number, number][] = [];
  for (let x = 0; x < image.widthPx; x++) {
    let ink = false;
    for (let y = 0; y < image.heightPx; y++) if (image.data[(y * image.widthPx + x) * 3]! < 128) ink = true;
    const last = runs[runs.length - 1];
    if (ink && last && last[1] === x - 1) last[1] = x;
    else if (ink) runs.push([x, x]);
  }
  return runs;
}

describe('withoutNeighbourSlivers', () => {
  // A word of three letters 10 columns wide, 2 apart, from column 60.
  const word: [number, number][] = [
    [60, 69],
    [72, 81],
    [84, 93],
  ];

  it('cuts off the tail of the previous word caught at the start, across the word gap', () => {
    const trimmed = withoutNeighbourSlivers(strip(120, [[0, 12], ...word]))!;
    expect(inkRuns(trimmed)).toHaveLength(3);
    expect(trimmed.widthPx).toBeLessThan(120);
  });

  it('cuts off the head of the next word caught at the end', () => {
    const trimmed = withoutNeighbourSlivers(strip(130, [...word, [120, 129]]))!;
    expect(inkRuns(trimmed)).toEqual(word);
  });

  it('keeps a one-letter word that has paper before the edge', () => {
    const image = strip(120, [[8, 18], ...word]);
    expect(withoutNeighbourSlivers(image)).toBe(image);
  });

  it('keeps a wide cluster at the edge: a whole word cut by the crop is the box’s own text', () => {
    const image = strip(160, [[0, 40], ...word.map(([a, b]) => [a + 30, b + 30] as [number, number])]);
    expect(withoutNeighbourSlivers(image)).toBe(image);
  });

  it('keeps the ink at an end cut by the image’s border, and still trims the other end', () => {
    const image = strip(140, [[0, 12], ...word, [130, 139]]);
    expect(inkRuns(withoutNeighbourSlivers(image, { start: true })!)).toEqual([[0, 12], ...word]);
    expect(inkRuns(withoutNeighbourSlivers(image, { end: true })!).map(([a, b]) => b - a)).toEqual([9, 9, 9, 9]);
    expect(withoutNeighbourSlivers(image, { start: true, end: true })).toBe(image);
  });

  it('gives null for a box that holds nothing but two neighbours’ slivers', () => {
    expect(withoutNeighbourSlivers(strip(70, [[0, 3], [58, 69]]))).toBeNull();
  });

  it('returns a strip with one cluster, or none, unchanged', () => {
    const single = strip(40, [[0, 12]]);
    expect(withoutNeighbourSlivers(single)).toBe(single);
    const blank = strip(40, []);
    expect(withoutNeighbourSlivers(blank)).toBe(blank);
  });
});
