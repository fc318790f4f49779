/**
 * The downloaded model weights, as the browser caches them (transformers.js keeps them in the Cache API
 * under `transformers-cache`, keyed by file URL). Extension pages share the engine host's origin, so the
 * options page can list and delete them directly. DOM-free apart from `caches`.
 */
export const MODEL_CACHE_NAME = 'transformers-cache';

export interface CachedModel {
  files: number;
  bytes: number;
}

/** A model's files are `{host}/{id}/resolve/{revision}/{file}`, whichever host and revision. */
export function isFileOfModel(url: string, modelId: string): boolean {
  try {
    return new URL(url).pathname.includes(`/${modelId}/resolve/`);
  } catch {
    return false;
  }
}

async function cachedEntriesOf(modelId: string): Promise<{ cache: Cache; requests: Request[] }> {
  const cache = await caches.open(MODEL_CACHE_NAME);
  const requests = (await cache.keys()).filter((r) => isFileOfModel(r.url, modelId));
  return { cache, requests };
}

export async function cachedModel(modelId: string): Promise<CachedModel> {
  const { cache, requests } = await cachedEntriesOf(modelId);
  let bytes = 0;
  for (const request of requests) {
    const response = await cache.match(request);
    const declared = Number(response?.headers.get('content-length') ?? NaN);
    // A blob of a cached response is a handle to the stored body: its size costs no read.
    bytes += Number.isFinite(declared) ? declared : ((await response?.blob())?.size ?? 0);
  }
  return { files: requests.length, bytes };
}

export async function deleteCachedModel(modelId: string): Promise<number> {
  const { cache, requests } = await cachedEntriesOf(modelId);
  await Promise.all(requests.map((r) => cache.delete(r)));
  return requests.length;
}

/** Every cache this extension made (model weights): settings are cleared by the caller. */
export async function deleteAllCaches(): Promise<void> {
  await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
}
