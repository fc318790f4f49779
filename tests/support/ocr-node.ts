/** The PaddleOCR models on onnxruntime-node, for Node tests and the Node side of benchmarks. */
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawImage } from '@huggingface/transformers';
import { parseDictionary, recognizerOutputOf, type FloatTensor, type OcrModels, type RecognizerOutput, type RgbaImage } from '@/lib/ocr';
import { OCR_FILES, type OcrFile } from '@/lib/engine/ocr-files';
import { shippedOcrFile } from '../../scripts/ocr-models/shipped';
import { ROOT } from './servers';

export const GLYPH_MODEL_DIR = join(ROOT, 'public/ocr-glyphs');

export async function loadNodeOcr(): Promise<{ models: OcrModels; dictionary: string[] }> {
  // The files the extension ships, as the engine host creates them on WASM (lib/engine/ocr-runtime.ts).
  const session = (file: OcrFile) => ort.InferenceSession.create(shippedOcrFile(ROOT, file), { enableMemPattern: false });
  const [det, cls, rec, glyph] = await Promise.all([
    session(OCR_FILES.detect),
    session(OCR_FILES.classify),
    session(OCR_FILES.recognizeInt8),
    ort.InferenceSession.create(join(GLYPH_MODEL_DIR, 'glyph-classifier.onnx')),
  ]);
  const runner = (s: ort.InferenceSession) => async (input: FloatTensor): Promise<FloatTensor> => {
    const out = (await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', input.data, input.dims) }))[s.outputNames[0]!]!;
    return { data: out.data as Float32Array, dims: [...out.dims] };
  };
  const recognize = async (input: FloatTensor): Promise<RecognizerOutput> =>
    recognizerOutputOf(await rec.run({ [rec.inputNames[0]!]: new ort.Tensor('float32', input.data, input.dims) }));
  return {
    models: {
      detect: runner(det),
      classify: runner(cls),
      recognize,
      glyphs: { classify: runner(glyph), classes: JSON.parse(readFileSync(join(GLYPH_MODEL_DIR, 'classes.json'), 'utf8')) as string[] },
    },
    dictionary: parseDictionary(readFileSync(shippedOcrFile(ROOT, OCR_FILES.dictionary), 'utf8')),
  };
}

export async function readPng(path: string): Promise<RgbaImage> {
  const image = (await RawImage.read(path)).rgba();
  return { data: new Uint8ClampedArray(image.data), widthPx: image.width, heightPx: image.height };
}
