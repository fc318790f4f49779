import { describe, expect, it } from 'vitest';
import type { FloatTensor, OcrModels, RecognizerOutput } from '@/lib/ocr';
import { classesReadBeyondBest, compactProbabilities } from '@/lib/ocr/recognizer-output';
import { resolveOcrOptions } from '@/lib/ocr/options';
import type { RgbImage } from '@/lib/ocr/raster';
import { readsUpright, readStrips } from '@/lib/ocr/strip-reading';

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
function fakeModels(): { models: OcrModels; turnedReads: () => number } {
  let turned = 0;
  const recognize = async (input: FloatTensor): Promise<RecognizerOutput> => {
    const [count = 0, , height = 0, width = 0] = input.dims;
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
  return { models: { detect: unused, classify: unused, recognize }, turnedReads: () => turned };
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
