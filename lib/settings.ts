/** Every user setting, typed, with its default, in one place. Readers never supply their own fallback. */
import { storage } from 'wxt/utils/storage';
import type { BackendPreference } from './engine/backend';
import { DEFAULT_CAPTION_MODEL_ID } from './models';
import type { EngineConfig } from './messages';

export const DEFAULT_MODEL_HOST = 'https://huggingface.co/';
/** A hedge in the spirit of Firefox ("Created automatically:") and Chrome ("Appears to be…"). */
export const DEFAULT_ALT_PREFIX = 'Auto-generated: ';

export const settings = {
  modelId: storage.defineItem<string>('local:modelId', { fallback: DEFAULT_CAPTION_MODEL_ID }),
  /** Mirrors of the Hugging Face Hub work if they keep its /{repo}/resolve/{revision}/{file} layout. */
  modelHost: storage.defineItem<string>('local:modelHost', { fallback: DEFAULT_MODEL_HOST }),
  backend: storage.defineItem<BackendPreference>('local:backend', { fallback: 'auto' }),
  altPrefix: storage.defineItem<string>('local:altPrefix', { fallback: DEFAULT_ALT_PREFIX }),
  wasmThreads: storage.defineItem<number>('local:wasmThreads', { fallback: 0 }),
  /** Models hold 1–2 GB; five idle minutes frees it, and reloading from the cache takes seconds. */
  releaseEngineAfterIdleSeconds: storage.defineItem<number>('local:releaseEngineAfterIdleSeconds', { fallback: 300 }),
  /** Auto-fill uses the words of images that are mostly text ("Image text: …") instead of a caption. */
  preferImageText: storage.defineItem<boolean>('local:preferImageText', { fallback: true }),
  autoFillEverywhere: storage.defineItem<boolean>('local:autoFillEverywhere', { fallback: false }),
  /** Hostnames (e.g. "example.com") where auto-fill is on even when it is off everywhere. */
  autoFillSites: storage.defineItem<string[]>('local:autoFillSites', { fallback: [] }),
};

export async function readEngineConfig(): Promise<EngineConfig> {
  const [modelId, modelHost, backend, wasmThreads, releaseAfterIdleSeconds] = await Promise.all([
    settings.modelId.getValue(),
    settings.modelHost.getValue(),
    settings.backend.getValue(),
    settings.wasmThreads.getValue(),
    settings.releaseEngineAfterIdleSeconds.getValue(),
  ]);
  return { modelId, modelHost: normaliseModelHost(modelHost), backend, wasmThreads, releaseAfterIdleSeconds };
}

/** transformers.js joins host and path by concatenation, so the host must end in exactly one slash. */
export function normaliseModelHost(host: string): string {
  return host.trim().replace(/\/+$/, '') + '/';
}

export function isAutoFillOn(everywhere: boolean, sites: readonly string[], hostname: string): boolean {
  return everywhere || sites.includes(hostname);
}
