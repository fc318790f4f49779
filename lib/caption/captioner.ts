/**
 * A loaded captioning model: pixels in, one sentence out. Shared by the engine host (browser) and
 * the Node integration tests, so both exercise the same code.
 *
 * Model files come through `lib/engine/model-download.ts` (deadlines, sha256, failures that say what
 * happened), at the model's pinned revision, each requested once.
 */
import { AutoModelForVision2Seq, AutoProcessor, AutoTokenizer, env, ImageProcessor, ImageToTextPipeline, RawImage, Tensor } from '@huggingface/transformers';
import { decodeGreedy, greedyPlan, type DecodeTimings, type GenerationSettings, type OrtSession } from './greedy-decoder';
import { resizedLikeTransformersJs, type Pixels } from '../images/load';
import { fixedSizeInputOf, pixelValuesOf, type FixedSizeInput, type ImageProcessorSettings } from './pixel-values';
import { decoderPositionLimit, maxNewTokensWithin, UNPINNED_REVISION, type CaptionModel } from '../models';
import { ModelDownloadError, modelDownloads, type ModelDownloads, type ModelFetch, type ModelFileProgress } from '../engine/model-download';

export type { ModelFileProgress } from '../engine/model-download';

/** 'cpu' is onnxruntime-node, used by Node tests and benchmarks; the extension uses webgpu or wasm. */
export type CaptionDevice = 'webgpu' | 'wasm' | 'cpu';

export interface Captioner {
  modelId: string;
  device: CaptionDevice;
  /** The model's maxNewTokens, capped by its decoder's position limit. */
  maxNewTokens: number;
  /** 'greedy': our decoding loop on the sessions (greedy-decoder.ts); 'generate': transformers.js's. */
  decoding: 'greedy' | 'generate';
  /** `maxNewTokens` below the model's own: a warm-up that only needs each session to have run. */
  caption(pixels: Pixels, options?: { maxNewTokens?: number }): Promise<string>;
  /** The same caption with each stage timed, for the benchmark's breakdown (greedy decoding only). */
  captionTimed?(pixels: Pixels): Promise<{ text: string; stages: CaptionStages }>;
  dispose(): Promise<void>;
}

export interface CaptionStages extends DecodeTimings {
  preprocessMs: number;
  tokenizerMs: number;
  totalMs: number;
}

/** How long a model host may keep us waiting; defaults in lib/engine/model-download.ts. */
export interface ModelDownloadDeadlines {
  responseDeadlineMs?: number;
  stallDeadlineMs?: number;
}

/** image-to-text starts the decoder from `decoder_start_token_id` alone. */
const IMAGE_TO_TEXT_PROMPT_TOKENS = 1;

/**
 * Loads `model` from `env.remoteHost` at `model.revision`. A failed download rejects with a
 * ModelDownloadError whose `failure` says what happened; anything else (a model ORT can't run) rejects
 * as it came.
 */
export async function loadCaptioner(
  model: CaptionModel,
  device: CaptionDevice,
  onFileProgress: (progress: ModelFileProgress) => void = () => undefined,
  deadlines: ModelDownloadDeadlines = {},
  /** Cancels the download (the user pressed Cancel); the load then rejects with an AbortError. */
  signal?: AbortSignal,
): Promise<Captioner> {
  const dtype = device === 'webgpu' ? model.dtype.webgpu : device === 'wasm' ? model.dtype.wasm : 'fp32';
  // Built from its parts rather than with pipeline(): transformers.js 4.3.1's pipeline() first works out
  // the file list at revision 'main' whatever `revision` says (config.json, plus a `Range: bytes=0-0`
  // request per file to see what exists and how big it is), so the pin leaked and a host that ignores
  // Range (ours in tests, some mirrors) sent every file twice: 13 requests for 7 files. Each part here
  // asks for its own files at the pinned revision, once; progress comes from our fetch, where bytes arrive.
  const pipe = await loadModelFiles(model, { onFileProgress, deadlines, signal }, async (pinned, cancelDownloads) => {
    const [loadedTokenizer, loadedProcessor, loadedModel] = await allOrDispose(
      [
        AutoTokenizer.from_pretrained(model.id, pinned),
        AutoProcessor.from_pretrained(model.id, pinned),
        // No thread-spinning option: ORT's WebAssembly sessions share one global thread pool, and ORT reads
        // `session.intra_op.allow_spinning` (and `session.force_spinning_stop`) only for per-session pools.
        AutoModelForVision2Seq.from_pretrained(model.id, { ...pinned, device, dtype }),
      ] as const,
      cancelDownloads,
    );
    return new ImageToTextPipeline({ task: 'image-to-text', model: loadedModel, tokenizer: loadedTokenizer, processor: loadedProcessor });
  });

  const maxNewTokens = maxNewTokensWithin(model.maxNewTokens, decoderPositionLimit(pipe.model.config), IMAGE_TO_TEXT_PROMPT_TOKENS);
  // Greedy captioning runs on the sessions directly (greedy-decoder.ts); anything else goes through generate().
  const sessions = (pipe.model as unknown as { sessions: Record<string, OrtSession | undefined> }).sessions;
  const generation = (pipe.model.generation_config ?? pipe.model.config) as GenerationSettings;
  const plan = sessions.model && sessions.decoder_model_merged ? greedyPlan(sessions.model, sessions.decoder_model_merged, generation) : null;
  const oneStepInput = oneStepInputOf(pipe.processor.image_processor);
  const pixelValues = async (pixels: Pixels): Promise<Tensor> => {
    if (oneStepInput) {
      const { widthPx, heightPx } = oneStepInput;
      return new Tensor('float32', pixelValuesOf(resizedLikeTransformersJs(pixels, widthPx, heightPx), oneStepInput), [1, 3, heightPx, widthPx]);
    }
    const image = new RawImage(pixels.rgba, pixels.widthPx, pixels.heightPx, 4).rgb();
    return ((await pipe.processor(image)) as { pixel_values: Tensor }).pixel_values;
  };
  return {
    modelId: model.id,
    device,
    maxNewTokens,
    decoding: plan ? 'greedy' : 'generate',
    async caption(pixels, options = {}) {
      const tokens = Math.min(maxNewTokens, options.maxNewTokens ?? maxNewTokens);
      if (plan) {
        const ids = await decodeGreedy(plan, await pixelValues(pixels), tokens);
        return tidyCaption(pipe.tokenizer.decode(ids, { skip_special_tokens: true }));
      }
      const image = new RawImage(pixels.rgba, pixels.widthPx, pixels.heightPx, 4).rgb();
      const output = (await pipe(image, { max_new_tokens: tokens })) as Array<{ generated_text: string }>;
      return tidyCaption(output[0]?.generated_text ?? '');
    },
    captionTimed: plan
      ? async (pixels) => {
          const stages: CaptionStages = { preprocessMs: 0, encoderMs: 0, stepMs: [], betweenStepsMs: 0, tokenizerMs: 0, totalMs: 0 };
          const start = performance.now();
          const pixel_values = await pixelValues(pixels);
          stages.preprocessMs = performance.now() - start;
          const ids = await decodeGreedy(plan, pixel_values, maxNewTokens, stages);
          const beforeText = performance.now();
          const text = tidyCaption(pipe.tokenizer.decode(ids, { skip_special_tokens: true }));
          stages.tokenizerMs = performance.now() - beforeText;
          stages.totalMs = performance.now() - start;
          return { text, stages };
        }
      : undefined,
    dispose: () => pipe.dispose(),
  };
}

/**
 * The one-pass input (pixel-values.ts) where it gives what the processor would: a plain ImageProcessor
 * (no subclass changes its steps) with a config it covers, in a browser, whose canvas resize is the
 * processor's own there (node's transformers.js resizes with sharp, so node keeps the processor).
 */
export function oneStepInputOf(processor: ImageProcessor | undefined): FixedSizeInput | null {
  if (!processor || typeof OffscreenCanvas === 'undefined') return null;
  const prototype = Object.getPrototypeOf(processor) as ImageProcessor;
  const base = ImageProcessor.prototype as unknown as Record<string, unknown>;
  const steps = ['_call', 'preprocess', 'resize', 'rescale', 'get_resize_output_image_size'];
  if (steps.some((step) => (prototype as unknown as Record<string, unknown>)[step] !== base[step])) return null;
  return fixedSizeInputOf(processor as unknown as ImageProcessorSettings);
}

/** Where transformers.js fetches the files of `model` at `revision` from: `{remoteHost}/{remotePathTemplate}/`. */
function repoBaseUrlOf(model: CaptionModel, revision: string): string {
  const path = env.remotePathTemplate.replaceAll('{model}', model.id).replaceAll('{revision}', encodeURIComponent(revision));
  return `${env.remoteHost.replace(/\/$/, '')}/${path.replace(/^\//, '').replace(/\/$/, '')}/`;
}

export interface ModelLoadOptions {
  onFileProgress?: (progress: ModelFileProgress) => void;
  deadlines?: ModelDownloadDeadlines;
  /** Cancels the download (the user pressed Cancel); the load then rejects with an AbortError. */
  signal?: AbortSignal;
}

/**
 * Runs `load` (transformers.js `from_pretrained` calls at `pinned`) with every file of `model` fetched
 * through our downloads: deadlines, sha256, progress. A failed download rejects with a ModelDownloadError
 * whose `failure` says what happened; anything else (a model ORT can't run) rejects as it came. `load`
 * gets a way to cancel the downloads, for when one of its parts fails (see allOrDispose).
 */
export async function loadModelFiles<T>(
  model: CaptionModel,
  options: ModelLoadOptions,
  load: (pinned: { revision: string }, cancelDownloads: () => void) => Promise<T>,
): Promise<T> {
  const { onFileProgress = () => undefined, deadlines = {}, signal } = options;
  signal?.throwIfAborted();
  const network = routeModelFetches();
  const loading: LoadingModel = {
    downloads: modelDownloads({
      repoBaseUrl: repoBaseUrlOf(model, model.revision),
      revision: model.revision,
      sha256ByFile: model.sha256ByFile,
      onFileProgress,
      fetch: network,
      ...deadlines,
    }),
    probeBaseUrls: [repoBaseUrlOf(model, model.revision), repoBaseUrlOf(model, UNPINNED_REVISION)],
  };
  const { downloads } = loading;
  const cancel = () => downloads.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  loadingModels.add(loading);
  try {
    return await load({ revision: model.revision }, cancel);
  } catch (err) {
    if (signal?.aborted) throw new DOMException('The download was cancelled.', 'AbortError');
    const failure = downloads.failureBehind(err);
    throw failure ? new ModelDownloadError(failure) : err;
  } finally {
    signal?.removeEventListener('abort', cancel);
    loadingModels.delete(loading);
  }
}

/**
 * All of `parts`, or, when one fails, the failure once none is still running (a retry would join them),
 * with the others' downloads cancelled first (a 180 MB decoder need not finish for nothing) and any
 * model among them that did load disposed.
 */
export async function allOrDispose<T extends readonly unknown[]>(parts: { [K in keyof T]: Promise<T[K]> }, cancelDownloads: () => void): Promise<T> {
  try {
    return (await Promise.all(parts)) as unknown as T;
  } catch (err) {
    cancelDownloads();
    const settled = await Promise.allSettled(parts);
    for (const part of settled) {
      const value = part.status === 'fulfilled' ? (part.value as { dispose?: unknown }) : null;
      if (value && typeof value.dispose === 'function') await (value.dispose as () => Promise<void>).call(value).catch(() => undefined);
    }
    throw err;
  }
}

interface LoadingModel {
  downloads: ModelDownloads;
  /** Where transformers.js may probe this model's files: its revision, and 'main' (see answerExistenceProbe). */
  probeBaseUrls: string[];
}

/** Models being loaded now (two can overlap: a model switch mid-load); the newest owns a URL first. */
const loadingModels = new Set<LoadingModel>();
let networkFetch: ModelFetch | null = null;

/**
 * Points `env.fetch` (global to transformers.js) at the downloads of whichever model is loading, once;
 * returns the fetch it replaced, which does the network work. A URL no loading model owns still gets
 * the network without our checks, as before.
 */
function routeModelFetches(): ModelFetch {
  if (networkFetch) return networkFetch;
  const network: ModelFetch = env.fetch;
  networkFetch = network;
  env.fetch = (input: string | URL, init?: RequestInit) => {
    const url = String(input);
    const loading = [...loadingModels].reverse();
    if (isExistenceProbe(init) && loading.some((m) => m.probeBaseUrls.some((base) => url.startsWith(base)))) {
      return Promise.resolve(answerExistenceProbe());
    }
    const owner = loading.find((m) => m.downloads.covers(url));
    return owner ? owner.downloads.fetch(url, init) : network(url, init);
  };
  return network;
}

/** transformers.js asks whether a file exists with a one-byte Range GET. */
function isExistenceProbe(init: RequestInit | undefined): boolean {
  return new Headers(init?.headers).get('range') === 'bytes=0-0';
}

/**
 * AutoTokenizer (4.3.1) checks that tokenizer_config.json exists before loading it, at revision 'main'
 * whatever revision it was given, and outside the cache. Sent to the host, that probe leaks past the pin,
 * costs a second request for the file (a host that ignores Range sends all of it) and fails offline even
 * when the model is cached. We answer "it exists" here instead: the real request, at the pinned revision,
 * follows at once and says 'missing' if the file is not there, which no captioning model can do without.
 */
function answerExistenceProbe(): Response {
  return new Response(new Uint8Array(1), { status: 206, headers: { 'content-range': 'bytes 0-0/*', 'content-length': '1' } });
}

/** Models pad with spaces and sometimes repeat the last word when they run out of tokens. */
export function tidyCaption(raw: string): string {
  const words = raw.replace(/\s+/g, ' ').trim().split(' ');
  const kept = words.filter((w, i) => i === 0 || w.toLowerCase() !== words[i - 1]!.toLowerCase());
  return kept.join(' ');
}
