import { describe, expect, it } from 'vitest';
import { resizeRgb, rotateHalfTurn, rotateQuarterCounterClockwise, toOpaqueRgb, type RgbImage } from '@/lib/ocr/raster';

function solid(widthPx: number, heightPx: number, rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(widthPx * heightPx * 3);
  for (let p = 0; p < widthPx * heightPx; p++) data.set(rgb, p * 3);
  return { data, widthPx, heightPx };
}

describe('toOpaqueRgb', () => {
  it.each([
    { name: 'opaque kept', rgba: [10, 20, 30, 255], rgb: [10, 20, 30] },
    { name: 'transparent becomes white', rgba: [0, 0, 0, 0], rgb: [255, 255, 255] },
    { name: 'half transparent black is mid grey', rgba: [0, 0, 0, 128], rgb: [127, 127, 127] },
  ])('$name', ({ rgba, rgb }) => {
    const { rgb: out } = toOpaqueRgb({ data: new Uint8Array(rgba), widthPx: 1, heightPx: 1 }, 100);
    expect([...out.data]).toEqual(rgb);
  });

  it.each([
    { w: 100, h: 100, maxPixels: 10_000, factor: 1, outW: 100, outH: 100 },
    { w: 100, h: 100, maxPixels: 2_500, factor: 2, outW: 50, outH: 50 },
    { w: 101, h: 40, maxPixels: 1_000, factor: 3, outW: 33, outH: 13 },
  ])('downsamples $w×$h under $maxPixels px by $factor', ({ w, h, maxPixels, factor, outW, outH }) => {
    const data = new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? 255 : 200));
    const { rgb, downsampleFactor } = toOpaqueRgb({ data, widthPx: w, heightPx: h }, maxPixels);
    expect(downsampleFactor).toBe(factor);
    expect([rgb.widthPx, rgb.heightPx]).toEqual([outW, outH]);
    expect(rgb.data.every((v) => v === 200)).toBe(true);
  });

  it('averages each block when downsampling', () => {
    const data = new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
    const { rgb } = toOpaqueRgb({ data, widthPx: 2, heightPx: 2 }, 1);
    expect([...rgb.data]).toEqual([128, 128, 128]);
  });
});

describe('resizeRgb', () => {
  it('hands back the pixels unchanged at the same size, whole, one band of rows, or one tile', () => {
    const data = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 37) % 256);
    const image: RgbImage = { data, widthPx: 5, heightPx: 4 };
    expect(resizeRgb(image, 5, 4)).toEqual({ data, widthPx: 5, heightPx: 4 });
    expect(resizeRgb(image, 5, 4, 1, 3)).toEqual({ data: data.subarray(15, 45), widthPx: 5, heightPx: 2 });
    // Columns 1-3 of rows 2-3.
    const tile = [...data.subarray(33, 42), ...data.subarray(48, 57)];
    expect(resizeRgb(image, 5, 4, 2, 4, 1, 4)).toEqual({ data: Uint8Array.from(tile), widthPx: 3, heightPx: 2 });
  });

  it.each([
    { name: 'enlarge', w: 7, h: 3, toW: 20, toH: 9 },
    { name: 'shrink a lot', w: 50, h: 40, toW: 6, toH: 5 },
    { name: 'same size', w: 5, h: 5, toW: 5, toH: 5 },
    { name: 'to one pixel', w: 9, h: 4, toW: 1, toH: 1 },
  ])('keeps a flat colour flat ($name)', ({ w, h, toW, toH }) => {
    const out = resizeRgb(solid(w, h, [12, 130, 250]), toW, toH);
    expect(out.data).toHaveLength(toW * toH * 3);
    for (let p = 0; p < toW * toH; p++) {
      expect(out.data[p * 3]).toBeCloseTo(12, 3);
      expect(out.data[p * 3 + 2]).toBeCloseTo(250, 3);
    }
  });

  it('interpolates with half-pixel centres when doubling, as cv2.INTER_LINEAR', () => {
    const out = resizeRgb({ data: new Uint8Array([0, 0, 0, 100, 100, 100]), widthPx: 2, heightPx: 1 }, 4, 1);
    expect([0, 1, 2, 3].map((x) => out.data[x * 3])).toEqual([0, 25, 75, 100]);
  });

  it('averages when halving instead of skipping pixels', () => {
    const out = resizeRgb({ data: new Uint8Array([0, 0, 0, 200, 200, 200, 0, 0, 0, 200, 200, 200]), widthPx: 4, heightPx: 1 }, 2, 1);
    expect(out.data[0]).toBeGreaterThan(40);
    expect(out.data[0]).toBeLessThan(160);
  });

  it.each([
    { name: 'enlarge a little (three vertical taps)', toW: 41, toH: 23 },
    { name: 'enlarge twice (two taps)', toW: 80, toH: 44 },
    { name: 'shrink (many taps)', toW: 13, toH: 7 },
  ])('gives a tile the same floats as the same rectangle of the whole resize ($name)', ({ toW, toH }) => {
    const source: RgbImage = { data: Uint8Array.from({ length: 40 * 22 * 3 }, (_, i) => (i * 97 + (i >> 5) * 13) % 256), widthPx: 40, heightPx: 22 };
    const whole = resizeRgb(source, toW, toH);
    const [fromRow, toRow, fromCol, toCol] = [2, toH - 1, 3, toW - 2];
    const tile = resizeRgb(source, toW, toH, fromRow, toRow, fromCol, toCol);
    const expected: number[] = [];
    for (let y = fromRow; y < toRow; y++) expected.push(...whole.data.subarray((y * toW + fromCol) * 3, (y * toW + toCol) * 3));
    expect([...tile.data]).toEqual(expected);
  });

  it('is identity at the same size', () => {
    const source = { data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), widthPx: 2, heightPx: 2 };
    expect([...resizeRgb(source, 2, 2).data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe('rotations', () => {
  // 3×2 image whose red channel numbers the pixels 1..6 row by row.
  const image: RgbImage = { data: new Uint8Array([1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0, 5, 0, 0, 6, 0, 0]), widthPx: 3, heightPx: 2 };
  const reds = (im: RgbImage) => [...im.data].filter((_, i) => i % 3 === 0);

  it('quarter turn counter-clockwise matches numpy.rot90', () => {
    const turned = rotateQuarterCounterClockwise(image);
    expect([turned.widthPx, turned.heightPx]).toEqual([2, 3]);
    // np.rot90([[1,2,3],[4,5,6]]) == [[3,6],[2,5],[1,4]]
    expect(reds(turned)).toEqual([3, 6, 2, 5, 1, 4]);
  });

  it('half turn reverses the pixel order', () => {
    expect(reds(rotateHalfTurn(image))).toEqual([6, 5, 4, 3, 2, 1]);
  });
});
