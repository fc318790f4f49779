/** Which ONNX Runtime execution provider runs the models. */
export type Backend = 'webgpu' | 'wasm';
export type BackendPreference = 'auto' | Backend;

/**
 * What WebGPU runs on: a real GPU, a software rasteriser standing in for one (SwiftShader, a "fallback
 * adapter"), or nothing.
 */
export type WebGpuAdapterKind = 'hardware' | 'software' | 'none';

/**
 * Automatic choice: WebGPU on a real GPU, WASM otherwise — a software adapter emulates the GPU on the CPU
 * and is many times slower than WASM's SIMD threads. Forcing WebGPU uses any adapter there is.
 */
export function chooseBackend(preference: BackendPreference, adapter: WebGpuAdapterKind): Backend {
  if (preference === 'wasm' || adapter === 'none') return 'wasm';
  if (preference === 'webgpu') return 'webgpu';
  return adapter === 'hardware' ? 'webgpu' : 'wasm';
}

/** Reads the adapter's own description; a fallback adapter or SwiftShader is software. */
export function adapterKind(adapter: { isFallbackAdapter?: boolean; info?: Record<string, unknown> } | null): WebGpuAdapterKind {
  if (!adapter) return 'none';
  const info = adapter.info ?? {};
  const described = ['vendor', 'architecture', 'description', 'device'].map((k) => String(info[k] ?? '')).join(' ');
  if (adapter.isFallbackAdapter || info.isFallbackAdapter === true || /swiftshader|llvmpipe|software/i.test(described)) return 'software';
  return 'hardware';
}

/** WASM threads need SharedArrayBuffer, which only a cross-origin isolated document has. */
export function wasmThreadCount(hardwareConcurrency: number, crossOriginIsolated: boolean, requested = 0, cap = 4): number {
  if (!crossOriginIsolated) return 1;
  const available = Math.max(1, Math.min(cap, hardwareConcurrency || 1));
  return requested > 0 ? Math.min(requested, available) : available;
}

/**
 * ORT's WebAssembly build that runs both WebGPU and WASM, so transformers.js and the OCR share one ORT.
 * JSPI (Chrome 137+) lets WebAssembly await the GPU natively; asyncify rewrites the whole binary to do
 * so, and that costs CPU kernels: in a bare page the OCR models ran 2-2.5 times as long on asyncify
 * (recogniser 98 vs 37 ms, detector 117 vs 60 ms), in the extension's OCR recognition took 392 against
 * 292 ms per image, and the engine's renderer peaked about 120 MB higher. Firefox has no JSPI.
 */
export type OrtWasmBuild = 'jspi' | 'asyncify';

export function ortWasmBuildFor(browser: string | undefined, override?: string): OrtWasmBuild {
  if (override === 'jspi' || override === 'asyncify') return override; // benchmarks compare the two
  return browser === 'firefox' ? 'asyncify' : 'jspi';
}

/** The files of an ORT WebAssembly build, as shipped in the extension under ort/ (wxt.config.ts). */
export function ortWasmFiles(build: OrtWasmBuild): { mjs: string; wasm: string } {
  return { mjs: `ort-wasm-simd-threaded.${build}.mjs`, wasm: `ort-wasm-simd-threaded.${build}.wasm` };
}

/** Where ORT finds its WebAssembly: the copies shipped in the extension, never a CDN. */
export function bundledOrtWasmPaths(ortBaseUrl: string, build = ortWasmBuildFor(import.meta.env.BROWSER, import.meta.env.ALTSIGHT_ORT_BUILD)): { mjs: string; wasm: string } {
  const files = ortWasmFiles(build);
  return { mjs: `${ortBaseUrl}${files.mjs}`, wasm: `${ortBaseUrl}${files.wasm}` };
}
