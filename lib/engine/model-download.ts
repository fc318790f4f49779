/**
 * The fetch transformers.js uses for model files (`env.fetch`), made safe to wait on: every request has
 * a deadline for its response headers and for each stretch of body bytes, files with a recorded sha256
 * are hashed before transformers.js (or its cache) sees a byte, and every failure says which host, which
 * file and what it looks like (offline, blocked, missing, stalled, tampered), as a value the engine host
 * can show next to a Retry button.
 *
 * Pure of transformers.js: `lib/caption/captioner.ts` builds one of these per model load and routes
 * `env.fetch` to it.
 */
import { t } from '../i18n';

/** Bytes of one model file that arrived from the network (cached files report nothing: nothing to wait for). */
export interface ModelFileProgress {
  file: string;
  loadedBytes: number;
  totalBytes: number;
  done: boolean;
}

/**
 * - offline: the device has no network (`navigator.onLine === false`).
 * - blocked: the host refused the connection or the request (connection refused, CORS, a firewall or an
 *   extension in the way, HTTP 401/403/451).
 * - missing: the host has no such file at that revision (HTTP 404).
 * - stalled: the download started but did not finish: no answer, no body bytes for a while, or the
 *   connection broke off mid-file.
 * - integrity: the bytes differ from the sha256 AltSight recorded for that file; they were not used.
 * - http: any other HTTP error (5xx, 429, …).
 */
export type ModelDownloadFailureKind = 'offline' | 'blocked' | 'missing' | 'stalled' | 'integrity' | 'http';

export interface ModelDownloadFailure {
  kind: ModelDownloadFailureKind;
  /** host[:port] of the model host, as the user configured it. */
  host: string;
  /** Path of the file inside the model repository, e.g. `onnx/encoder_model.onnx`. */
  file: string;
  /** One sentence for the user. */
  message: string;
}

/** Carries a ModelDownloadFailure through transformers.js, which only knows exceptions. */
export class ModelDownloadError extends Error {
  override readonly name = 'ModelDownloadError';
  constructor(readonly failure: ModelDownloadFailure) {
    super(failure.message);
  }
}

export function isModelDownloadError(err: unknown): err is ModelDownloadError {
  return err instanceof ModelDownloadError;
}

/** The Hub answers in well under a second; 30 s without headers is a host that accepted and went quiet. */
export const MODEL_RESPONSE_DEADLINE_MS = 30_000;
/** A slow link still delivers a chunk every few seconds; 30 s without one is a stall, not a slow line. */
export const MODEL_STALL_DEADLINE_MS = 30_000;

export interface ModelDownloadOptions {
  /** URL every file of this model starts with: `{remoteHost}/{model id}/resolve/{revision}/`. */
  repoBaseUrl: string;
  /** For messages ("no file X at revision Y"). */
  revision: string;
  /** sha256 (lowercase hex) by file path in the repository; files listed here are verified. */
  sha256ByFile?: Readonly<Record<string, string>>;
  responseDeadlineMs?: number;
  stallDeadlineMs?: number;
  onFileProgress?: (progress: ModelFileProgress) => void;
  /** The network; `globalThis.fetch` unless a test supplies one. */
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
  /** `navigator.onLine` where there is one; Node has none and counts as online. */
  isOnline?: () => boolean;
}

export type ModelFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface ModelDownloads {
  /** Whether `url` is a file of this model (starts with its repoBaseUrl). */
  covers(url: string): boolean;
  /** Drop-in for `fetch`, for files of this model. */
  fetch: ModelFetch;
  /**
   * The download failure behind an error transformers.js threw, if a download caused it: our own errors
   * come back as they are; a 404 we passed through (transformers.js decides whether a file is optional)
   * comes back as 'missing' once transformers.js reports that it needed the file.
   */
  failureBehind(err: unknown): ModelDownloadFailure | null;
  /** Aborts every request of this model still running (the load failed elsewhere: stop downloading). */
  cancel(): void;
}

export function modelDownloads(options: ModelDownloadOptions): ModelDownloads {
  const {
    repoBaseUrl,
    revision,
    sha256ByFile = {},
    responseDeadlineMs = MODEL_RESPONSE_DEADLINE_MS,
    stallDeadlineMs = MODEL_STALL_DEADLINE_MS,
    onFileProgress = () => undefined,
    fetch: network = (input, init) => globalThis.fetch(input, init),
    isOnline = defaultIsOnline,
  } = options;
  /** Files the host answered 404 for, by URL: they are failures only if transformers.js needed them. */
  const missingByUrl = new Map<string, ModelDownloadFailure>();
  const cancelled = new AbortController();

  /** The file's path in the repository, as sha256ByFile and messages name it. */
  const fileOf = (url: string) => {
    if (!url.startsWith(repoBaseUrl)) return hostOf(url) === url ? url : new URL(url).pathname;
    return decodeURIComponent(url.slice(repoBaseUrl.length).split('?')[0]!);
  };

  async function fetchModelFile(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = String(input);
    const host = hostOf(url);
    const file = fileOf(url);
    const fail = (kind: ModelDownloadFailureKind, message: string) => new ModelDownloadError({ kind, host, file, message });

    const abort = new AbortController();
    const signal = AbortSignal.any([abort.signal, cancelled.signal, ...(init.signal ? [init.signal] : [])]);
    let response: Response;
    let headersTimer: ReturnType<typeof setTimeout> | undefined;
    // Raced as well as aborted: the deadline holds even for a fetch that ignores its signal.
    const noAnswer = new Promise<never>((_, reject) => {
      headersTimer = setTimeout(() => {
        abort.abort();
        reject(fail('stalled', t('modelFileStalledHeaders', host, file, duration(responseDeadlineMs))));
      }, responseDeadlineMs);
    });
    try {
      response = await Promise.race([network(url, { ...init, signal }), noAnswer]);
    } catch (err) {
      if (isModelDownloadError(err)) throw err;
      if (init.signal?.aborted || cancelled.signal.aborted) throw err; // cancelled on purpose: not a download failure
      throw networkFailure(fail, host, file, isOnline(), err);
    } finally {
      clearTimeout(headersTimer);
    }

    if (response.status === 404) {
      const failure = { kind: 'missing', host, file, message: t('modelFileMissing', host, file, revision) } as const;
      missingByUrl.set(url, failure);
      await response.body?.cancel().catch(() => undefined);
      return response; // transformers.js knows which files are optional
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      if (response.status === 401) {
        // The Hub answers 401 for a repository that does not exist as well as for a private or gated one.
        throw fail('blocked', t('modelFileUnauthorized', host, file));
      }
      if (response.status === 403 || response.status === 451) {
        throw fail('blocked', t('modelFileRefused', host, file, response.status));
      }
      throw fail('http', t('modelFileHttpError', host, response.status, file));
    }

    // fetch hands over decoded bytes; a content-length of the encoded body would be the wrong total.
    const encoded = response.headers.has('content-encoding');
    const totalBytes = encoded ? 0 : Number(response.headers.get('content-length') ?? 0) || 0;
    const headers = new Headers(response.headers);
    headers.delete('content-encoding');
    if (encoded) headers.delete('content-length');
    const body = watchedBody(response, {
      stallDeadlineMs,
      onBytes: (loadedBytes) => onFileProgress({ file, loadedBytes, totalBytes: Math.max(totalBytes, loadedBytes), done: false }),
      onBrokenOff: (loadedBytes, err) =>
        isOnline()
          ? fail('stalled', t('modelFileBrokeOff', file, host, byteSize(loadedBytes), messageOf(err)))
          : fail('offline', t('modelFileWentOffline', file, host)),
      onStalled: (loadedBytes) => {
        const sofar = totalBytes ? t('modelFileSizeOf', byteSize(loadedBytes), byteSize(totalBytes)) : byteSize(loadedBytes);
        return fail('stalled', t('modelFileStalled', host, file, duration(stallDeadlineMs), sofar));
      },
      abort: () => abort.abort(),
    });

    const expectedSha256 = sha256ByFile[file];
    if (expectedSha256 === undefined) {
      // Unrecorded files stream through, so a 600 MB fp32 decoder is not held twice.
      return new Response(body.stream((loadedBytes) => onFileProgress({ file, loadedBytes, totalBytes: loadedBytes, done: true })), {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    }
    // Hashed before anything downstream sees a byte: a tampered file never reaches the model or the cache.
    const bytes = await body.all();
    if ((await sha256Hex(bytes)) !== expectedSha256.toLowerCase()) {
      throw fail('integrity', t('modelFileIntegrity', file, host));
    }
    onFileProgress({ file, loadedBytes: bytes.byteLength, totalBytes: bytes.byteLength, done: true });
    headers.set('content-length', String(bytes.byteLength));
    return new Response(bytes, { status: response.status, statusText: response.statusText, headers });
  }

  return {
    covers: (url) => url.startsWith(repoBaseUrl),
    fetch: fetchModelFile,
    cancel: () => cancelled.abort(),
    failureBehind(err) {
      if (isModelDownloadError(err)) return err.failure;
      const text = err instanceof Error ? err.message : String(err);
      for (const [url, failure] of missingByUrl) if (text.includes(url)) return failure;
      return null;
    },
  };
}

/** sha256 of `bytes`, lowercase hex, as `sha256sum` prints it. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

interface BodyWatch {
  stallDeadlineMs: number;
  onBytes(loadedBytes: number): void;
  onStalled(loadedBytes: number): ModelDownloadError;
  onBrokenOff(loadedBytes: number, err: unknown): ModelDownloadError;
  /** Drops the connection once we give up on it. */
  abort(): void;
}

/**
 * A response body read under a stall watchdog: each read must bring bytes within `stallDeadlineMs`.
 * Only time spent waiting on the network counts, never time the consumer takes between reads.
 */
function watchedBody(response: Response, watch: BodyWatch) {
  const reader = response.body?.getReader() ?? null;
  let loadedBytes = 0;

  async function nextChunk(): Promise<Uint8Array | null> {
    if (!reader) return null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<'stalled'>((resolve) => (timer = setTimeout(() => resolve('stalled'), watch.stallDeadlineMs)));
    try {
      const result = await Promise.race([reader.read(), stalled]);
      if (result === 'stalled') {
        watch.abort();
        void reader.cancel().catch(() => undefined);
        throw watch.onStalled(loadedBytes);
      }
      if (result.done) return null;
      loadedBytes += result.value.byteLength;
      watch.onBytes(loadedBytes);
      return result.value;
    } catch (err) {
      if (isModelDownloadError(err)) throw err;
      throw watch.onBrokenOff(loadedBytes, err);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async all(): Promise<Uint8Array<ArrayBuffer>> {
      const chunks: Uint8Array[] = [];
      for (let chunk = await nextChunk(); chunk; chunk = await nextChunk()) chunks.push(chunk);
      const bytes = new Uint8Array(loadedBytes);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return bytes;
    },
    stream(onDone: (loadedBytes: number) => void): ReadableStream<Uint8Array> {
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await nextChunk();
          if (chunk) return controller.enqueue(chunk);
          onDone(loadedBytes);
          controller.close();
        },
        cancel: (reason) => reader?.cancel(reason),
      });
    },
  };
}

function networkFailure(
  fail: (kind: ModelDownloadFailureKind, message: string) => ModelDownloadError,
  host: string,
  file: string,
  online: boolean,
  err: unknown,
): ModelDownloadError {
  if (!online) return fail('offline', t('modelFileOffline', file, host));
  // Browsers say only "Failed to fetch" for refused connections, DNS failures and CORS alike; Node says why.
  const cause = (err as { cause?: { code?: string } } | null)?.cause?.code;
  return fail('blocked', cause ? t('modelFileUnreachableBecause', host, file, cause) : t('modelFileUnreachable', host, file));
}

function defaultIsOnline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  return nav?.onLine !== false;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function byteSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  return bytes < 1_000_000 ? `${Math.round(bytes / 1000)} kB` : `${Math.round(bytes / 100_000) / 10} MB`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
