/** Which ONNX Runtime execution provider runs the models. */
export type Backend = 'webgpu' | 'wasm';
export type BackendPreference = 'auto' | Backend;

/** WebGPU when the machine has an adapter and the user didn't force WASM; WASM otherwise. */
export function chooseBackend(preference: BackendPreference, hasWebGpuAdapter: boolean): Backend {
  if (preference === 'wasm') return 'wasm';
  if (preference === 'webgpu') return hasWebGpuAdapter ? 'webgpu' : 'wasm';
  return hasWebGpuAdapter ? 'webgpu' : 'wasm';
}

/** WASM threads need SharedArrayBuffer, which only a cross-origin isolated document has. */
export function wasmThreadCount(hardwareConcurrency: number, crossOriginIsolated: boolean, requested = 0, cap = 4): number {
  if (!crossOriginIsolated) return 1;
  const available = Math.max(1, Math.min(cap, hardwareConcurrency || 1));
  return requested > 0 ? Math.min(requested, available) : available;
}
