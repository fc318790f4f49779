/**
 * recognizeText end to end with stand-in models: the detector marks dark pixels as text, the recogniser
 * names a strip by its ink colour, so every stage between them (boxes, crops, turning, layout) is real.
 */
import { describe, expect, it, vi } from 'vitest';
import { recognizeText, type FloatTensor, type OcrModels, type RgbaImage } from '@/lib/ocr';
import { classesReadBeyondBest, compactProbabilities } from '@/lib/ocr/recognizer-output';

const DICTIONARY = ['blank', 'd', 'a', 'r', 'k', 'g', 'y', ' '];
const DARK = 0;
const GREY = 110;

interface Ink {
  left: number;
  top: number;
  right: number;
  bottom: number;
  value: number;
}

function page(widthPx: number, heightPx: number, inks: Ink[] = []): RgbaImage {
  const data = new Uint8ClampedArray(widthPx * heightPx * 4).fill(255);
  for (const ink of inks) {
    for (let y = ink.top; y < ink.bottom; y++) {
      for (let x = ink.left; x < ink.right; x++) data.set([ink.value, ink.value, ink.value], (y * widthPx + x) * 4);
    }
  }
  return { data, widthPx, heightPx };
}

/**
 * CTC rows spelling `text` (one step per character, blanks between) padded with blanks to `steps`; the
 * space class gets nothing, so no space is hinted.
 */
function spell(text: string, steps: number, confidence: number): Float32Array {
  const out = new Float32Array(steps * DICTIONARY.length);
  const labels = [...text].flatMap((ch) => [DICTIONARY.indexOf(ch), 0]);
  for (let t = 0; t < steps; t++) {
    const label = labels[t] ?? 0;
    out.fill((1 - confidence) / (DICTIONARY.length - 2), t * DICTIONARY.length, (t + 1) * DICTIONARY.length);
    out[t * DICTIONARY.length + DICTIONARY.length - 1] = 0;
    out[t * DICTIONARY.length + label] = confidence;
  }
  return out;
}

/** The darkest normalised value in a strip's first channel, back in 0..255. */
function darkestInk(input: FloatTensor, n: number, fromX: number, toX: number): number {
  const [, , height = 0, width = 0] = input.dims;
  let darkest = 255;
  for (let y = 0; y < height; y++) {
    for (let x = fromX; x < Math.min(toX, width); x++) {
      const v = (input.data[n * 3 * height * width + y * width + x]! + 1) * 127.5;
      darkest = Math.min(darkest, v);
    }
  }
  return darkest;
}

interface FakeOptions {
  upsideDownProbability?: number;
  classes?: number;
}

function fakeModels({ upsideDownProbability = 0.01, classes = DICTIONARY.length }: FakeOptions = {}) {
  const models: OcrModels = {
    detect: vi.fn(async (input: FloatTensor) => {
      const [, , height = 0, width = 0] = input.dims;
      const plane = height * width;
      const data = new Float32Array(plane);
      // Channel 0 is blue normalised with mean 0.485, std 0.229: anything well below white is ink.
      for (let p = 0; p < plane; p++) data[p] = input.data[p]! * 0.229 + 0.485 < 0.8 ? 0.95 : 0.01;
      return { data, dims: [1, 1, height, width] };
    }),
    classify: vi.fn(async (input: FloatTensor) => {
      const count = input.dims[0] ?? 0;
      const data = new Float32Array(count * 2);
      for (let n = 0; n < count; n++) data.set([1 - upsideDownProbability, upsideDownProbability], n * 2);
      return { data, dims: [count, 2] };
    }),
    recognize: vi.fn(async (input: FloatTensor) => {
      const [count = 0, , , width = 0] = input.dims;
      const steps = width / 8;
      const data = new Float32Array(count * steps * classes);
      for (let n = 0; n < count; n++) {
        // The first 48 columns (one strip height, past the unclip margin) tell ink colour and which end is which.
        const leftInk = darkestInk(input, n, 0, 48);
        const name = leftInk < 60 ? 'dark' : leftInk < 160 ? 'gy' : 'gry';
        const confidence = leftInk < 160 ? 0.95 : 0.6;
        data.set(spell(name, steps, confidence).subarray(0, steps * classes), n * steps * classes);
      }
      return compactProbabilities({ data, dims: [count, steps, classes] }, classesReadBeyondBest(DICTIONARY));
    }),
  };
  return models;
}

describe('recognizeText with stand-in models', () => {
  it.each([
    { name: 'zero-size image', image: { data: new Uint8ClampedArray(0), widthPx: 0, heightPx: 0 } },
    { name: 'one pixel', image: page(1, 1) },
    { name: 'blank page', image: page(300, 200) },
    { name: 'data shorter than its size', image: { data: new Uint8ClampedArray(10), widthPx: 50, heightPx: 50 } },
    { name: 'NaN size', image: { data: new Uint8ClampedArray(16), widthPx: Number.NaN, heightPx: 2 } },
  ])('returns an empty result for a $name without recognising anything', async ({ image }) => {
    const models = fakeModels();
    await expect(recognizeText(image, models, DICTIONARY)).resolves.toEqual({ text: '', lines: [] });
    expect(models.recognize).not.toHaveBeenCalled();
  });

  it('finds, crops and reads each ink line, in reading order, with boxes in source pixels', async () => {
    const image = page(400, 200, [
      { left: 40, top: 110, right: 240, bottom: 126, value: GREY },
      { left: 40, top: 40, right: 300, bottom: 56, value: DARK },
    ]);
    // The stand-in detector marks whole ink, not DB's shrunk kernel, so unclip grows its boxes more than
    // real ones: the ratio these box bounds were worked out for is pinned.
    const result = await recognizeText(image, fakeModels(), DICTIONARY, { unclipRatio: 2 });
    expect(result.lines.map((l) => l.text)).toEqual(['dark', 'gy']);
    expect(result.text).toBe('dark\n\ngy');
    const [first] = result.lines;
    const [[left, top], , [right, bottom]] = first!.box;
    expect(left).toBeLessThan(40);
    expect(left).toBeGreaterThan(20);
    expect(top).toBeLessThan(40);
    expect(right).toBeGreaterThan(299);
    expect(bottom).toBeGreaterThan(55);
    expect(bottom).toBeLessThan(75);
    expect(first!.confidence).toBeCloseTo(0.95, 5);
  });

  it('keeps a strip the classifier wrongly calls upside down when the upright reading is more confident', async () => {
    const image = page(300, 100, [{ left: 20, top: 40, right: 200, bottom: 56, value: DARK }]);
    const models = fakeModels({ upsideDownProbability: 0.99 });
    const result = await recognizeText(image, models, DICTIONARY);
    expect(result.lines.map((l) => l.text)).toEqual(['dark']);
    // Read both ways, then the upright reading kept.
    expect(models.recognize).toHaveBeenCalledTimes(2);
  });

  it('turns a strip that reads better upside down', async () => {
    // Ink only on the right half: read as is, the left end is blank (low confidence); turned, it is dark.
    const image = page(300, 100, [
      { left: 20, top: 40, right: 200, bottom: 56, value: 200 },
      { left: 110, top: 40, right: 200, bottom: 56, value: DARK },
    ]);
    const result = await recognizeText(image, fakeModels({ upsideDownProbability: 0.99 }), DICTIONARY);
    expect(result.lines.map((l) => l.text)).toEqual(['dark']);
  });

  it('skips the classifier when told to', async () => {
    const models = fakeModels();
    await recognizeText(page(300, 100, [{ left: 20, top: 40, right: 200, bottom: 56, value: DARK }]), models, DICTIONARY, { classifyDirection: false });
    expect(models.classify).not.toHaveBeenCalled();
  });

  it('drops lines below the confidence floor', async () => {
    const image = page(300, 100, [{ left: 20, top: 40, right: 200, bottom: 56, value: 200 }]);
    const result = await recognizeText(image, fakeModels(), DICTIONARY, { minLineConfidence: 0.7 });
    expect(result).toEqual({ text: '', lines: [] });
  });

  it('downsamples a huge image but reports boxes in its own pixels', async () => {
    const image = page(800, 400, [{ left: 80, top: 160, right: 600, bottom: 200, value: DARK }]);
    const result = await recognizeText(image, fakeModels(), DICTIONARY, { maxSourcePixels: 200 * 100, unclipRatio: 2 });
    expect(result.lines.map((l) => l.text)).toEqual(['dark']);
    const [[left, top], , [right, bottom]] = result.lines[0]!.box;
    expect(left).toBeGreaterThan(40);
    expect(left).toBeLessThanOrEqual(80);
    expect(right).toBeGreaterThanOrEqual(596);
    expect(top).toBeLessThanOrEqual(160);
    expect(bottom).toBeGreaterThanOrEqual(196);
    expect(bottom).toBeLessThan(245);
  });

  it('reads a big page tile by tile, each line once and whole, even where it crosses a seam', async () => {
    // Lines 560 px long on a 700×1300 page read in tiles of at most 320×320: every line crosses a
    // vertical seam, and some lie across a horizontal one.
    const inks = Array.from({ length: 13 }, (_, i) => ({ left: 40, top: 30 + i * 97, right: 600 + (i % 3) * 20, bottom: 46 + i * 97, value: DARK }));
    const image = page(700, 1300, inks);
    const models = fakeModels();
    const options = { detectionUpscaleBelowPx: 0, detectionTileMaxPixels: 320 * 320, detectionWholeMaxPixels: 320 * 320 };
    const result = await recognizeText(image, models, DICTIONARY, options);
    const calls = (models.detect as ReturnType<typeof vi.fn>).mock.calls as [FloatTensor][];
    expect(calls.length).toBeGreaterThan(6);
    for (const [input] of calls) expect(input.dims[2]! * input.dims[3]!).toBeLessThanOrEqual(320 * 320);
    expect(result.lines).toHaveLength(inks.length);
    result.lines.forEach((line, i) => {
      const ink = inks[i]!;
      const [[left, top], , [right]] = line.box;
      expect(Math.abs(top - ink.top)).toBeLessThan(20);
      expect(left).toBeLessThanOrEqual(ink.left);
      expect(right).toBeGreaterThanOrEqual(ink.right - 1);
    });
  });

  it('rejects a dictionary that does not match the recogniser', async () => {
    const image = page(300, 100, [{ left: 20, top: 40, right: 200, bottom: 56, value: DARK }]);
    await expect(recognizeText(image, fakeModels({ classes: DICTIONARY.length + 3 }), DICTIONARY)).rejects.toThrow(/classes/);
  });
});
