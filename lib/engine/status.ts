import type { EngineStatus } from '../messages';

/** What the popup shows before any model was asked for. */
export const IDLE_ENGINE_STATUS: EngineStatus = {
  state: 'idle',
  backend: null,
  ocrBackend: null,
  modelId: null,
  threads: 1,
  crossOriginIsolated: false,
  files: [],
  error: null,
  captionsServed: 0,
  modelRuns: 0,
  loadStartedAt: null,
};
