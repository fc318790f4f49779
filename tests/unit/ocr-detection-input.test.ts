import { describe, expect, it } from 'vitest';
import {
  axisSpans,
  DETECTION_TILE_MARGIN_PX,
  detectionBuffers,
  detectionTensor,
  planDetection,
  PROBABILITY_LEVELS,
  StitchedProbabilityMap,
  type TileSpan,
} from '@/lib/ocr/detection-input';
import { DEFAULT_OCR_OPTIONS } from '@/lib/ocr';
import type { RgbImage } from '@/lib/ocr/raster';

const caps = {
  detectionMaxWidthPx: 2000,
  detectionMaxPixels: 2000 * 1000,
  detectionTileMaxPixels: 1000 * 1000,
  detectionWholeMaxPixels: 0,
  detectionUpscaleBelowPx: 960,
  detectionMaxUpscale: 2,
};

describe('planDetection size', () => {
  it.each([
    { name: 'page screenshot kept at native scale', w: 1280, h: 720, expected: [1280, 736] },
    { name: 'sides rounded to the nearest multiple of 32', w: 1000, h: 1010, expected: [992, 1024] },
    { name: 'small region doubled (capped upscale)', w: 300, h: 40, expected: [608, 96] },
    { name: 'mid-size image enlarged only to the threshold', w: 640, h: 480, expected: [960, 736] },
    { name: 'width capped', w: 4000, h: 200, expected: [2016, 96] },
    { name: 'total area capped for a big square', w: 3000, h: 3000, expected: [1408, 1408] },
    { name: 'a tall page keeps its scale up to the area cap', w: 400, h: 4000, expected: [416, 4000] },
    { name: '1×1 becomes the smallest input', w: 1, h: 1, expected: [32, 32] },
  ])('$name: $w×$h', ({ w, h, expected }) => {
    const plan = planDetection(w, h, caps);
    expect([plan.widthPx, plan.heightPx]).toEqual(expected);
  });

  it('never exceeds the default caps, whatever the shape', () => {
    for (const [w, h] of [[20000, 20000], [100000, 50], [50, 100000], [3840, 2160], [1280, 30000]] as const) {
      const plan = planDetection(w, h, DEFAULT_OCR_OPTIONS);
      expect(plan.widthPx).toBeLessThanOrEqual(DEFAULT_OCR_OPTIONS.detectionMaxWidthPx + 16);
      expect(plan.widthPx * plan.heightPx).toBeLessThanOrEqual(DEFAULT_OCR_OPTIONS.detectionMaxPixels * 1.1);
      for (const tile of plan.tiles) expect(tile.x.sizePx * tile.y.sizePx).toBeLessThanOrEqual(DEFAULT_OCR_OPTIONS.detectionTileMaxPixels);
    }
  });
});

describe('planDetection tiles', () => {
  function expectSpansCover(spans: TileSpan[], size: number): void {
    expect(spans[0]!.ownedFromPx).toBe(0);
    expect(spans.at(-1)!.ownedToPx).toBe(size);
    expect(spans.at(-1)!.fromPx + spans.at(-1)!.sizePx).toBe(size);
    spans.forEach((span, i) => {
      expect(span.fromPx % 32).toBe(0);
      expect(span.sizePx % 32).toBe(0);
      expect(span.ownedFromPx).toBeGreaterThanOrEqual(span.fromPx);
      expect(span.ownedToPx).toBeLessThanOrEqual(span.fromPx + span.sizePx);
      const next = spans[i + 1];
      if (next) expect(next.ownedFromPx).toBe(span.ownedToPx);
      // Each owned stretch has a margin of context inside its tile, except at the image's edges.
      if (i > 0) expect(span.ownedFromPx - span.fromPx).toBeGreaterThanOrEqual(DETECTION_TILE_MARGIN_PX);
      if (next) expect(span.fromPx + span.sizePx - span.ownedToPx).toBeGreaterThanOrEqual(DETECTION_TILE_MARGIN_PX);
    });
  }

  it.each([
    { name: 'a small image is one tile', w: 800, h: 600, columns: 1, rows: 1 },
    { name: 'a narrow tall page is cut into full-width rows', w: 1000, h: 3000, columns: 1, rows: 4 },
    { name: 'an exact fit needs no extra tile', w: 1000, h: 992, columns: 1, rows: 1 },
    { name: 'a wide page is cut both ways', w: 3000, h: 1500, columns: 4, rows: 2 },
    { name: 'a very narrow, very tall strip', w: 40, h: 12000, columns: 1, rows: 1 },
  ])('$name', ({ w, h, columns, rows }) => {
    const plan = planDetection(w, h, { ...caps, detectionMaxWidthPx: 4000, detectionMaxPixels: 40_000_000 });
    const xs = [...new Map(plan.tiles.map((t) => [t.x.fromPx, t.x])).values()];
    const ys = [...new Map(plan.tiles.map((t) => [t.y.fromPx, t.y])).values()];
    expect([xs.length, ys.length]).toEqual([columns, rows]);
    expect(plan.tiles).toHaveLength(columns * rows);
    expectSpansCover(xs, plan.widthPx);
    expectSpansCover(ys, plan.heightPx);
    for (const tile of plan.tiles) expect(tile.x.sizePx * tile.y.sizePx).toBeLessThanOrEqual(1000 * 1000);
  });

  it('runs an image up to detectionWholeMaxPixels whole, however small the tiles', () => {
    const plan = planDetection(700, 700, { ...caps, detectionTileMaxPixels: 320 * 320, detectionWholeMaxPixels: 736 * 736, detectionUpscaleBelowPx: 0 });
    expect(plan.tiles).toEqual([{ x: { fromPx: 0, sizePx: 704, ownedFromPx: 0, ownedToPx: 704 }, y: { fromPx: 0, sizePx: 704, ownedFromPx: 0, ownedToPx: 704 } }]);
  });

  it('cuts an axis into runs that overlap by two margins', () => {
    expect(axisSpans(1000, 480)).toEqual([
      { fromPx: 0, sizePx: 480, ownedFromPx: 0, ownedToPx: 416 },
      { fromPx: 352, sizePx: 480, ownedFromPx: 416, ownedToPx: 768 },
      { fromPx: 520, sizePx: 480, ownedFromPx: 768, ownedToPx: 1000 },
    ]);
  });
});

describe('StitchedProbabilityMap', () => {
  it('keeps each tile’s owned part, quantised, and refuses a map of the wrong size', () => {
    const plan = planDetection(640, 320, { ...caps, detectionTileMaxPixels: 320 * 320, detectionUpscaleBelowPx: 0 });
    expect(plan.tiles.length).toBeGreaterThan(1);
    const map = new StitchedProbabilityMap(plan.widthPx, plan.heightPx);
    plan.tiles.forEach((tile, i) => {
      const value = (i + 1) / 10;
      map.add(tile, { data: new Float32Array(tile.x.sizePx * tile.y.sizePx).fill(value), dims: [1, 1, tile.y.sizePx, tile.x.sizePx] });
    });
    plan.tiles.forEach((tile, i) => {
      const at = (x: number, y: number) => map.data[y * plan.widthPx + x];
      expect(at(tile.x.ownedFromPx, tile.y.ownedFromPx)).toBe(Math.round(((i + 1) / 10) * PROBABILITY_LEVELS));
      expect(at(tile.x.ownedToPx - 1, tile.y.ownedToPx - 1)).toBe(Math.round(((i + 1) / 10) * PROBABILITY_LEVELS));
    });
    expect(() => map.add(plan.tiles[0]!, { data: new Float32Array(4), dims: [1, 1, 2, 2] })).toThrow(/tile/);
  });
});

describe('detectionTensor', () => {
  it('lays out B, G, R planes normalised with ImageNet mean/std in BGR order', () => {
    // 32×32 of one colour: R=255, G=0, B=51.
    const data = new Uint8Array(32 * 32 * 3);
    for (let p = 0; p < 32 * 32; p++) data.set([255, 0, 51], p * 3);
    const plan = planDetection(32, 32, { ...caps, detectionUpscaleBelowPx: 0 });
    const tensor = detectionTensor({ data, widthPx: 32, heightPx: 32 }, plan, plan.tiles[0]!);
    expect(tensor.dims).toEqual([1, 3, 32, 32]);
    const plane = 32 * 32;
    expect(tensor.data[0]).toBeCloseTo((51 / 255 - 0.485) / 0.229, 4);
    expect(tensor.data[plane]).toBeCloseTo((0 - 0.456) / 0.224, 4);
    expect(tensor.data[2 * plane]).toBeCloseTo((1 - 0.406) / 0.225, 4);
  });

  it('gives each tile exactly its part of the whole resized image, with or without lent buffers', () => {
    const widthPx = 500;
    const heightPx = 700;
    const data = new Uint8Array(widthPx * heightPx * 3).map((_, i) => (i * 37) % 256);
    const image: RgbImage = { data, widthPx, heightPx };
    for (const scale of [1, 0.9]) {
      const options = { ...caps, detectionMaxWidthPx: Math.round(widthPx * scale), detectionUpscaleBelowPx: 0 };
      const tiled = planDetection(widthPx, heightPx, { ...options, detectionTileMaxPixels: 256 * 288 });
      const whole = planDetection(widthPx, heightPx, options);
      expect(tiled.tiles.length).toBeGreaterThan(3);
      const full = detectionTensor(image, whole, whole.tiles[0]!);
      const buffers = detectionBuffers();
      for (const tile of tiled.tiles) {
        for (const part of [detectionTensor(image, tiled, tile), detectionTensor(image, tiled, tile, buffers)]) {
          expect(part.dims).toEqual([1, 3, tile.y.sizePx, tile.x.sizePx]);
          for (const channel of [0, 2]) {
            for (const row of [0, tile.y.sizePx - 1]) {
              const partStart = (channel * tile.y.sizePx + row) * tile.x.sizePx;
              const fullStart = (channel * whole.heightPx + tile.y.fromPx + row) * whole.widthPx + tile.x.fromPx;
              const round = (values: Float32Array) => [...values].map((v) => v.toFixed(4));
              expect(round(part.data.subarray(partStart, partStart + tile.x.sizePx))).toEqual(round(full.data.subarray(fullStart, fullStart + tile.x.sizePx)));
            }
          }
        }
      }
    }
  });
});
