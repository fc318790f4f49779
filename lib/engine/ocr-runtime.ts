/**
 * PaddleOCR's three models and our glyph classifier on onnxruntime-web, wrapped as the pure pipeline's
 * OcrModels. Sessions are created once per backend and reused for every image.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { parseDictionary } from '../ocr/dictionary';
import { OcrScratchPool } from '../ocr/scratch';
import { recognizerOutputOf } from '../ocr/recognizer-output';
import type { FloatTensor, OcrModels, RecognizerOutput } from '../ocr/types';
import type { Backend } from './backend';
import { OCR_FILES } from './ocr-files';

export const OCR_MODEL_ID = 'PP-OCRv4';
/** Ours, committed in public/ocr-glyphs/ (scripts/glyph-model): names symbols PP-OCRv4 can't write. */
export const GLYPH_FILES = { model: 'glyph-classifier.onnx', classes: 'classes.json' } as const;

export interface LoadedOcr {
  models: OcrModels;
  /** The recogniser's classes, parsed once. */
  dictionary: string[];
  backend: Backend;
  /** The pipeline's buffers, kept from one image to the next while these sessions live. */
  scratch: OcrScratchPool;
  release(): Promise<void>;
}

/**
 * What an idle engine keeps of the pipeline's buffers: enough for pages up to about two megapixels (their
 * RGB copy, the detector's input, the strips' tensors); a bigger page's are let go after it.
 */
export const OCR_SCRATCH_KEPT_BYTES = 32 * 1024 * 1024;

/** Loads all of them on `backend` or fails: a model WebGPU can't run is the caller's cue to use WASM. */
export async function loadOcrModels(baseUrl: string, glyphBaseUrl: string, backend: Backend): Promise<LoadedOcr> {
  const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
  const sessions: ort.InferenceSession[] = [];
  const create = async (url: string, on: Backend = backend) => {
    // Memory patterns are planned per input shape and kept, and every page and strip has its own shape:
    // without them a 2560×3300 scan peaked at 553 MB instead of 730 (onnxruntime-node, same models).
    const session = await ort.InferenceSession.create(await bytes(url), { executionProviders: [on], enableMemPattern: false });
    sessions.push(session);
    return session;
  };
  const dictionaryText = fetch(`${baseUrl}${OCR_FILES.dictionary}`).then((r) => r.text());
  const glyphClasses = fetch(`${glyphBaseUrl}${GLYPH_FILES.classes}`).then((r) => r.json() as Promise<string[]>);
  // One at a time: ORT's WebGPU backend refuses a session while another is being created ("another
  // WebGPU EP inference session is being created"), which used to push two of the three onto WASM.
  let det: ort.InferenceSession, cls: ort.InferenceSession, rec: ort.InferenceSession, glyph: ort.InferenceSession;
  try {
    det = await create(`${baseUrl}${OCR_FILES.detect}`);
    cls = await create(`${baseUrl}${OCR_FILES.classify}`);
    // Int8 weights on WASM (1.6-1.8× faster there, same accuracy); WebGPU would run the integer ops on the CPU.
    rec = await create(`${baseUrl}${backend === 'wasm' ? OCR_FILES.recognizeInt8 : OCR_FILES.recognize}`);
    // A few thousand multiply-adds per glyph: a GPU round trip would cost more than the work.
    glyph = await create(`${glyphBaseUrl}${GLYPH_FILES.model}`, 'wasm');
  } catch (err) {
    await Promise.allSettled(sessions.map((s) => s.release()));
    throw err;
  }
  const runner =
    (session: ort.InferenceSession) =>
    async (input: FloatTensor): Promise<FloatTensor> => {
      const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input.data, input.dims) };
      const output = (await session.run(feeds))[session.outputNames[0]!]!;
      const data = (await output.getData()) as Float32Array;
      const dims = [...output.dims];
      output.dispose();
      return { data, dims };
    };
  const recognize = async (input: FloatTensor): Promise<RecognizerOutput> => {
    const outputs = await rec.run({ [rec.inputNames[0]!]: new ort.Tensor('float32', input.data, input.dims) });
    try {
      const read = await Promise.all(Object.entries(outputs).map(async ([name, t]) => [name, { data: await t.getData(), dims: [...t.dims] }] as const));
      return recognizerOutputOf(Object.fromEntries(read));
    } finally {
      for (const t of Object.values(outputs)) t.dispose();
    }
  };
  return {
    models: {
      detect: runner(det),
      classify: runner(cls),
      recognize,
      glyphs: { classify: runner(glyph), classes: await glyphClasses },
    },
    dictionary: parseDictionary(await dictionaryText),
    backend,
    scratch: new OcrScratchPool(OCR_SCRATCH_KEPT_BYTES),
    release: async () => void (await Promise.allSettled(sessions.map((s) => s.release()))),
  };
}
