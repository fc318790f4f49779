import { describe, expect, it } from 'vitest';
import type { FloatTensor, OcrModels, RecognizerOutput } from '@/lib/ocr';
import { classesReadBeyondBest, compactProbabilities } from '@/lib/ocr/recognizer-output';
import { resolveOcrOptions } from '@/lib/ocr/options';
import type { RgbImage } from '@/lib/ocr/raster';
import { classifierSettlesUpright, classifierTurnsPage, readsUpright, readStrips } from '@/lib/ocr/strip-reading';
import { rotateHalfTurn } from '@/lib/ocr/raster';

const DICTIONARY = ['', 'a', ' '];
const STRONG_INK = 0;
const WEAK_INK = 40;

/** A strip dark on its left half (at `ink`) and white on its right: turned, it starts white. */
function strip(ink: number): RgbImage {
  const widthPx = 96;
  const heightPx = 48;
  const data = new Uint8Array(widthPx * heightPx * 3).fill(255);
  for (let y = 0; y < heightPx; y++) data.fill(ink, y * widthPx * 3, (y * widthPx + widthPx / 2) * 3);
  return { data, widthPx, heightPx };
}

/**
 * A recogniser that reads 'a' as surely as the strip's first pixel says: confidently on a strong strip,
 * weakly on a weak one, and hardly at all on any strip given to it turned (it then starts white). It
 * counts the turned strips it was given.
 */
function fakeModels(): { models: OcrModels; turnedReads: () => number; reads: () => number } {
  let turned = 0;
  let reads = 0;
  const recognize = async (input: FloatTensor): Promise<RecognizerOutput> => {
    const [count = 0, , height = 0, width = 0] = input.dims;
    reads += count;
    const steps = 4;
    const data = new Float32Array(count * steps * DICTIONARY.length);
    for (let n = 0; n < count; n++) {
      const first = input.data[n * 3 * height * width]!;
      const startsWhite = first > 0.9;
      if (startsWhite) turned++;
      const sure = startsWhite ? 0.55 : first < -0.99 ? 0.99 : 0.6;
      const row = n * steps * DICTIONARY.length;
      data[row + 1] = sure;
      data[row] = 1 - sure;
      for (let t = 1; t < steps; t++) data[row + t * DICTIONARY.length] = 1;
    }
    return compactProbabilities({ data, dims: [count, steps, DICTIONARY.length] }, classesReadBeyondBest(DICTIONARY));
  };
  const unused = async (): Promise<FloatTensor> => {
    throw new Error('not used');
  };
  return { models: { detect: unused, classify: unused, recognize }, turnedReads: () => turned, reads: () => reads };
}

describe('weak strips are read turned only where the page is not settled upright', () => {
  it('does not read a weak strip turned on a page of three confident upright strips', async () => {
    const { models, turnedReads } = fakeModels();
    const readings = await readStrips([strip(STRONG_INK), strip(STRONG_INK), strip(STRONG_INK), strip(WEAK_INK)], models, DICTIONARY, resolveOcrOptions({ classifyDirection: false }));
    expect(readings.map((r) => r.text)).toEqual(['a', 'a', 'a', 'a']);
    expect(turnedReads()).toBe(0);
  });

  it('still reads it turned where two confident strips are all the page has', async () => {
    const { models, turnedReads } = fakeModels();
    await readStrips([strip(STRONG_INK), strip(STRONG_INK), strip(WEAK_INK)], models, DICTIONARY, resolveOcrOptions({ classifyDirection: false }));
    expect(turnedReads()).toBe(1);
  });

  it('still reads it turned when the option asks for every weak strip', async () => {
    const { models, turnedReads } = fakeModels();
    const options = resolveOcrOptions({ classifyDirection: false, uprightPageMinConfidentStrips: Infinity });
    await readStrips([strip(STRONG_INK), strip(STRONG_INK), strip(STRONG_INK), strip(WEAK_INK)], models, DICTIONARY, options);
    expect(turnedReads()).toBe(1);
  });
});

/** A direction classifier that calls every strip upright with probability `upright`. */
const classifierSaying = (upright: number) => async (input: FloatTensor): Promise<FloatTensor> => {
  const count = input.dims[0] ?? 0;
  return { data: Float32Array.from({ length: count * 2 }, (_, i) => (i % 2 === 0 ? upright : 1 - upright)), dims: [count, 2] };
};

describe('a page of weak strips the direction classifier surely calls upright', () => {
  it('is not read turned strip by strip (handwriting: every line weak, the classifier sure)', async () => {
    const { models, turnedReads } = fakeModels();
    const weakPage = [strip(WEAK_INK), strip(WEAK_INK), strip(WEAK_INK), strip(WEAK_INK)];
    const readings = await readStrips(weakPage, { ...models, classify: classifierSaying(0.97) }, DICTIONARY, resolveOcrOptions());
    expect(readings.map((r) => r.text)).toEqual(['a', 'a', 'a', 'a']);
    expect(turnedReads()).toBe(0);
  });

  it('is read turned where the classifier is unsure, or the option turns this off', async () => {
    for (const [upright, overrides] of [
      [0.7, {}],
      [0.97, { uprightPageClassifierShare: Infinity }],
    ] as const) {
      const { models, turnedReads } = fakeModels();
      await readStrips([strip(WEAK_INK), strip(WEAK_INK), strip(WEAK_INK)], { ...models, classify: classifierSaying(upright) }, DICTIONARY, resolveOcrOptions(overrides));
      expect(turnedReads()).toBe(3);
    }
  });
});

describe('a page the classifier turns over', () => {
  const upsideDown = (ink: number) => rotateHalfTurn(strip(ink));

  it('reads each strip once, turned, where its turned reading is sure', async () => {
    const { models, reads } = fakeModels();
    const page = [upsideDown(STRONG_INK), upsideDown(STRONG_INK), upsideDown(STRONG_INK), upsideDown(STRONG_INK)];
    const readings = await readStrips(page, { ...models, classify: classifierSaying(0.02) }, DICTIONARY, resolveOcrOptions());
    expect(readings.map((r) => [r.text, r.turned])).toEqual(Array(4).fill(['a', true]));
    expect(reads()).toBe(4);
  });

  it('still reads upright a strip whose turned reading is weak, and a nominated strip on a page not turned over', async () => {
    const turnedPage = fakeModels();
    await readStrips([upsideDown(STRONG_INK), upsideDown(STRONG_INK), upsideDown(STRONG_INK), upsideDown(WEAK_INK)], { ...turnedPage.models, classify: classifierSaying(0.02) }, DICTIONARY, resolveOcrOptions());
    expect(turnedPage.reads()).toBe(5);
    // Two strips nominated of six: each read both ways, however surely it reads turned.
    const uprightPage = fakeModels();
    const mixed = [upsideDown(STRONG_INK), upsideDown(STRONG_INK), strip(STRONG_INK), strip(STRONG_INK), strip(STRONG_INK), strip(STRONG_INK)];
    const classify = async (input: FloatTensor): Promise<FloatTensor> => {
      const count = input.dims[0] ?? 0;
      const upright = (n: number) => (n < 2 ? 0.02 : 0.98);
      return { data: Float32Array.from({ length: count * 2 }, (_, i) => (i % 2 === 0 ? upright(i >> 1) : 1 - upright(i >> 1))), dims: [count, 2] };
    };
    await readStrips(mixed, { ...uprightPage.models, classify }, DICTIONARY, resolveOcrOptions());
    expect(uprightPage.reads()).toBe(8);
  });

  it('needs enough nominated strips, and that share of the page', () => {
    expect(classifierTurnsPage(3, 4, 3, 2 / 3)).toBe(true);
    expect(classifierTurnsPage(2, 2, 3, 2 / 3)).toBe(false);
    expect(classifierTurnsPage(3, 6, 3, 2 / 3)).toBe(false);
  });
});

describe('classifierSettlesUpright', () => {
  const upright = { turned: false };

  it('needs enough strips surely upright, and that share of the page', () => {
    expect(classifierSettlesUpright([0.95, 0.99, 0.92], [upright, upright, upright], 0.9, 3, 2 / 3)).toBe(true);
    expect(classifierSettlesUpright([0.95, 0.99], [upright, upright], 0.9, 3, 2 / 3)).toBe(false);
    expect(classifierSettlesUpright([0.95, 0.99, 0.92, 0.6, 0.3, 0.8], Array(6).fill(upright), 0.9, 3, 2 / 3)).toBe(false);
    expect(classifierSettlesUpright([0.95, 0.99, 0.92, 0.93, 0.3, 0.8], Array(6).fill(upright), 0.9, 3, 2 / 3)).toBe(true);
  });

  it('never settles a page on which a strip won upside down', () => {
    expect(classifierSettlesUpright([0.95, 0.99, 0.92, 0.1], [upright, upright, upright, { turned: true }], 0.9, 3, 2 / 3)).toBe(false);
  });
});

describe('readsUpright', () => {
  const upright = (confidence: number) => ({ confidence, turned: false });
  const turned = (confidence: number) => ({ confidence, turned: true });

  it('needs enough confident strips, all upright', () => {
    expect(readsUpright([upright(0.95), upright(0.97), upright(0.92)], 0.9, 3)).toBe(true);
    expect(readsUpright([upright(0.95), upright(0.97)], 0.9, 3)).toBe(false);
    expect(readsUpright([upright(0.95), upright(0.97), turned(0.93)], 0.9, 3)).toBe(false);
  });

  it('counts only confident strips: weak ones, either way up, neither settle nor unsettle the page', () => {
    expect(readsUpright([upright(0.95), upright(0.97), upright(0.5), upright(0.6)], 0.9, 3)).toBe(false);
    expect(readsUpright([upright(0.95), upright(0.97), upright(0.92), turned(0.7)], 0.9, 3)).toBe(true);
  });
});
