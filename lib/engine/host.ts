/**
 * The engine host: owns the model session and answers caption jobs. Lives in Chrome's offscreen
 * document (service workers have no DOM and are killed when idle) or Firefox's background page.
 */
import { env } from '@huggingface/transformers';
import { loadCaptioner, type Captioner } from '../caption/captioner';
import { loadImageChat, type ImageChat } from '../ask/image-chat';
import { answerWithBrowserModel, browserModelState } from '../ask/browser-model';
import { t } from '../i18n';
import { downscalePixels, loadImageForModel, type LoadedImage, type Pixels } from '../images/load';
import { MODEL_INPUT_MAX_SIDE_PX, OCR_INPUT_MAX_SIDE_PX } from '../images/limits';
import { cropLine, looksHandwritten, recognizeText, withReadLines, type OcrResult } from '../ocr';
import { cachedModel, MODEL_CACHE_NAME } from '../models-cache';
import type { ChatModelState, EngineConfig, EngineStatus, FileProgress } from '../messages';
import { captionModel, chatModel, handwritingModel, type CaptionModel } from '../models';
import { adapterKind, bundledOrtWasmPaths, chooseBackend, wasmThreadCount, type Backend, type WebGpuAdapterKind } from './backend';
import { coverageOf, isMostlyText } from './describe';
import { failure, type AnyEngineJob, type AskJob, type EngineJob, type HandwritingNote, type JobFailure, type JobOutcome, type JobPriority } from './jobs';
import { isModelDownloadError } from './model-download';
import { ModelLock } from './model-lock';
import { GpuFallback } from './gpu-fallback';
import { loadOcrModels, OCR_MODEL_ID } from './ocr-runtime';
import { IDLE_ENGINE_STATUS } from './status';

export interface EngineHostOptions {
  /** Base URL of the bundled ONNX Runtime files (e.g. chrome-extension://id/ort/). */
  ortBaseUrl: string;
  /** Base URL of the bundled PaddleOCR models and dictionary. */
  ocrBaseUrl: string;
  /** Base URL of the bundled glyph classifier. */
  glyphBaseUrl: string;
  /**
   * A model call ran past its deadline. ORT can't be interrupted, so the host asks to be replaced; jobs
   * in flight elsewhere are retried on the new one.
   */
  onStuck: () => void;
}

/** What one job cost: the background counts model calls across engine hosts. */
export interface EngineRun {
  outcome: JobOutcome;
  modelCalls: number;
}

/** One model call; it calls `startClock` once its models are loaded, when the run's deadline begins. */
type ModelWork = (startClock: () => void) => Promise<JobOutcome>;

/** How a job asks for the model: its priority in line, what cancels it, how long one call may take. */
interface ModelTurn {
  priority: JobPriority;
  signal: AbortSignal;
  modelRunMs: number;
}

export class EngineHost {
  /**
   * The captioner and the handwriting reader (both image-to-text models), each for one model host, model
   * and thread setting, on WebGPU or WASM.
   */
  private readonly imageToText: Record<ImageToTextRole, ModelSlot<Captioner> | null> = {
    caption: null,
    handwriting: null,
  };
  /** The model that answers questions about images, loaded the first time the reader asks one. */
  private chat: ModelSlot<ImageChat> | null = null;
  private readonly ocr = new GpuFallback(
    (backend) => loadOcrModels(this.options.ocrBaseUrl, this.options.glyphBaseUrl, backend).catch((err: unknown) => Promise.reject(new ModelLoadError(err))),
    (loaded) => loaded.release(),
  );
  /**
   * Whether each handwriting model was in the browser's cache when first asked, looked up once per host
   * rather than on every text read: only this host's own load adds it (checked first), and deleting it
   * closes the host.
   */
  private readonly handwritingModelInCache = new Map<string, Promise<boolean>>();
  private wasmThreads: number | null = null;
  /** Cancels the captioner's download in progress (the user pressed Cancel). */
  private loadAbort = new AbortController();
  private readonly modelLock = new ModelLock();
  private readonly status: EngineStatus = {
    ...IDLE_ENGINE_STATUS,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };

  constructor(private readonly options: EngineHostOptions) {
    env.allowLocalModels = false;
    // Our ORT files are extension resources; the Cache API only stores http(s) responses.
    env.useWasmCache = false;
    const wasm = env.backends.onnx.wasm;
    if (wasm) wasm.wasmPaths = bundledOrtWasmPaths(options.ortBaseUrl);
  }

  /** Frees every model this host loaded; the host is not used again. */
  async close(): Promise<void> {
    this.loadAbort.abort();
    const slots = [this.imageToText.caption, this.imageToText.handwriting, this.chat];
    this.imageToText.caption = this.imageToText.handwriting = this.chat = null;
    await Promise.all([...slots.map((slot) => slot?.model.close()), this.ocr.close()]);
  }

  getStatus(): EngineStatus {
    return { ...this.status, files: this.status.files.map((f) => ({ ...f })) };
  }

  /** Needs cross-origin isolation, which the engine host has for WASM threads anyway. */
  async memoryBytes(): Promise<number | null> {
    const measure = (performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> })
      .measureUserAgentSpecificMemory;
    if (!measure || !globalThis.crossOriginIsolated) return null;
    return (await measure.call(performance)).bytes;
  }

  /** `onAnswerText` hears an answer's text so far, token by token (ask jobs). */
  async run(job: AnyEngineJob, config: EngineConfig, priority: JobPriority, signal: AbortSignal, onAnswerText: (text: string) => void = () => undefined): Promise<EngineRun> {
    let modelCalls = 0;
    const turn: ModelTurn = { priority, signal, modelRunMs: config.deadlines.modelRunMs };
    const withModel = async (work: ModelWork): Promise<JobOutcome> => {
      modelCalls++;
      return this.withModel(turn, work);
    };
    const outcome = job.kind === 'ask' ? await this.runAsk(job, config, signal, withModel, onAnswerText) : await this.runJob(job, config, signal, withModel);
    return { outcome: signal.aborted ? failure('cancelled', t('failureNobodyNeedsImage')) : outcome, modelCalls };
  }

  private async runJob(
    job: EngineJob,
    config: EngineConfig,
    signal: AbortSignal,
    withModel: (work: ModelWork) => Promise<JobOutcome>,
  ): Promise<JobOutcome> {
    const wantsText = job.kind !== 'caption';
    const image: LoadedImage = await loadImageForModel(job.source, {
      maxSidePx: wantsText ? OCR_INPUT_MAX_SIDE_PX : MODEL_INPUT_MAX_SIDE_PX,
      requester: job.requester,
      signal,
      deadlines: config.deadlines,
    });
    if (!image.ok) return image;
    if (signal.aborted) return failure('cancelled', t('failureNobodyNeedsImage'));
    if (job.kind === 'caption') return withModel((startClock) => this.caption(image.pixels, config, startClock));
    // The print reader's lines, with their boxes and blocks, for a handwriting read of the same lines.
    const printed: { lines: OcrResult | null } = { lines: null };
    const read = await withModel((startClock) =>
      this.readText(image.pixels, config, startClock).then((r) => {
        printed.lines = r.ok ? r.ocr : null;
        return r.outcome;
      }),
    );
    if (job.kind === 'read-text' || job.kind === 'read-handwriting' || job.kind === 'read-printed') {
      const lines = printed.lines;
      if (!read.ok || read.result !== 'image-text' || !lines || job.kind === 'read-printed') return read;
      // Automatic only with the model already here: a download needs the reader's yes ("Read handwriting").
      const readHandwriting = job.kind === 'read-handwriting' || (read.handwriting.looksHandwritten && !read.handwriting.needsDownload);
      if (!readHandwriting) return read;
      return withModel((startClock) => this.readHandwriting(image.pixels, lines, read.handwriting, config, startClock));
    }
    // describe: the image's words when it is mostly text, a caption otherwise.
    const { widthPx, heightPx } = image.pixels;
    if (read.ok && read.result === 'image-text' && isMostlyText(coverageOf(read.lines, widthPx, heightPx))) return read;
    if (!read.ok && read.reason !== 'no-text' && read.reason !== 'model-failed') return read;
    return withModel((startClock) => this.caption(downscalePixels(image.pixels, MODEL_INPUT_MAX_SIDE_PX), config, startClock));
  }

  private async runAsk(
    job: AskJob,
    config: EngineConfig,
    signal: AbortSignal,
    withModel: (work: ModelWork) => Promise<JobOutcome>,
    onAnswerText: (text: string) => void,
  ): Promise<JobOutcome> {
    const image = await loadImageForModel(job.source, { maxSidePx: MODEL_INPUT_MAX_SIDE_PX, requester: job.requester, signal, deadlines: config.deadlines });
    if (!image.ok) return image;
    if (signal.aborted) return failure('cancelled', t('failureNobodyNeedsImage'));
    const request = { history: job.history, question: job.question };
    // An answer is a whole generation, not one call: it gets the run deadline for its first token and per token after.
    return withModel(async (startClock) => {
      // The browser's model where the reader chose it and it still can; ours otherwise.
      if (config.chatEngine === 'browser' && (await browserModelState())) {
        startClock();
        return answerWithBrowserModel(image.pixels, request, { onText: onAnswerText, signal });
      }
      return this.answer(image.pixels, request, config, startClock, onAnswerText, signal);
    });
  }

  private async answer(
    pixels: Pixels,
    request: { history: AskJob['history']; question: string },
    config: EngineConfig,
    startClock: () => void,
    onText: (text: string) => void,
    signal: AbortSignal,
  ): Promise<JobOutcome> {
    const wanted = chooseBackend(config.backend, await webGpuAdapterKind());
    try {
      const { text, modelId } = await this.chatFor(config).run(wanted, async (chat) => {
        startClock();
        return { text: await chat.answer(pixels, request, { onText, signal }), modelId: chat.modelId };
      });
      if (signal.aborted) return failure('cancelled', t('failureNobodyNeedsImage'));
      if (!text) return failure('model-failed', t('failureNoAnswer'));
      return { ok: true, result: 'answer', text, modelId };
    } catch (err) {
      if (err instanceof ModelLoadError) {
        if (isCancelled(err.cause)) return failure('cancelled', t('failureDownloadCancelled'));
        return failure('model-failed', t('failureChatModelLoad', messageOf(err.cause)));
      }
      console.warn('AltSight: answering failed', err);
      return failure('model-failed', t('failureAnswerFailed'));
    }
  }

  /** What answers questions, and whether the first question downloads it: the panel says so before asking. */
  async chatModelState(config: EngineConfig): Promise<ChatModelState> {
    if (config.chatEngine === 'browser') {
      const browserState = await browserModelState();
      if (browserState) return browserState;
    }
    const model = chatModel(config.chatModelId, import.meta.env.ALTSIGHT_TEST_MODEL_PINS);
    const wanted = chooseBackend(config.backend, await webGpuAdapterKind());
    const here = (this.chat?.loaded && this.chat.key === this.chatKeyOf(config)) || (await isInModelCache(model.id));
    return {
      engine: 'model',
      label: model.label,
      needsDownload: !here,
      approxDownloadBytes: here ? null : (model.approxDownloadBytes?.[wanted] ?? null),
    };
  }

  private chatKeyOf(config: EngineConfig): string {
    return `${config.modelHost}|${config.chatModelId}|${config.wasmThreads}`;
  }

  private chatFor(config: EngineConfig): GpuFallback<ImageChat> {
    const key = this.chatKeyOf(config);
    if (this.chat?.key === key) return this.chat.model;
    void this.chat?.model.close();
    const model = chatModel(config.chatModelId, import.meta.env.ALTSIGHT_TEST_MODEL_PINS);
    this.chat = modelSlot(key, (backend) =>
      this.loading(config, model, backend, async (onFileProgress, signal) =>
        loadImageChat(model, backend, { onFileProgress, signal, shaderF16: backend === 'webgpu' && (await webGpuHasShaderF16()) }),
      ),
    );
    return this.chat.model;
  }

  /**
   * One model call, in line behind the one running. A call past its deadline fails its job only: the
   * lock stays held until ORT returns (nothing else could use the model meanwhile) and the host asks to
   * be replaced.
   */
  private async withModel(turn: ModelTurn, work: ModelWork): Promise<JobOutcome> {
    let release: () => void;
    try {
      release = await this.modelLock.acquire(turn.priority, turn.signal);
    } catch {
      return failure('cancelled', t('failureNobodyNeedsImage'));
    }
    this.status.modelRuns++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timeOut: (outcome: JobOutcome) => void = () => undefined;
    const deadline = new Promise<JobOutcome>((resolve) => (timeOut = resolve));
    // The clock starts once the models are loaded: a first download of 188 MB on a slow line is watched
    // for stalls by the download itself, not cut by the run's deadline.
    const startClock = () => {
      timer ??= setTimeout(() => {
        this.options.onStuck();
        timeOut(failure('timed-out', t('failureModelTimedOut', Math.round(turn.modelRunMs / 1000))));
      }, turn.modelRunMs);
    };
    const call = work(startClock).finally(release);
    try {
      return await Promise.race([call, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Loads the captioner without a job ("Download now"), so the first caption doesn't wait for it. */
  async preload(config: EngineConfig, onlyIfCached = false): Promise<{ ok: true } | JobFailure> {
    const wanted = chooseBackend(config.backend, await webGpuAdapterKind());
    try {
      if (onlyIfCached) {
        // Warming up for a caption that is likely soon: never a download, and one run on a blank picture
        // so that ORT's first-run work (kernels, buffers) is done before the reader's image arrives.
        const slot = this.imageToText.caption;
        // Already loaded and run: every frame of an auto-filled page asks, and only the first should cost anything.
        if (slot?.loaded && slot.key === this.keyOf('caption', config)) return { ok: true };
        if (!(await isInModelCache(modelOf('caption', config).id))) return { ok: true };
        await this.withModel({ priority: 'background', signal: new AbortController().signal, modelRunMs: config.deadlines.modelRunMs }, async (startClock) =>
          this.caption(WARM_UP_PIXELS, config, startClock, WARM_UP_NEW_TOKENS),
        );
        return { ok: true };
      }
      await this.imageToTextFor('caption', config).run(wanted, async () => undefined);
      return { ok: true };
    } catch (err) {
      return loadFailure(err);
    }
  }

  /** Stops a download in progress; the next job or "Download now" starts it again. */
  cancelLoad(): boolean {
    const wasLoading = this.status.state === 'loading';
    this.loadAbort.abort();
    this.loadAbort = new AbortController();
    return wasLoading;
  }

  private async caption(pixels: Pixels, config: EngineConfig, startClock: () => void, maxNewTokens?: number): Promise<JobOutcome> {
    const wanted = chooseBackend(config.backend, await webGpuAdapterKind());
    try {
      const { text, modelId } = await this.imageToTextFor('caption', config).run(wanted, async (captioner) => {
        startClock();
        return { text: await captioner.caption(pixels, { maxNewTokens }), modelId: captioner.modelId };
      });
      this.status.captionsServed++;
      if (!text) return failure('model-failed', t('failureNoCaption'));
      return { ok: true, result: 'caption', text, modelId };
    } catch (err) {
      if (err instanceof ModelLoadError) return loadFailure(err);
      // ORT's own words ("failed to call OrtRun() … Gather …") mean nothing to a reader: keep them for the console.
      console.warn('AltSight: captioning failed', err);
      return failure('model-failed', t('failureCaptionFailed'));
    }
  }

  /** PaddleOCR on the image: the outcome for the reader, and the lines with their blocks for a second reader. */
  private async readText(
    pixels: Pixels,
    config: EngineConfig,
    startClock: () => void,
  ): Promise<{ ok: true; outcome: JobOutcome; ocr: OcrResult } | { ok: false; outcome: JobOutcome }> {
    const wanted = chooseBackend(config.backend, await webGpuAdapterKind());
    // OCR and captions share one ORT: whichever starts it first fixes the thread count for both.
    this.useWasmThreads(config);
    this.status.ocrBackend = this.ocr.backendFor(wanted);
    try {
      const result = await this.ocr.run(wanted, (ocr, backend) => {
        this.status.ocrBackend = backend;
        startClock();
        return ocr.scratch.lend((scratch) => recognizeText({ data: pixels.rgba, widthPx: pixels.widthPx, heightPx: pixels.heightPx }, ocr.models, ocr.dictionary, {}, scratch));
      });
      if (result.lines.length === 0) return { ok: false, outcome: failure('no-text', t('failureNoText')) };
      const handwriting: HandwritingNote = {
        looksHandwritten: looksHandwritten(result.lines),
        read: false,
        ...(await this.handwritingDownload(config, wanted)),
      };
      return { ok: true, ocr: result, outcome: { ok: true, result: 'image-text', text: result.text, lines: textLinesOf(result), modelId: OCR_MODEL_ID, handwriting } };
    } catch (err) {
      if (err instanceof ModelLoadError) return { ok: false, outcome: failure('model-failed', t('failureOcrModelLoad', messageOf(err.cause))) };
      console.warn('AltSight: reading text failed', err);
      return { ok: false, outcome: failure('model-failed', t('failureOcrFailed')) };
    }
  }

  /** The handwriting reader on each line the detector found, in the same boxes and reading order. */
  private async readHandwriting(pixels: Pixels, ocr: OcrResult, note: HandwritingNote, config: EngineConfig, startClock: () => void): Promise<JobOutcome> {
    const wanted = chooseBackend(config.backend, await webGpuAdapterKind());
    const image = { data: pixels.rgba, widthPx: pixels.widthPx, heightPx: pixels.heightPx };
    try {
      const { texts, modelId } = await this.imageToTextFor('handwriting', config).run(wanted, async (reader) => {
        startClock();
        const texts: string[] = [];
        for (const line of ocr.lines) {
          const crop = cropLine(image, line.box);
          texts.push(await reader.caption({ rgba: crop.data, widthPx: crop.widthPx, heightPx: crop.heightPx }));
        }
        return { texts, modelId: reader.modelId };
      });
      const read = withReadLines(ocr.lines, texts);
      if (read.lines.length === 0) return failure('no-text', t('failureNoText'));
      const lines = textLinesOf(read);
      return { ok: true, result: 'image-text', text: read.text, lines, modelId, handwriting: { ...note, read: true, needsDownload: false, approxDownloadBytes: null } };
    } catch (err) {
      if (err instanceof ModelLoadError) {
        const cause = err.cause;
        if (isCancelled(cause)) return failure('cancelled', t('failureDownloadCancelled'));
        return failure('model-failed', t('failureHandwritingModelLoad', messageOf(cause)));
      }
      console.warn('AltSight: reading handwriting failed', err);
      return failure('model-failed', t('failureHandwritingFailed'));
    }
  }

  /** Whether reading handwriting would download its model first, and about how much. */
  private async handwritingDownload(config: EngineConfig, backend: Backend): Promise<Pick<HandwritingNote, 'needsDownload' | 'approxDownloadBytes'>> {
    const model = handwritingModel(config.handwritingModelId, import.meta.env.ALTSIGHT_TEST_MODEL_PINS);
    const slot = this.imageToText.handwriting;
    if (slot?.loaded && slot.key === this.keyOf('handwriting', config)) return { needsDownload: false, approxDownloadBytes: null };
    let inCache = this.handwritingModelInCache.get(model.id);
    if (inCache === undefined) {
      inCache = isInModelCache(model.id);
      this.handwritingModelInCache.set(model.id, inCache);
    }
    if (await inCache) return { needsDownload: false, approxDownloadBytes: null };
    return { needsDownload: true, approxDownloadBytes: model.approxDownloadBytes?.[backend] ?? null };
  }

  private keyOf(role: ImageToTextRole, config: EngineConfig): string {
    return `${config.modelHost}|${modelOf(role, config).id}|${config.wasmThreads}`;
  }

  private imageToTextFor(role: ImageToTextRole, config: EngineConfig): GpuFallback<Captioner> {
    const key = this.keyOf(role, config);
    const current = this.imageToText[role];
    if (current?.key === key) return current.model;
    void current?.model.close();
    const model = modelOf(role, config);
    const slot = modelSlot(key, (backend) => this.loading(config, model, backend, (onFileProgress, signal) => loadCaptioner(model, backend, onFileProgress, {}, signal)));
    this.imageToText[role] = slot;
    return slot.model;
  }

  /** Loads a model, with its state and download progress in the status the popup and options page show. */
  private async loading<T>(
    config: EngineConfig,
    model: CaptionModel,
    backend: Backend,
    load: (onFileProgress: (p: FileProgress) => void, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    env.remoteHost = config.modelHost;
    this.useWasmThreads(config);
    Object.assign(this.status, {
      state: 'loading',
      backend,
      modelId: model.id,
      files: [],
      error: null,
      loadStartedAt: Date.now(),
    });
    try {
      const loaded = await load((p) => this.noteProgress(p), this.loadAbort.signal);
      this.status.state = 'ready';
      return loaded;
    } catch (err) {
      Object.assign(this.status, { state: 'error', error: messageOf(err) });
      throw err;
    }
  }

  /** ORT reads numThreads once, when its WASM starts, so the first model loaded fixes it for this host. */
  private useWasmThreads(config: EngineConfig): number {
    if (this.wasmThreads === null) {
      this.wasmThreads = wasmThreadCount(navigator.hardwareConcurrency, globalThis.crossOriginIsolated === true, config.wasmThreads);
      const wasm = env.backends.onnx.wasm;
      if (wasm) wasm.numThreads = this.wasmThreads;
      this.status.threads = this.wasmThreads;
    }
    return this.wasmThreads;
  }

  private noteProgress(p: FileProgress): void {
    const known = this.status.files.find((f) => f.file === p.file);
    if (!known) {
      this.status.files.push({ ...p, loadedBytes: Math.max(0, p.loadedBytes), totalBytes: Math.max(0, p.totalBytes) });
      return;
    }
    if (p.done) {
      known.done = true;
      known.loadedBytes = known.totalBytes;
    } else {
      known.loadedBytes = p.loadedBytes;
      known.totalBytes = p.totalBytes;
    }
  }
}

type ImageToTextRole = 'caption' | 'handwriting';

/**
 * The warm-up's decoder steps: the first (no past) and one with the KV cache, each a path of the merged
 * decoder of its own. More buys nothing, and a reader's caption that arrives meanwhile waits for all of it:
 * a whole warm-up caption on the 30-token stand-in made the context menu's cold start slower, not faster.
 */
const WARM_UP_NEW_TOKENS = 2;
/** A small mid-grey picture for the warm-up run: what it is called does not matter, only that it runs. */
const WARM_UP_PIXELS: Pixels = { rgba: new Uint8ClampedArray(32 * 32 * 4).fill(128), widthPx: 32, heightPx: 32 };

/** A model for one model host, model and thread setting, on WebGPU or WASM; `loaded` once it has loaded. */
interface ModelSlot<T> {
  key: string;
  model: GpuFallback<T>;
  loaded: boolean;
}

/** A failed load does not stick (GpuFallback): the next job, e.g. once the network is back, tries again. */
function modelSlot<T extends { dispose(): Promise<void> }>(key: string, load: (backend: Backend) => Promise<T>): ModelSlot<T> {
  const slot: ModelSlot<T> = {
    key,
    loaded: false,
    model: new GpuFallback(
      (backend) =>
        load(backend).then(
          (loaded) => {
            slot.loaded = true;
            return loaded;
          },
          (err: unknown) => Promise.reject(new ModelLoadError(err)),
        ),
      (loaded) => loaded.dispose(),
      // The WASM files differ from the WebGPU ones, so a missing file is worth a try there; a dead host is not.
      (err) => err instanceof ModelLoadError && (isCancelled(err.cause) || (isModelDownloadError(err.cause) && err.cause.failure.kind !== 'missing')),
    ),
  };
  return slot;
}

/** Only looks: opening the cache would create it, e.g. just after "Delete all AltSight data". */
async function isInModelCache(modelId: string): Promise<boolean> {
  if (!(await caches.has(MODEL_CACHE_NAME).catch(() => false))) return false;
  return (await cachedModel(modelId).catch(() => ({ files: 0 }))).files > 0;
}

function modelOf(role: ImageToTextRole, config: EngineConfig): CaptionModel {
  const pins = import.meta.env.ALTSIGHT_TEST_MODEL_PINS;
  return role === 'caption' ? captionModel(config.modelId, pins) : handwritingModel(config.handwritingModelId, pins);
}

function textLinesOf(result: Pick<OcrResult, 'lines'>): { text: string; confidence: number; box: [number, number][] }[] {
  return result.lines.map((l) => ({ text: l.text, confidence: l.confidence, box: l.box }));
}

/** Asked once per engine host: requesting an adapter costs tens of milliseconds. */
let webGpuAdapter: Promise<WebGpuAdapterKind> | null = null;
function webGpuAdapterKind(): Promise<WebGpuAdapterKind> {
  webGpuAdapter ??= probeWebGpuAdapter();
  return webGpuAdapter;
}

/** Whether the adapter computes in f16 (`shader-f16`): f16 weights need it. */
let shaderF16: Promise<boolean> | null = null;
function webGpuHasShaderF16(): Promise<boolean> {
  shaderF16 ??= (async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ features: ReadonlySet<string> } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter().catch(() => null);
    return adapter?.features.has('shader-f16') === true;
  })();
  return shaderF16;
}

async function probeWebGpuAdapter(): Promise<WebGpuAdapterKind> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<Parameters<typeof adapterKind>[0]> } }).gpu;
  if (!gpu) return 'none';
  try {
    return adapterKind(await gpu.requestAdapter());
  } catch {
    return 'none';
  }
}

function loadFailure(err: unknown): JobFailure {
  const cause = err instanceof ModelLoadError ? err.cause : err;
  if (isCancelled(cause)) return failure('cancelled', t('failureDownloadCancelled'));
  return failure('model-failed', t('failureCaptionModelLoad', messageOf(cause)));
}

/** The user cancelled the download: not a reason to try the other backend. */
function isCancelled(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** Tells a model that never loaded apart from a read that failed, for the user's message. */
class ModelLoadError extends Error {
  constructor(readonly cause: unknown) {
    super(messageOf(cause));
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
