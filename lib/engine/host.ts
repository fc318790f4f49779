/**
 * The engine host: owns the model session and answers caption jobs. Lives in Chrome's offscreen
 * document (service workers have no DOM and are killed when idle) or Firefox's background page.
 */
import { env } from '@huggingface/transformers';
import { loadCaptioner, type Captioner } from '../caption/captioner';
import { loadImageForModel } from '../images/load';
import type { EngineConfig, EngineStatus, FileProgress } from '../messages';
import { captionModel } from '../models';
import { chooseBackend, wasmThreadCount, type Backend } from './backend';
import { failure, type CaptionOutcome, type ImageSource } from './jobs';
import { IDLE_ENGINE_STATUS } from './status';

export interface EngineHostOptions {
  /** Base URL of the bundled ONNX Runtime files (e.g. chrome-extension://id/ort/). */
  ortBaseUrl: string;
}

export class EngineHost {
  private loaded: { key: string; captioner: Promise<Captioner> } | null = null;
  private readonly status: EngineStatus = {
    ...IDLE_ENGINE_STATUS,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };

  constructor(options: EngineHostOptions) {
    env.allowLocalModels = false;
    // Our ORT files are extension resources; the Cache API only stores http(s) responses.
    env.useWasmCache = false;
    const wasm = env.backends.onnx.wasm;
    if (wasm) {
      wasm.wasmPaths = {
        mjs: `${options.ortBaseUrl}ort-wasm-simd-threaded.asyncify.mjs`,
        wasm: `${options.ortBaseUrl}ort-wasm-simd-threaded.asyncify.wasm`,
      };
    }
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

  async caption(source: ImageSource, config: EngineConfig): Promise<CaptionOutcome> {
    const image = await loadImageForModel(source);
    if (!image.ok) return image;
    let captioner: Captioner;
    try {
      captioner = await this.captionerFor(config);
    } catch (err) {
      return failure('model-failed', `The captioning model could not be loaded: ${messageOf(err)}`);
    }
    try {
      const text = await captioner.caption(image.pixels);
      this.status.captionsServed++;
      if (!text) return failure('model-failed', 'The model produced no caption for this image.');
      return { ok: true, text, modelId: captioner.modelId };
    } catch (err) {
      return failure('model-failed', `Captioning failed: ${messageOf(err)}`);
    }
  }

  private async captionerFor(config: EngineConfig): Promise<Captioner> {
    const backend = chooseBackend(config.backend, await hasWebGpuAdapter());
    const key = `${config.modelHost}|${config.modelId}|${backend}|${config.wasmThreads}`;
    if (this.loaded?.key === key) return this.loaded.captioner;
    const previous = this.loaded;
    this.loaded = { key, captioner: this.load(config, backend) };
    if (previous) void previous.captioner.then((c) => c.dispose()).catch(() => undefined);
    try {
      return await this.loaded.captioner;
    } catch (err) {
      // A failed load must not stick: the next job (e.g. after the network returns) tries again.
      if (this.loaded?.key === key) this.loaded = null;
      throw err;
    }
  }

  private async load(config: EngineConfig, backend: Backend): Promise<Captioner> {
    env.remoteHost = config.modelHost;
    const threads = wasmThreadCount(navigator.hardwareConcurrency, globalThis.crossOriginIsolated === true, config.wasmThreads);
    const wasm = env.backends.onnx.wasm;
    if (wasm) wasm.numThreads = threads;
    Object.assign(this.status, {
      state: 'loading',
      backend,
      modelId: config.modelId,
      threads: backend === 'wasm' ? threads : 1,
      files: [],
      error: null,
    });
    try {
      const captioner = await loadCaptioner(captionModel(config.modelId), backend, (p) => this.noteProgress(p));
      this.status.state = 'ready';
      return captioner;
    } catch (err) {
      Object.assign(this.status, { state: 'error', error: messageOf(err) });
      throw err;
    }
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

async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
