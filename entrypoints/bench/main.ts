// Benchmark page (bench builds only): times captions through the real extension path and through bare
// ONNX Runtime, in the same browser, so the driver can print the ratio.
import { browser } from 'wxt/browser';
import { AutoProcessor, env, RawImage, type Tensor } from '@huggingface/transformers';
import { loadBareModel } from '@/scripts/bench/bare-ort';
import { loadCaptioner, oneStepInputOf } from '@/lib/caption/captioner';
import { pixelValuesOf } from '@/lib/caption/pixel-values';
import { bundledOrtWasmPaths } from '@/lib/engine/backend';
import { decodeImageBytes, fetchImageBytes, resizedLikeTransformersJs, type Pixels } from '@/lib/images/load';
import { MODEL_INPUT_MAX_SIDE_PX } from '@/lib/images/limits';
import { captionModel } from '@/lib/models';
import { loadBareVlm } from '@/scripts/bench/bare-vlm';
import { timeOcrStages } from '@/scripts/bench/ocr-stages';
import type { Backend } from '@/lib/engine/backend';
import type { JobOutcome } from '@/lib/engine/jobs';
import { sendToBackground, sendToEngine } from '@/lib/transport';

/** A small file packaged with the extension (the glyph classifier's class list, 118 bytes). */
const PACKAGED_FILE = '/ocr-glyphs/classes.json';

async function captionViaExtension(url: string): Promise<{ ms: number; outcome: JobOutcome }> {
  const start = performance.now();
  const outcome = await sendToBackground('job.request', { job: { kind: 'caption', source: { kind: 'url', url } }, priority: 'user', requestId: crypto.randomUUID() });
  return { ms: performance.now() - start, outcome };
}

async function readTextViaExtension(url: string): Promise<{ ms: number; outcome: JobOutcome }> {
  const start = performance.now();
  const outcome = await sendToBackground('job.request', { job: { kind: 'read-text', source: { kind: 'url', url } }, priority: 'user', requestId: crypto.randomUUID() });
  return { ms: performance.now() - start, outcome };
}

/** A question as the panel asks it; the first token's time from the engine's progress messages, which reach every extension page. */
async function askViaExtension(url: string, question: string): Promise<{ firstTokenMs: number; totalMs: number; tokens: number; outcome: JobOutcome }> {
  let firstTokenMs = 0;
  let tokens = 0;
  const start = performance.now();
  const listener = (message: unknown) => {
    if ((message as { name?: string } | null)?.name !== 'engine.answerProgress') return;
    if (tokens++ === 0) firstTokenMs = performance.now() - start;
  };
  chrome.runtime.onMessage.addListener(listener);
  try {
    const requestId = crypto.randomUUID().replaceAll('-', '');
    const outcome = await sendToBackground('ask.request', { target: { kind: 'image', source: { kind: 'url', url } }, history: [], question, requestId });
    return { firstTokenMs, totalMs: performance.now() - start, tokens, outcome };
  } finally {
    chrome.runtime.onMessage.removeListener(listener);
  }
}

/**
 * One caption's stages timed in this page, on the extension's own code (lib/caption, lib/images): the
 * image's fetch and decode, preprocessing, encoder, each decoder step, what happens between steps, the
 * tokenizer. Set against captionViaExtension on the same image, the rest is messaging, queue and host.
 * loadMs: the captioner's load from the browser's cache (files, configs, tokenizer, session creation).
 */
async function captionStages(modelHost: string, modelId: string, threads: number, urls: string[]) {
  env.remoteHost = modelHost;
  env.allowLocalModels = false;
  const wasm = env.backends.onnx.wasm!;
  wasm.wasmPaths = bundledOrtWasmPaths(browser.runtime.getURL('/ort/' as '/'));
  wasm.numThreads = threads;
  const loadStart = performance.now();
  const captioner = await loadCaptioner(captionModel(modelId), 'wasm');
  const loadMs = performance.now() - loadStart;
  try {
    if (!captioner.captionTimed) throw new Error(`${modelId} does not decode greedily here`);
    const rows = [];
    for (const url of urls) {
      // The browser's own cost of one request for the same file (another address, so no cache), for scale,
      // and of one for a small file inside the extension: no network, no server, what any fetch() costs here.
      const fetchStart = performance.now();
      await (await fetch(`${url}&bare-fetch`, { credentials: 'omit' })).arrayBuffer();
      const bareFetchMs = performance.now() - fetchStart;
      const packagedStart = performance.now();
      await (await fetch(`${PACKAGED_FILE}?${rows.length}`)).arrayBuffer();
      const packagedFetchMs = performance.now() - packagedStart;
      // The engine's own image loader (loadImageForModel), its fetch and its decode timed apart.
      const start = performance.now();
      const fetched = await fetchImageBytes(url, { frameOrigin: location.origin, userAsked: true }, { signal: new AbortController().signal, fetchMs: 30_000 });
      if (!fetched.ok) throw new Error(fetched.message);
      const imageFetchMs = performance.now() - start;
      const decodeStart = performance.now();
      const loaded = await decodeImageBytes(fetched.bytes, fetched.contentType, {
        maxSidePx: MODEL_INPUT_MAX_SIDE_PX,
        signal: new AbortController().signal,
        deadlines: { decodeMs: 15_000 },
      });
      if (!loaded.ok) throw new Error(loaded.message);
      const decodeMs = performance.now() - decodeStart;
      const imageMs = performance.now() - start;
      const { stages } = await captioner.captionTimed(loaded.pixels);
      rows.push({ imageMs, imageFetchMs, decodeMs, bareFetchMs, packagedFetchMs, ...stages, ...(await comparePreprocessing(modelId, loaded.pixels)) });
    }
    return { loadMs, rows };
  } finally {
    await captioner.dispose();
  }
}

/**
 * The captioner's one-pass pixel values (lib/caption/pixel-values.ts) against transformers.js's image
 * processor on the same pixels, in this browser (whose canvas both resize with): each one's time, and the
 * largest difference between their floats (0 when they agree exactly).
 */
async function comparePreprocessing(modelId: string, pixels: Pixels) {
  const processor = await AutoProcessor.from_pretrained(modelId, { revision: captionModel(modelId).revision });
  const input = oneStepInputOf(processor.image_processor);
  if (!input) return { processorMs: NaN, onePassMs: NaN, maxAbsDiff: NaN };
  let start = performance.now();
  const image = new RawImage(pixels.rgba, pixels.widthPx, pixels.heightPx, 4).rgb();
  const expected = ((await processor(image)) as { pixel_values: Tensor }).pixel_values.data as Float32Array;
  const processorMs = performance.now() - start;
  start = performance.now();
  const actual = pixelValuesOf(resizedLikeTransformersJs(pixels, input.widthPx, input.heightPx), input);
  const onePassMs = performance.now() - start;
  let maxAbsDiff = expected.length === actual.length ? 0 : Infinity;
  for (let i = 0; i < actual.length && maxAbsDiff !== Infinity; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(actual[i]! - expected[i]!));
  return { processorMs, onePassMs, maxAbsDiff };
}

/**
 * `engine.status` asked from this page: through the background (which asks the engine host, if there is
 * one) and back, the path a caption's request and answer take, with no image, queue or model.
 */
async function statusRoundTrips(times: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await sendToBackground('engine.status', {});
    ms.push(performance.now() - start);
  }
  return ms;
}

const bench = {
  captionStages,
  statusRoundTrips,
  askViaExtension,
  async bareAsk(modelHost: string, modelId: string, threads: number, urls: string[], question: string, maxNewTokens: number) {
    const model = await loadBareVlm(modelHost, modelId, threads, browser.runtime.getURL('/ort/' as '/'));
    try {
      const answers = [];
      for (const url of urls) {
        const bitmap = await createImageBitmap(await (await fetch(url)).blob());
        answers.push(await model.answer(bitmap, question, maxNewTokens));
        bitmap.close();
      }
      return answers;
    } finally {
      await model.release();
    }
  },
  captionViaExtension,
  readTextViaExtension,
  /** All at once, as auto-fill on an image-heavy page does; returns wall time for the lot. */
  async throughput(urls: string[]): Promise<{ ms: number; failures: number }> {
    const start = performance.now();
    const outcomes = await Promise.all(urls.map((url) => captionViaExtension(url)));
    return { ms: performance.now() - start, failures: outcomes.filter((o) => !o.outcome.ok).length };
  },
  async bare(modelUrl: string, device: 'wasm' | 'webgpu', threads: number, urls: string[], maxNewTokens: number, suffix = ''): Promise<number[]> {
    const model = await loadBareModel(modelUrl, device, threads, browser.runtime.getURL('/ort/' as '/'), suffix);
    const times: number[] = [];
    try {
      for (let i = 0; i < urls.length; i++) {
        const bitmap = await createImageBitmap(await (await fetch(urls[i]!)).blob());
        const start = performance.now();
        await model.caption(bitmap, maxNewTokens);
        times.push(performance.now() - start);
        bitmap.close();
      }
    } finally {
      await model.release();
    }
    return times;
  },
  /** OCR in this page with each stage timed (see ocr-stages.ts). */
  ocrStages: (threads: number, urls: string[], overrides = {}, backend: Backend = 'wasm') =>
    timeOcrStages(
      browser.runtime.getURL('/ort/' as '/'),
      browser.runtime.getURL('/ocr/' as '/'),
      browser.runtime.getURL('/ocr-glyphs/' as '/'),
      threads,
      urls,
      overrides,
      backend,
    ),
  engineMemory: () => sendToEngine('engine.memory', {}),
  engineStatus: () => sendToBackground('engine.status', {}),
  // Closes Chrome's offscreen document; on Firefox drops the background page's models. Either way the next job starts cold.
  resetEngine: () => sendToBackground('engine.release', {}).catch(() => undefined),
  /** What a right-click on an image (or the popup opening) sends. */
  warmEngine: () => sendToBackground('engine.warm', {}),
};

Object.assign(globalThis, { bench });
document.title = 'AltSight benchmark (ready)';
