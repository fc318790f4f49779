/**
 * Turns an image source into RGBA pixels the captioner can use, in the engine host. Decoding runs where
 * there is a DOM (offscreen document / background page) because SVG needs an <img> to rasterise; the
 * network part (fetchImageBytes) needs only fetch and streams, so it also runs, and is tested, in Node.
 *
 * Every wait has a deadline: the download (connect, headers and body) is cut at `fetchMs`, the decode at
 * `decodeMs`, and either ends at once when the job's signal aborts.
 */
import type { FailureReason, ImageRequester, ImageSource, JobDeadlines, JobFailure } from '../engine/jobs';
import { t } from '../i18n';
import { isSameOriginAsRequester, planImageFetch, planRedirectHop, type ImageCredentials } from './fetch-policy';
import { MAX_DECODED_PIXELS, MAX_IMAGE_BYTES, checkDecodeSize, fitWithin, formatMegabytes } from './limits';
import { isPlainPng, sniffImage, type SniffedImage } from './sniff';

export interface Pixels {
  rgba: Uint8ClampedArray;
  widthPx: number;
  heightPx: number;
}

/** `decodedBy` says which path made the pixels (they are the same bytes either way; see decodesDirectly). */
export type LoadedImage = { ok: true; pixels: Pixels; decodedBy: 'image-decoder' | 'canvas' } | JobFailure;

export interface ImageLoadOptions {
  /** Long side of the pixels handed back (the model's input, or the OCR cap). */
  maxSidePx: number;
  /** Whose page the image is on: decides cookies and which hosts may be reached (see fetch-policy.ts). */
  requester: ImageRequester;
  /** The job's signal: aborting it ends the download or stops waiting for the decoder at once. */
  signal: AbortSignal;
  deadlines: Pick<JobDeadlines, 'fetchMs' | 'decodeMs'>;
}

/** An image file's bytes as downloaded, with the type its server claimed (for messages only: we sniff). */
export type ImageBytes = { ok: true; bytes: Uint8Array<ArrayBuffer>; contentType: string } | JobFailure;

export interface ImageFetchOptions {
  signal: AbortSignal;
  /** From the request to the last byte of the body. */
  fetchMs: number;
  /** The network; tests pass a fake one. */
  fetchImpl?: typeof fetch;
}

/** SVGs without an intrinsic size get the browser's replaced-element default. */
const SVG_DEFAULT_SIZE = { widthPx: 300, heightPx: 150 };

export async function loadImageForModel(source: ImageSource, options: ImageLoadOptions): Promise<LoadedImage> {
  const fetchOptions: ImageFetchOptions = { signal: options.signal, fetchMs: options.deadlines.fetchMs };
  const downloaded =
    source.kind === 'url'
      ? await fetchImageBytes(source.url, options.requester, fetchOptions)
      : await readPagePixelsBytes(source.pngDataUrl, fetchOptions);
  if (!downloaded.ok) return downloaded;
  return decodeImageBytes(downloaded.bytes, downloaded.contentType, options);
}

export interface ImageDecodeOptions extends Pick<ImageLoadOptions, 'maxSidePx' | 'signal'> {
  deadlines: Pick<JobDeadlines, 'decodeMs'>;
  /** Decode through the canvas even where ImageDecoder could: the reference the tests hold that path to. */
  canvasOnly?: boolean;
}

/** An image file's bytes as RGBA pixels at most maxSidePx on the long side; `contentType` only words a failure. */
export async function decodeImageBytes(bytes: Uint8Array<ArrayBuffer>, contentType: string, options: ImageDecodeOptions): Promise<LoadedImage> {
  if (bytes.length === 0) return failure('not-an-image', t('imageEmpty'));
  const sniffed = sniffImage(bytes);
  if (!sniffed) {
    return failure('not-an-image', contentType ? t('imageNotAnImageTyped', contentType) : t('imageNotAnImage'));
  }
  const decodable = checkDecodeSize(sniffed, bytes.length);
  if (!decodable.ok) return decodable;
  if (sniffed.format === 'svg') return rasteriseSvg(new Blob([bytes], { type: 'image/svg+xml' }), options);
  if (!options.canvasOnly && decodesDirectly(bytes, sniffed, options.maxSidePx)) {
    const direct = await decodePlainPng(bytes, options);
    if (direct) return direct;
  }
  return decodeRaster(new Blob([bytes]), options);
}

/**
 * Whether the image can skip the canvas: a plain PNG (stored samples are its pixels: isPlainPng) needed
 * at its own size. ImageDecoder's RGBA copy of it is byte for byte what bitmap, canvas and getImageData
 * give, in a third of their time (Chromium: 5.6 against 13.2 ms for a 1,300×400 line of handwriting, 294
 * against 439 ms for a 2,560×3,300 scan). Everything else (JPEG, which ImageDecoder hands over as YUV and
 * converts with other rounding; a smaller copy, which the canvas resamples) goes through the canvas.
 */
function decodesDirectly(bytes: Uint8Array, sniffed: SniffedImage, maxSidePx: number): boolean {
  // checkDecodeSize has already refused a size past MAX_DECODED_PIXELS.
  if (sniffed.format !== 'png' || sniffed.widthPx === null || sniffed.heightPx === null) return false;
  if (Math.max(sniffed.widthPx, sniffed.heightPx) > maxSidePx) return false;
  return typeof ImageDecoder === 'function' && isPlainPng(bytes);
}

/** The frame formats whose RGBA copy is the stored samples, reordered; with alpha, only if all opaque. */
const RGB_FRAME_FORMATS = new Set<VideoPixelFormat>(['RGBA', 'RGBX', 'BGRA', 'BGRX']);

/**
 * A plain PNG's pixels straight from ImageDecoder, or null where that path can't promise the canvas's
 * bytes (a frame in another format, transparency, which the canvas draws on white) or fails at all: the
 * caller then decodes through the canvas, which also words any failure. Within the decode deadline; a
 * fallback after it gets its own, so a decode waits two deadlines at most.
 */
async function decodePlainPng(bytes: Uint8Array<ArrayBuffer>, options: ImageDecodeOptions): Promise<LoadedImage | null> {
  const deadline = startDeadline(options.signal, options.deadlines.decodeMs, 'decode');
  let decoder: ImageDecoder | null = null;
  // Closing the decoder ends a decode in progress (it rejects, unheard).
  const stop = () => closeQuietly(decoder);
  deadline.signal.addEventListener('abort', stop, { once: true });
  try {
    decoder = new ImageDecoder({ data: bytes, type: 'image/png', preferAnimation: false });
    const decoded = await untilAborted(decoder.decode({ frameIndex: 0 }), deadline.signal, (late) => late.image.close());
    if (!decoded.done) return deadline.stopped();
    const frame = decoded.value.image;
    try {
      if (!frame.format || !RGB_FRAME_FORMATS.has(frame.format)) return null;
      const { displayWidth: widthPx, displayHeight: heightPx } = frame;
      const rgba = new Uint8ClampedArray(widthPx * heightPx * 4);
      const copied = await untilAborted(frame.copyTo(rgba, { format: 'RGBA' }), deadline.signal);
      if (!copied.done) return deadline.stopped();
      if ((frame.format === 'RGBA' || frame.format === 'BGRA') && !isOpaque(rgba)) return null;
      return { ok: true, pixels: { rgba, widthPx, heightPx }, decodedBy: 'image-decoder' };
    } finally {
      frame.close();
    }
  } catch {
    return deadline.signal.aborted ? deadline.stopped() : null;
  } finally {
    deadline.signal.removeEventListener('abort', stop);
    closeQuietly(decoder);
    deadline.dispose();
  }
}

/** Every alpha byte 255 (read four bytes at a time: alpha is the top byte of a little-endian word). */
function isOpaque(rgba: Uint8ClampedArray<ArrayBuffer>): boolean {
  const words = new Uint32Array(rgba.buffer, rgba.byteOffset, rgba.length / 4);
  for (let i = 0; i < words.length; i++) if (words[i]! < 0xff000000) return false;
  return true;
}

function closeQuietly(decoder: ImageDecoder | null): void {
  try {
    decoder?.close();
  } catch {
    // already closed
  }
}

/**
 * Downloads an http(s) image for `requester` under the fetch policy, streaming the body with a running
 * byte cap, all within `fetchMs`.
 *
 * Redirects: a request that carries cookies is sent with `redirect: 'manual'`, so a cookie never follows
 * a redirect to another origin; if it is redirected we ask once more without cookies and let the browser
 * follow. A request without cookies follows redirects, and the final address is checked against the
 * policy before any of its body is read. What this can't stop: when following, the requests to each
 * redirect target have already gone out by the time we see where we ended up (we only refuse to read
 * the answer, and hops in between aren't visible at all); and the policy sees host names, not the
 * addresses DNS gives them, so a public name that resolves to a private address (or rebinds to one) gets
 * through here.
 */
export async function fetchImageBytes(
  imageUrl: string,
  requester: ImageRequester,
  options: ImageFetchOptions,
): Promise<ImageBytes> {
  const plan = planImageFetch(imageUrl, requester);
  if (!plan.allowed) return failure(plan.reason, plan.message);
  const fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const deadline = startDeadline(options.signal, options.fetchMs, 'download');
  try {
    const request = (credentials: ImageCredentials) =>
      untilAborted(
        fetchImpl(imageUrl, {
          credentials,
          redirect: credentials === 'include' ? 'manual' : 'follow',
          signal: deadline.signal,
        }),
        deadline.signal,
      );

    let credentials = plan.credentials;
    let answered = await request(credentials);
    if (!answered.done) return deadline.stopped();
    if (credentials === 'include' && isRedirect(answered.value)) {
      discardBody(answered.value);
      // Browsers hide a manual redirect's target (an opaque redirect); where it is visible, a refused hop
      // is refused before asking again.
      const target = resolveUrl(answered.value.headers.get('location'), imageUrl);
      if (target) {
        const hop = planRedirectHop(imageUrl, credentials, target, requester);
        if (!hop.allowed) return failure(hop.reason, hop.message);
      }
      credentials = 'omit';
      answered = await request(credentials);
      if (!answered.done) return deadline.stopped();
    }
    const response = answered.value;
    const finalUrl = response.url || imageUrl;
    const landed = planRedirectHop(imageUrl, credentials, finalUrl, requester);
    if (!landed.allowed) {
      discardBody(response);
      return failure(landed.reason, landed.message);
    }
    if (!response.ok) {
      discardBody(response);
      return failureForStatus(response.status, credentials, finalUrl, requester);
    }
    return await readImageBody(response, deadline);
  } catch {
    if (deadline.signal.aborted) return deadline.stopped();
    return failure('network', t('imageNetwork'));
  } finally {
    deadline.dispose();
  }
}

/**
 * Pixels only the page had arrive as a PNG data URL built by our content script or background. They
 * aren't subject to the network policy, but anything other than a data: URL here would be a way around
 * it, so only data: URLs are read.
 */
async function readPagePixelsBytes(dataUrl: string, options: ImageFetchOptions): Promise<ImageBytes> {
  if (!/^data:/i.test(dataUrl)) return failure('unsupported-source', t('imagePixelsNotDataUrl'));
  const fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const deadline = startDeadline(options.signal, options.fetchMs, 'download');
  try {
    const answered = await untilAborted(fetchImpl(dataUrl, { signal: deadline.signal }), deadline.signal);
    if (!answered.done) return deadline.stopped();
    return await readImageBody(answered.value, deadline);
  } catch {
    if (deadline.signal.aborted) return deadline.stopped();
    return failure('not-an-image', t('imagePageDataUnreadable'));
  } finally {
    deadline.dispose();
  }
}

function failureForStatus(status: number, credentials: ImageCredentials, finalUrl: string, requester: ImageRequester): JobFailure {
  if (status === 404 || status === 410) return failure('not-found', t('imageNotFound', status));
  if (status === 401 || status === 403) {
    if (credentials === 'omit' && !isSameOriginAsRequester(finalUrl, requester)) {
      return failure('needs-sign-in', requester.userAsked ? t('imageSignInRedirect') : t('imageSignIn'));
    }
    return failure('forbidden', t('imageForbidden', status));
  }
  return failure('network', t('imageHttpError', status));
}

/** Reads the body chunk by chunk, refusing as soon as it passes MAX_IMAGE_BYTES, within the deadline. */
async function readImageBody(response: Response, deadline: Deadline): Promise<ImageBytes> {
  const contentType = response.headers.get('content-type') ?? '';
  const declaredBytes = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declaredBytes > MAX_IMAGE_BYTES) {
    discardBody(response);
    return failure('too-large', t('imageFileTooLarge', formatMegabytes(declaredBytes)));
  }
  if (!response.body) return { ok: true, bytes: new Uint8Array(0), contentType };

  const reader = response.body.getReader();
  // Aborting the fetch errors its body in browsers; cancelling also ends streams that don't listen.
  const cancel = () => void reader.cancel().catch(() => {});
  deadline.signal.addEventListener('abort', cancel, { once: true });
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  try {
    for (;;) {
      const read = await untilAborted(reader.read(), deadline.signal);
      if (!read.done) return deadline.stopped();
      if (read.value.done) break;
      receivedBytes += read.value.value.byteLength;
      if (receivedBytes > MAX_IMAGE_BYTES) {
        cancel();
        return failure('too-large', t('imageFileOverLimit', formatMegabytes(MAX_IMAGE_BYTES)));
      }
      chunks.push(read.value.value);
    }
  } catch {
    if (deadline.signal.aborted) return deadline.stopped();
    return failure('network', t('imageDownloadBroke'));
  } finally {
    deadline.signal.removeEventListener('abort', cancel);
  }
  const bytes = new Uint8Array(receivedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes, contentType };
}

async function decodeRaster(blob: Blob, options: ImageDecodeOptions): Promise<LoadedImage> {
  const deadline = startDeadline(options.signal, options.deadlines.decodeMs, 'decode');
  try {
    // createImageBitmap can't be aborted: past the deadline we stop waiting, and close the bitmap if it
    // arrives later. It decodes the first frame of animated GIF/WebP/APNG, which is what we caption.
    const decoded = await untilAborted(createImageBitmap(blob), deadline.signal, (late) => late.close());
    if (!decoded.done) return deadline.stopped();
    const full = decoded.value;
    try {
      // Files that didn't state their size were only let through when small; check what they became.
      if (full.width * full.height > MAX_DECODED_PIXELS) {
        return failure('too-large', t('imageTooManyPixels', full.width, full.height));
      }
      const target = fitWithin(full.width, full.height, options.maxSidePx);
      return { ok: true, pixels: draw(full, target.widthPx, target.heightPx), decodedBy: 'canvas' };
    } finally {
      full.close();
    }
  } catch {
    if (deadline.signal.aborted) return deadline.stopped();
    return decodeFailed();
  } finally {
    deadline.dispose();
  }
}

async function rasteriseSvg(blob: Blob, options: ImageDecodeOptions): Promise<LoadedImage> {
  const deadline = startDeadline(options.signal, options.deadlines.decodeMs, 'decode');
  const url = URL.createObjectURL(blob);
  const img = new Image();
  try {
    img.src = url;
    const decoded = await untilAborted(img.decode(), deadline.signal);
    if (!decoded.done) {
      img.removeAttribute('src'); // stop the load; the pending decode() rejects, unheard
      return deadline.stopped();
    }
    const natural =
      img.naturalWidth > 0 && img.naturalHeight > 0
        ? { widthPx: img.naturalWidth, heightPx: img.naturalHeight }
        : SVG_DEFAULT_SIZE;
    // Vector art is drawn straight at the model's size; small icons are scaled up to it.
    const scale = options.maxSidePx / Math.max(natural.widthPx, natural.heightPx);
    const w = Math.max(1, Math.round(natural.widthPx * scale));
    const h = Math.max(1, Math.round(natural.heightPx * scale));
    return { ok: true, pixels: draw(img, w, h), decodedBy: 'canvas' };
  } catch {
    if (deadline.signal.aborted) return deadline.stopped();
    return decodeFailed();
  } finally {
    URL.revokeObjectURL(url);
    deadline.dispose();
  }
}

/** A smaller copy, for when one decode serves OCR (full size) and a caption (model size). */
export function downscalePixels(pixels: Pixels, maxSidePx: number): Pixels {
  const target = fitWithin(pixels.widthPx, pixels.heightPx, maxSidePx);
  if (target.widthPx === pixels.widthPx && target.heightPx === pixels.heightPx) return pixels;
  const source = new OffscreenCanvas(pixels.widthPx, pixels.heightPx);
  source.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels.rgba), pixels.widthPx, pixels.heightPx), 0, 0);
  return draw(source, target.widthPx, target.heightPx);
}

/**
 * The RGBA bytes of `pixels` drawn at widthPx×heightPx as transformers.js resizes images in browsers (one
 * canvas drawn onto another, default smoothing), so a model gets the same input whoever prepares it.
 * Equal for opaque pixels, which is all this module gives (transparency is drawn on white); transformers.js
 * drops alpha before its resize.
 */
export function resizedLikeTransformersJs(pixels: Pixels, widthPx: number, heightPx: number): Uint8ClampedArray {
  if (pixels.widthPx === widthPx && pixels.heightPx === heightPx) return pixels.rgba;
  const source = new OffscreenCanvas(pixels.widthPx, pixels.heightPx);
  const bytes = pixels.rgba.buffer instanceof ArrayBuffer ? (pixels.rgba as Uint8ClampedArray<ArrayBuffer>) : new Uint8ClampedArray(pixels.rgba);
  source.getContext('2d')!.putImageData(new ImageData(bytes, pixels.widthPx, pixels.heightPx), 0, 0);
  const ctx = new OffscreenCanvas(widthPx, heightPx).getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(source, 0, 0, widthPx, heightPx);
  return ctx.getImageData(0, 0, widthPx, heightPx).data;
}

function draw(image: CanvasImageSource, widthPx: number, heightPx: number): Pixels {
  const canvas = new OffscreenCanvas(widthPx, heightPx);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas');
  // Transparent areas become white, as most pages show them.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, widthPx, heightPx);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, widthPx, heightPx);
  const rgba = ctx.getImageData(0, 0, widthPx, heightPx).data;
  // The canvas's own copy of the pixels (34 MB for a 2560×3300 scan) goes now, not at the next collection.
  canvas.width = 0;
  canvas.height = 0;
  return { rgba, widthPx, heightPx };
}

/** One stage's time limit joined with the job's signal; `stopped()` says which of the two ended it. */
interface Deadline {
  signal: AbortSignal;
  stopped(): JobFailure;
  dispose(): void;
}

function startDeadline(jobSignal: AbortSignal, limitMs: number, stage: 'download' | 'decode'): Deadline {
  const controller = new AbortController();
  let endedBy: 'job' | 'deadline' | null = null;
  const end = (by: 'job' | 'deadline') => {
    if (endedBy) return;
    endedBy = by;
    controller.abort(by === 'job' ? jobSignal.reason : new DOMException(`The ${stage} deadline passed.`, 'TimeoutError'));
  };
  const onJobAbort = () => end('job');
  const timer = setTimeout(() => end('deadline'), limitMs);
  if (jobSignal.aborted) onJobAbort();
  else jobSignal.addEventListener('abort', onJobAbort, { once: true });
  return {
    signal: controller.signal,
    stopped: () =>
      endedBy === 'deadline'
        ? failure(
            'timed-out',
            stage === 'download' ? t('imageDownloadTimedOut', formatSeconds(limitMs)) : t('imageDecodeTimedOut', formatSeconds(limitMs)),
          )
        : failure('cancelled', t('imageRequestCancelled')),
    dispose: () => {
      clearTimeout(timer);
      jobSignal.removeEventListener('abort', onJobAbort);
    },
  };
}

/**
 * Waits for `work` until `signal` aborts, whichever comes first. Work that can't be cancelled keeps
 * running; a result that arrives after the abort goes to `discardLate` (to close a bitmap), and a late
 * failure is ignored.
 */
function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  discardLate?: (value: T) => void,
): Promise<{ done: true; value: T } | { done: false }> {
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve({ done: false });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) discardLate?.(value);
        else resolve({ done: true, value });
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) reject(err);
      },
    );
  });
}

function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

/** We won't read this body: let the connection go. */
function discardBody(response: Response): void {
  response.body?.cancel().catch(() => {});
}

function resolveUrl(location: string | null, base: string): string | null {
  if (!location) return null;
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}

/** "15 s", "2.5 s", "0.15 s". */
function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds >= 10 ? Math.round(seconds) : Number(seconds.toPrecision(2))} s`;
}

function decodeFailed(): JobFailure {
  return failure('decode-failed', t('imageDecodeFailed'));
}

function failure(reason: FailureReason, message: string): JobFailure {
  return { ok: false, reason, message };
}
