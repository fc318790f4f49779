import { describe, expect, it } from 'vitest';
import { planRecognitionBatches, textLineBuffers, textLineTensor } from '@/lib/ocr/text-line-input';
import type { RgbImage } from '@/lib/ocr/raster';

function solid(widthPx: number, heightPx: number, rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(widthPx * heightPx * 3);
  for (let p = 0; p < widthPx * heightPx; p++) data.set(rgb, p * 3);
  return { data, widthPx, heightPx };
}

describe('textLineTensor', () => {
  it('scales to height 48 by aspect, normalises B, G, R to [-1, 1] and pads with zeros', () => {
    // 20×10 strip -> 96×48 inside a 192-wide input.
    const tensor = textLineTensor([solid(20, 10, [255, 0, 51])], 192);
    expect(tensor.dims).toEqual([1, 3, 48, 192]);
    const plane = 48 * 192;
    const at = (channel: number, x: number, y: number) => tensor.data[channel * plane + y * 192 + x]!;
    expect(at(0, 0, 0)).toBeCloseTo(51 / 127.5 - 1, 5);
    expect(at(1, 95, 47)).toBeCloseTo(-1, 5);
    expect(at(2, 50, 20)).toBeCloseTo(1, 5);
    expect(at(2, 96, 20)).toBe(0);
    expect(at(0, 191, 47)).toBe(0);
  });

  it.each([
    { name: 'wider than the input is squeezed to fit', w: 400, h: 10, filled: 192 },
    { name: 'narrow strip rounds its width up', w: 3, h: 10, filled: 15 },
  ])('$name', ({ w, h, filled }) => {
    const tensor = textLineTensor([solid(w, h, [0, 0, 0])], 192);
    const row = tensor.data.subarray(0, 192);
    expect(row.findIndex((v) => v === 0)).toBe(filled === 192 ? -1 : filled);
  });

  it('builds the same tensors in reused buffers, call after call, whatever the last call left there', () => {
    /** A strip with a gradient, so a resize that read stale scratch would show. */
    const gradient = (widthPx: number, heightPx: number): RgbImage => {
      const data = new Uint8Array(widthPx * heightPx * 3);
      for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
      return { data, widthPx, heightPx };
    };
    const buffers = textLineBuffers();
    // Wide and dark first, then narrower ones: the padding of the later ones lands where ink was.
    const calls: [RgbImage[], number][] = [
      [[solid(300, 30, [0, 0, 0]), gradient(120, 60)], 480],
      [[gradient(50, 20)], 160],
      [[gradient(64, 48), solid(10, 10, [0, 0, 0])], 192],
      [[gradient(31, 97)], 160],
    ];
    for (const [strips, widthPx] of calls) {
      const reused = textLineTensor(strips, widthPx, buffers);
      const fresh = textLineTensor(strips, widthPx);
      expect(reused.dims).toEqual(fresh.dims);
      expect(reused.data.length).toBe(fresh.data.length);
      expect(reused.data.findIndex((v, i) => !Object.is(v, fresh.data[i]))).toBe(-1);
    }
  });

  it('stacks a batch in order', () => {
    const tensor = textLineTensor([solid(10, 10, [255, 255, 255]), solid(10, 10, [0, 0, 0])], 64);
    expect(tensor.dims).toEqual([2, 3, 48, 64]);
    expect(tensor.data[0]).toBeCloseTo(1, 5);
    expect(tensor.data[3 * 48 * 64]).toBeCloseTo(-1, 5);
  });
});

describe('planRecognitionBatches', () => {
  const strip = (aspect: number) => ({ widthPx: aspect * 10, heightPx: 10 });

  it.each([
    {
      name: 'sorted by aspect, batchSize at a time',
      aspects: [30, 2, 12, 5, 1],
      batchSize: 2,
      expected: [
        { stripIndices: [4, 1], widthPx: 320 },
        { stripIndices: [3, 2], widthPx: 576 },
        { stripIndices: [0], widthPx: 1440 },
      ],
    },
    { name: 'short words share the 320 px minimum', aspects: [1, 2, 3], batchSize: 6, expected: [{ stripIndices: [0, 1, 2], widthPx: 320 }] },
    { name: 'very long lines are capped', aspects: [200], batchSize: 6, expected: [{ stripIndices: [0], widthPx: 3200 }] },
    { name: 'no strips, no batches', aspects: [], batchSize: 6, expected: [] },
  ])('$name', ({ aspects, batchSize, expected }) => {
    expect(planRecognitionBatches(aspects.map(strip), batchSize, 3200)).toEqual(expected);
  });

  it('takes a smaller minimum width when asked', () => {
    expect(planRecognitionBatches([1, 2, 5].map(strip), 1, 3200, 160).map((b) => b.widthPx)).toEqual([160, 160, 240]);
  });

  it('rounds widths up to the step, never past the cap', () => {
    expect(planRecognitionBatches([5, 12, 66, 200].map(strip), 1, 3200, 160, 320).map((b) => b.widthPx)).toEqual([320, 640, 3200, 3200]);
  });
});
