import { describe, expect, it } from 'vitest';
import { applyProjective, cropSize, cropTextBox, unitSquareToQuad } from '@/lib/ocr/crop';
import type { RgbImage } from '@/lib/ocr/raster';
import type { Quad } from '@/lib/ocr';

/** Each pixel encodes its own position: R = x, G = y, B = 7. */
function coordinateImage(widthPx: number, heightPx: number): RgbImage {
  const data = new Uint8Array(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y++) for (let x = 0; x < widthPx; x++) data.set([x, y, 7], (y * widthPx + x) * 3);
  return { data, widthPx, heightPx };
}

const pixel = (image: RgbImage, x: number, y: number) => [...image.data.subarray((y * image.widthPx + x) * 3, (y * image.widthPx + x) * 3 + 3)];

describe('cropSize', () => {
  it.each([
    { name: 'axis-aligned', quad: [[0, 0], [30, 0], [30, 10], [0, 10]] as Quad, w: 30, h: 10 },
    { name: 'fractions truncate', quad: [[0.2, 0], [30.9, 0], [30.9, 10.8], [0.2, 10.8]] as Quad, w: 30, h: 10 },
    { name: 'trapezoid takes the longer sides', quad: [[0, 0], [20, 0], [24, 10], [-4, 10]] as Quad, w: 28, h: 10 },
    { name: 'degenerate box still one pixel', quad: [[5, 5], [5, 5], [5, 5], [5, 5]] as Quad, w: 1, h: 1 },
  ])('$name -> $w×$h', ({ quad, w, h }) => {
    expect(cropSize(quad)).toEqual({ widthPx: w, heightPx: h });
  });
});

describe('unitSquareToQuad', () => {
  it.each([
    { name: 'rectangle', quad: [[10, 20], [50, 20], [50, 30], [10, 30]] as Quad },
    { name: 'rotated square', quad: [[5, 0], [10, 5], [5, 10], [0, 5]] as Quad },
    { name: 'perspective trapezoid', quad: [[0, 0], [40, 5], [40, 15], [0, 20]] as Quad },
  ])('sends the unit square corners to the $name corners', ({ quad }) => {
    const m = unitSquareToQuad(quad);
    const images = [applyProjective(m, 0, 0), applyProjective(m, 1, 0), applyProjective(m, 1, 1), applyProjective(m, 0, 1)];
    images.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(quad[i]![0], 6);
      expect(p[1]).toBeCloseTo(quad[i]![1], 6);
    });
  });
});

describe('cropTextBox', () => {
  const source = coordinateImage(64, 48);

  it('copies an axis-aligned box pixel for pixel', () => {
    const strip = cropTextBox(source, [[10, 5], [40, 5], [40, 15], [10, 15]]);
    expect([strip.widthPx, strip.heightPx]).toEqual([30, 10]);
    expect(pixel(strip, 0, 0)).toEqual([10, 5, 7]);
    expect(pixel(strip, 29, 9)).toEqual([39, 14, 7]);
    expect(pixel(strip, 12, 3)).toEqual([22, 8, 7]);
  });

  it('samples between pixels bilinearly', () => {
    const strip = cropTextBox(source, [[10.5, 5], [40.5, 5], [40.5, 15], [10.5, 15]]);
    expect(pixel(strip, 0, 0)).toEqual([11, 5, 7]); // 10.5 rounds half up
    expect(pixel(strip, 1, 0)).toEqual([12, 5, 7]);
  });

  it('replicates the edge for boxes that overhang the image', () => {
    const strip = cropTextBox(source, [[-4, -2], [6, -2], [6, 3], [-4, 3]]);
    expect(pixel(strip, 0, 0)).toEqual([0, 0, 7]);
  });

  it('straightens a box rotated 90° so the text runs left to right', () => {
    // A tall box (10 wide, 30 high): the strip is turned counter-clockwise, so its left end is the box's top.
    const strip = cropTextBox(source, [[20, 10], [30, 10], [30, 40], [20, 40]]);
    expect([strip.widthPx, strip.heightPx]).toEqual([30, 10]);
    expect(pixel(strip, 0, 9)).toEqual([20, 10, 7]);
    expect(pixel(strip, 29, 0)).toEqual([29, 39, 7]);
  });

  it.each([
    { name: 'a short line is sampled at the minimum height', quad: [[10, 5], [40, 5], [40, 15], [10, 15]] as Quad, size: [60, 20], at: [2, 2], from: [11, 6] },
    { name: 'a tall line is not shrunk', quad: [[10, 5], [40, 5], [40, 30], [10, 30]] as Quad, size: [30, 25], at: [2, 2], from: [12, 7] },
    { name: 'a vertical line scales by its width', quad: [[20, 10], [30, 10], [30, 40], [20, 40]] as Quad, size: [60, 20], at: [0, 19], from: [20, 10] },
  ])('$name', ({ quad, size, at, from }) => {
    const strip = cropTextBox(source, quad, 20);
    expect([strip.widthPx, strip.heightPx]).toEqual(size);
    expect(pixel(strip, at[0]!, at[1]!)).toEqual([...from, 7]);
  });

  it.each([
    { name: 'just below 1.5 stays', w: 20, h: 29, turned: false },
    { name: 'at 1.5 turns', w: 20, h: 30, turned: true },
  ])('height/width $name', ({ w, h, turned }) => {
    const strip = cropTextBox(source, [[0, 0], [w, 0], [w, h], [0, h]]);
    expect(strip.widthPx === w).toBe(!turned);
  });
});
