import { describe, expect, it } from 'vitest';
import { DETECTION_BAND_OVERLAP_PX, detectionTensor, planDetection, type DetectionPlan } from '@/lib/ocr/detection-input';
import { DEFAULT_OCR_OPTIONS } from '@/lib/ocr';
import type { RgbImage } from '@/lib/ocr/raster';

const caps = {
  detectionMaxWidthPx: 2000,
  detectionMaxPixels: 2000 * 1000,
  detectionBandMaxPixels: 1000 * 1000,
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
      for (const band of plan.bands) expect(plan.widthPx * band.heightPx).toBeLessThanOrEqual(DEFAULT_OCR_OPTIONS.detectionBandMaxPixels);
    }
  });
});

describe('planDetection bands', () => {
  function expectBandsCover(plan: DetectionPlan): void {
    const first = plan.bands[0]!;
    const last = plan.bands[plan.bands.length - 1]!;
    expect(first.ownedFromPx).toBe(0);
    expect(last.ownedToPx).toBe(plan.heightPx);
    expect(last.topPx + last.heightPx).toBe(plan.heightPx);
    plan.bands.forEach((band, i) => {
      expect(band.topPx % 32).toBe(0);
      expect(band.heightPx % 32).toBe(0);
      const next = plan.bands[i + 1];
      if (next) expect(next.ownedFromPx).toBe(band.ownedToPx);
      // Each owned stretch sits at least half an overlap inside its band, except at the image edges.
      if (i > 0) expect(band.ownedFromPx - band.topPx).toBeGreaterThanOrEqual(DETECTION_BAND_OVERLAP_PX / 2);
      if (next) expect(band.topPx + band.heightPx - band.ownedToPx).toBeGreaterThanOrEqual(DETECTION_BAND_OVERLAP_PX / 2);
    });
  }

  it.each([
    { name: 'a short image is one band', w: 800, h: 600, bands: 1 },
    { name: 'a page 1000 wide and 3000 tall takes four 992-row bands', w: 1000, h: 3000, bands: 4 },
    { name: 'an exact fit needs no extra band', w: 1000, h: 992, bands: 1 },
    { name: 'a very narrow, very tall strip', w: 40, h: 12000, bands: 1 },
  ])('$name', ({ w, h, bands }) => {
    const plan = planDetection(w, h, { ...caps, detectionMaxPixels: 40_000_000 });
    expect(plan.bands).toHaveLength(bands);
    expectBandsCover(plan);
  });
});

describe('detectionTensor', () => {
  it('lays out B, G, R planes normalised with ImageNet mean/std in BGR order', () => {
    // 32×32 of one colour: R=255, G=0, B=51.
    const data = new Uint8Array(32 * 32 * 3);
    for (let p = 0; p < 32 * 32; p++) data.set([255, 0, 51], p * 3);
    const plan = planDetection(32, 32, { ...caps, detectionUpscaleBelowPx: 0 });
    const tensor = detectionTensor({ data, widthPx: 32, heightPx: 32 }, plan, plan.bands[0]!);
    expect(tensor.dims).toEqual([1, 3, 32, 32]);
    const plane = 32 * 32;
    expect(tensor.data[0]).toBeCloseTo((51 / 255 - 0.485) / 0.229, 4);
    expect(tensor.data[plane]).toBeCloseTo((0 - 0.456) / 0.224, 4);
    expect(tensor.data[2 * plane]).toBeCloseTo((1 - 0.406) / 0.225, 4);
  });

  it('gives each band exactly the rows of the whole resized image', () => {
    const widthPx = 50;
    const heightPx = 700;
    const data = new Uint8Array(widthPx * heightPx * 3).map((_, i) => (i * 37) % 256);
    const image: RgbImage = { data, widthPx, heightPx };
    const banded = planDetection(widthPx, heightPx, { ...caps, detectionBandMaxPixels: 96 * 320, detectionUpscaleBelowPx: 0 });
    const whole = planDetection(widthPx, heightPx, { ...caps, detectionUpscaleBelowPx: 0 });
    expect(banded.bands.length).toBeGreaterThan(1);
    const full = detectionTensor(image, whole, whole.bands[0]!);
    for (const band of banded.bands) {
      const part = detectionTensor(image, banded, band);
      for (const channel of [0, 2]) {
        for (const row of [0, band.heightPx - 1]) {
          const partRow = part.data.subarray((channel * band.heightPx + row) * whole.widthPx, (channel * band.heightPx + row + 1) * whole.widthPx);
          const fullStart = (channel * whole.heightPx + band.topPx + row) * whole.widthPx;
          expect([...partRow].map((v) => v.toFixed(4))).toEqual([...full.data.subarray(fullStart, fullStart + whole.widthPx)].map((v) => v.toFixed(4)));
        }
      }
    }
  });
});
