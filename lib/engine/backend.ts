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
 * Where ORT finds its WebAssembly: the copies shipped in the extension (never a CDN). One build (asyncify)
 * serves both WASM and WebGPU, so transformers.js and the OCR share a single ORT.
 */
export function bundledOrtWasmPaths(ortBaseUrl: string): { mjs: string; wasm: string } {
  return { mjs: `${ortBaseUrl}ort-wasm-simd-threaded.asyncify.mjs`, wasm: `${ortBaseUrl}ort-wasm-simd-threaded.asyncify.wasm` };
}
