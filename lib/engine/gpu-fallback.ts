import type { Backend } from './backend';

/**
 * Models loaded for one backend at a time, with WASM as the safety net: when WebGPU fails to load them
 * or to run them (an operator it lacks, a lost device), they are loaded on WASM and the work is retried
 * there, so the user gets an answer, not an error. Once WASM has done what WebGPU could not, they stay
 * on WASM; a failure WASM shares (a download that failed, bad input) says nothing against the GPU.
 */
export class GpuFallback<Models> {
  private loaded: { backend: Backend; models: Promise<Models> } | null = null;
  private gpuFailed = false;

  constructor(
    private readonly load: (backend: Backend) => Promise<Models>,
    /** Frees models that were replaced (GPU buffers, WASM heap). */
    private readonly release: (models: Models) => Promise<void> = async () => undefined,
    /** Failures WASM would share (a host that is down or stalls): trying again there only doubles the wait. */
    private readonly isBackendIndependent: (err: unknown) => boolean = () => false,
  ) {}

  /** Where work asked for on `wanted` actually runs. */
  backendFor(wanted: Backend): Backend {
    return this.gpuFailed ? 'wasm' : wanted;
  }

  async run<Result>(wanted: Backend, work: (models: Models, backend: Backend) => Promise<Result>): Promise<Result> {
    const backend = this.backendFor(wanted);
    try {
      return await work(await this.modelsFor(backend), backend);
    } catch (err) {
      if (backend === 'wasm' || this.isBackendIndependent(err)) throw err;
      const result = await work(await this.modelsFor('wasm'), 'wasm');
      this.gpuFailed = true;
      return result;
    }
  }

  /** Frees the loaded models; the next run loads again. */
  async close(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (loaded) await loaded.models.then(this.release).catch(() => undefined);
  }

  private modelsFor(backend: Backend): Promise<Models> {
    if (this.loaded?.backend !== backend) {
      const previous = this.loaded;
      if (previous) void previous.models.then(this.release).catch(() => undefined);
      const models = this.load(backend);
      this.loaded = { backend, models };
      models.catch(() => {
        if (this.loaded?.models === models) this.loaded = null; // a failed load is tried again next time
      });
    }
    return this.loaded.models;
  }
}
