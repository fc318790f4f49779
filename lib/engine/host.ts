/**
 * The engine host: owns the model session and answers caption jobs. Lives in Chrome's offscreen
 * document (service workers have no DOM and are killed when idle) or Firefox's background page.
 */
import { env } from '@huggingface/transformers';
import { loadCaptioner, type Captioner } from '../caption/captioner';
import { downscalePixels, loadImageForModel, type LoadedImage, type Pixels } from '../images/load';
import { MODEL_INPUT_MAX_SIDE_PX, OCR_INPUT_MAX_SIDE_PX } from '../images/limits';
import { recognizeText } from '../ocr';
import type { EngineConfig, EngineStatus, FileProgress } from '../messages';
import { captionModel } from '../models';
import { adapterKind, bundledOrtWasmPaths, chooseBackend, wasmThreadCount, type Backend, type WebGpuAdapterKind } from './backend';
import { coverageOf, isMostlyText } from './describe';
import { failure, type EngineJob, type JobOutcome, type JobPriority } from './jobs';
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

/** How a job asks for the model: its priority in line, what cancels it, how long one call may take. */
interface ModelTurn {
  priority: JobPriority;
  signal: AbortSignal;
  modelRunMs: number;
}

export class EngineHost {
  /** The captioner for one model host, model and thread setting, on WebGPU or WASM. */
  private captioning: { key: string; captioner: GpuFallback<Captioner> } | null = null;
  private readonly ocr = new GpuFallback(
    (backend) => loadOcrModels(this.options.ocrBaseUrl, this.options.glyphBaseUrl, backend).catch((err: unknown) => Promise.reject(new ModelLoadError(err))),
    (loaded) => loaded.release(),
  );
  private wasmThreads: number | null = null;
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

  async run(job: EngineJob, config: EngineConfig, priority: JobPriority, signal: AbortSignal): Promise<EngineRun> {
    let modelCalls = 0;
    const turn: ModelTurn = { priority, signal, modelRunMs: config.deadlines.modelRunMs };
    const withModel = async (work: () => Promise<JobOutcome>): Promise<JobOutcome> => {
      modelCalls++;
      return this.withModel(turn, work);
    };
    const outcome = await this.runJob(job, config, signal, withModel);
    return { outcome: signal.aborted ? failure('cancelled', 'Nobody needs this image any more.') : outcome, modelCalls };
  }

  private async runJob(
    job: EngineJob,
    config: EngineConfig,
    signal: AbortSignal,
    withModel: (work: () => Promise<JobOutcome>) => Promise<JobOutcome>,
  ): Promise<JobOutcome> {
    const wantsText = job.kind !== 'caption';
    const image: LoadedImage = await loadImageForModel(job.source, {
      maxSidePx: wantsText ? OCR_INPUT_MAX_SIDE_PX : MODEL_INPUT_MAX_SIDE_PX,
      requester: job.requester,
      signal,
      deadlines: config.deadlines,
    });
    if (!image.ok) return image;
    if (signal.aborted) return failure('cancelled', 'Nobody needs this image any more.');
    if (job.kind === 'caption') return withModel(() => this.caption(image.pixels, config));
    const read = await withModel(() => this.readText(image.pixels, config));
    if (job.kind === 'read-text') return read;
    // describe: the image's words when it is mostly text, a caption otherwise.
    const { widthPx, heightPx } = image.pixels;
    if (read.ok && read.result === 'image-text' && isMostlyText(coverageOf(read.lines, widthPx, heightPx))) return read;
    if (!read.ok && read.reason !== 'no-text' && read.reason !== 'model-failed') return read;
    return withModel(() => this.caption(downscalePixels(image.pixels, MODEL_INPUT_MAX_SIDE_PX), config));
  }

  /**
   * One model call, in line behind the one running. A call past its deadline fails its job only: the
   * lock stays held until ORT returns (nothing else could use the model meanwhile) and the host asks to
   * be replaced.
   */
  private async withModel(turn: ModelTurn, work: () => Promise<JobOutcome>): Promise<JobOutcome> {
    let release: () => void;
    try {
      release = await this.modelLock.acquire(turn.priority, turn.signal);
    } catch {
      return failure('cancelled', 'Nobody needs this image any more.');
    }
    this.status.modelRuns++;
    const call = work().finally(release);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<JobOutcome>((resolve) => {
      timer = setTimeout(() => {
        this.options.onStuck();
        resolve(failure('timed-out', `The model took longer than ${Math.round(turn.modelRunMs / 1000)} s on this image, so AltSight stopped it.`));
      }, turn.modelRunMs);
    });
    try {
      return await Promise.race([call, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async caption(pixels: Pixels, config: EngineConfig): Promise<JobOutcome> {
    const wanted = chooseBackend(config.backend, await webGpuAdapterKind());
    try {
      const { text, modelId } = await this.captionerFor(config).run(wanted, async (captioner) => ({
        text: await captioner.caption(pixels),
        modelId: captioner.modelId,
      }));
      this.status.captionsServed++;
      if (!text) return failure('model-failed', 'The model produced no caption for this image.');
      return { ok: true, result: 'caption', text, modelId };
    } catch (err) {
      if (err instanceof ModelLoadError) return failure('model-failed', `The captioning model could not be loaded: ${messageOf(err.cause)}`);
      // ORT's own words ("failed to call OrtRun() … Gather …") mean nothing to a reader: keep them for the console.
      console.warn('AltSight: captioning failed', err);
      return failure('model-failed', 'The captioning model could not describe this image.');
    }
  }

  private async readText(pixels: Pixels, config: EngineConfig): Promise<JobOutcome> {
    const wanted = chooseBackend(config.backend, await webGpuAdapterKind());
    // OCR and captions share one ORT: whichever starts it first fixes the thread count for both.
    this.useWasmThreads(config);
    this.status.ocrBackend = this.ocr.backendFor(wanted);
    try {
      const result = await this.ocr.run(wanted, (ocr, backend) => {
        this.status.ocrBackend = backend;
        return recognizeText({ data: pixels.rgba, widthPx: pixels.widthPx, heightPx: pixels.heightPx }, ocr.models, ocr.dictionary);
      });
      if (result.lines.length === 0) return failure('no-text', 'No text found.');
      return {
        ok: true,
        result: 'image-text',
        text: result.text,
        lines: result.lines.map((l) => ({ text: l.text, confidence: l.confidence, box: l.box })),
        modelId: OCR_MODEL_ID,
      };
    } catch (err) {
      if (err instanceof ModelLoadError) return failure('model-failed', `The text recognition models could not be loaded: ${messageOf(err.cause)}`);
      console.warn('AltSight: reading text failed', err);
      return failure('model-failed', 'The text recognition models could not read this image.');
    }
  }

  private captionerFor(config: EngineConfig): GpuFallback<Captioner> {
    const key = `${config.modelHost}|${config.modelId}|${config.wasmThreads}`;
    if (this.captioning?.key !== key) {
      void this.captioning?.captioner.close();
      // A failed load does not stick (GpuFallback): the next job, e.g. once the network is back, tries again.
      const captioner = new GpuFallback(
        (backend) => this.load(config, backend).catch((err: unknown) => Promise.reject(new ModelLoadError(err))),
        (loaded) => loaded.dispose(),
        // The WASM files differ from the WebGPU ones, so a missing file is worth a try there; a dead host is not.
        (err) => err instanceof ModelLoadError && isModelDownloadError(err.cause) && err.cause.failure.kind !== 'missing',
      );
      this.captioning = { key, captioner };
    }
    return this.captioning.captioner;
  }

  private async load(config: EngineConfig, backend: Backend): Promise<Captioner> {
    env.remoteHost = config.modelHost;
    this.useWasmThreads(config);
    Object.assign(this.status, {
      state: 'loading',
      backend,
      modelId: config.modelId,
      files: [],
      error: null,
    });
    try {
      const captioner = await loadCaptioner(captionModel(config.modelId, import.meta.env.ALTSIGHT_TEST_MODEL_PINS), backend, (p) =>
        this.noteProgress(p),
      );
      this.status.state = 'ready';
      return captioner;
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

/** Asked once per engine host: requesting an adapter costs tens of milliseconds. */
let webGpuAdapter: Promise<WebGpuAdapterKind> | null = null;
function webGpuAdapterKind(): Promise<WebGpuAdapterKind> {
  webGpuAdapter ??= probeWebGpuAdapter();
  return webGpuAdapter;
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

/** Tells a model that never loaded apart from a read that failed, for the user's message. */
class ModelLoadError extends Error {
  constructor(readonly cause: unknown) {
    super(messageOf(cause));
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
