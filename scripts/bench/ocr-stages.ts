/**
 * OCR run in the benchmark page itself with every model call timed, so bench:ocr can say where an
 * image's time goes (detect, classify, recognise, the rest) and try pipeline options side by side.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { bundledOrtWasmPaths, type Backend } from '@/lib/engine/backend';
import { loadImageForModel } from '@/lib/images/load';
import { OCR_INPUT_MAX_SIDE_PX } from '@/lib/images/limits';
import { loadOcrModels } from '@/lib/engine/ocr-runtime';
import { recognizeText, type FloatTensor, type OcrModels, type OcrOptions } from '@/lib/ocr';

export interface OcrStageTimes {
  url: string;
  text: string;
  totalMs: number;
  /** Fetch and decode by the engine's image loader. */
  decodeMs: number;
  detectMs: number;
  classifyMs: number;
  recognizeMs: number;
  recognizeCalls: number;
  /** Sum over recogniser calls of batch size × input width: the work recognition did. */
  recognizeColumns: number;
}

/** Threads are fixed once ORT's WASM starts, so a page measures one thread count. */
export async function timeOcrStages(
  ortBaseUrl: string,
  ocrBaseUrl: string,
  glyphBaseUrl: string,
  threads: number,
  urls: string[],
  overrides: Partial<OcrOptions> = {},
  backend: Backend = 'wasm',
): Promise<OcrStageTimes[]> {
  ort.env.wasm.wasmPaths = bundledOrtWasmPaths(ortBaseUrl);
  ort.env.wasm.numThreads = threads;
  const loaded = await loadOcrModels(ocrBaseUrl, glyphBaseUrl, backend);
  const { dictionary } = loaded;
  const results: OcrStageTimes[] = [];
  for (const url of urls) {
    const start = performance.now();
    // The engine's own loader, so fetch and decode cost what they cost in the extension.
    const image = await loadImageForModel(
      { kind: 'url', url },
      {
        maxSidePx: OCR_INPUT_MAX_SIDE_PX,
        // The benchmark page is ours, reading its own test images.
        requester: { frameOrigin: location.origin, userAsked: true },
        signal: new AbortController().signal,
        deadlines: { fetchMs: 60_000, decodeMs: 60_000 },
      },
    );
    if (!image.ok) throw new Error(`${url}: ${image.message}`);
    const { pixels } = image;
    const times: OcrStageTimes = {
      url,
      text: '',
      totalMs: 0,
      decodeMs: performance.now() - start,
      detectMs: 0,
      classifyMs: 0,
      recognizeMs: 0,
      recognizeCalls: 0,
      recognizeColumns: 0,
    };
    const timed = <Output>(run: (input: FloatTensor) => Promise<Output>, stage: 'detectMs' | 'classifyMs' | 'recognizeMs') => async (input: FloatTensor): Promise<Output> => {
      const callStart = performance.now();
      const output = await run(input);
      times[stage] += performance.now() - callStart;
      if (stage === 'recognizeMs') {
        times.recognizeCalls++;
        times.recognizeColumns += (input.dims[0] ?? 0) * (input.dims[3] ?? 0);
      }
      return output;
    };
    const models: OcrModels = {
      detect: timed(loaded.models.detect, 'detectMs'),
      classify: timed(loaded.models.classify, 'classifyMs'),
      recognize: timed(loaded.models.recognize, 'recognizeMs'),
      // Untimed: its few calls count in the rest (JS).
      glyphs: loaded.models.glyphs,
    };
    // Its buffers lent as the engine host lends them, kept from image to image.
    const result = await loaded.scratch.lend((scratch) => recognizeText({ data: pixels.rgba, widthPx: pixels.widthPx, heightPx: pixels.heightPx }, models, dictionary, overrides, scratch));
    times.text = result.text;
    times.totalMs = performance.now() - start;
    results.push(times);
  }
  return results;
}
