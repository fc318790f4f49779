/**
 * Turns an image source into RGBA pixels the captioner can use, in the engine host. Runs where there is
 * a DOM (offscreen document / background page) because SVG needs an <img> to rasterise.
 */
import type { JobOutcome, FailureReason, ImageSource } from '../engine/jobs';
import { MAX_DECODED_PIXELS, MAX_IMAGE_BYTES, MODEL_INPUT_MAX_SIDE_PX, fitWithin } from './limits';
import { sniffImage } from './sniff';

export interface Pixels {
  rgba: Uint8ClampedArray;
  widthPx: number;
  heightPx: number;
}

export type LoadedImage = { ok: true; pixels: Pixels } | Extract<JobOutcome, { ok: false }>;

function refuse(reason: FailureReason, message: string): LoadedImage {
  return { ok: false, reason, message };
}

/** Enough header for JPEGs whose EXIF block precedes the frame header. */
const SNIFF_BYTES = 256 * 1024;
/** SVGs without an intrinsic size get the browser's replaced-element default. */
const SVG_DEFAULT_SIZE = { widthPx: 300, heightPx: 150 };

export async function loadImageForModel(source: ImageSource, maxSidePx = MODEL_INPUT_MAX_SIDE_PX): Promise<LoadedImage> {
  const blob = await download(source);
  if (!(blob instanceof Blob)) return blob;
  if (blob.size === 0) return refuse('not-an-image', 'The image file is empty.');

  const sniffed = sniffImage(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
  if (!sniffed) {
    const type = blob.type ? ` (${blob.type})` : '';
    return refuse('not-an-image', `The address returned something that is not an image${type}.`);
  }
  if (sniffed.widthPx !== null && sniffed.heightPx !== null && sniffed.widthPx * sniffed.heightPx > MAX_DECODED_PIXELS) {
    return refuse(
      'too-large',
      `The image is ${sniffed.widthPx}×${sniffed.heightPx} pixels, too large to decode safely.`,
    );
  }
  try {
    const pixels =
      sniffed.format === 'svg'
        ? await rasteriseSvg(blob, maxSidePx)
        : await decodeRaster(blob, maxSidePx);
    return { ok: true, pixels };
  } catch (err) {
    const detail = err instanceof Error && err.message ? `: ${err.message}` : '';
    return refuse('decode-failed', `The image could not be decoded${detail}.`);
  }
}

async function download(source: ImageSource): Promise<Blob | LoadedImage> {
  const url = source.kind === 'url' ? source.url : source.pngDataUrl;
  if (source.kind === 'url' && !/^https?:/i.test(url)) {
    return refuse('unsupported-source', 'Only web (http/https) images can be fetched by the engine.');
  }
  let response: Response;
  try {
    // Cookies go along so images behind a login work as they do on the page.
    response = await fetch(url, { credentials: 'include' });
  } catch {
    return refuse('network', 'The image could not be downloaded (network error or blocked).');
  }
  if (response.status === 404 || response.status === 410) {
    return refuse('not-found', `The image was not found (HTTP ${response.status}).`);
  }
  if (response.status === 401 || response.status === 403) {
    return refuse('forbidden', `The image server refused access (HTTP ${response.status}).`);
  }
  if (!response.ok) return refuse('network', `The image server answered HTTP ${response.status}.`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_IMAGE_BYTES) return tooManyBytes(declared);
  const blob = await response.blob();
  if (blob.size > MAX_IMAGE_BYTES) return tooManyBytes(blob.size);
  return blob;
}

function tooManyBytes(bytes: number): LoadedImage {
  return refuse('too-large', `The image file is ${Math.round(bytes / 1024 / 1024)} MB, more than AltSight reads.`);
}

async function decodeRaster(blob: Blob, maxSidePx: number): Promise<Pixels> {
  // createImageBitmap decodes the first frame of animated GIF/WebP/APNG, which is what we caption.
  const full = await createImageBitmap(blob);
  if (full.width * full.height > MAX_DECODED_PIXELS) {
    full.close();
    throw new Error('image too large');
  }
  const target = fitWithin(full.width, full.height, maxSidePx);
  try {
    return draw(full, target.widthPx, target.heightPx);
  } finally {
    full.close();
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

async function rasteriseSvg(blob: Blob, maxSidePx: number): Promise<Pixels> {
  const url = URL.createObjectURL(new Blob([blob], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const natural =
      img.naturalWidth > 0 && img.naturalHeight > 0
        ? { widthPx: img.naturalWidth, heightPx: img.naturalHeight }
        : SVG_DEFAULT_SIZE;
    // Vector art is drawn straight at the model's size; small icons are scaled up to it.
    const scale = maxSidePx / Math.max(natural.widthPx, natural.heightPx);
    const w = Math.max(1, Math.round(natural.widthPx * scale));
    const h = Math.max(1, Math.round(natural.heightPx * scale));
    return draw(img, w, h);
  } finally {
    URL.revokeObjectURL(url);
  }
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
  return { rgba: ctx.getImageData(0, 0, widthPx, heightPx).data, widthPx, heightPx };
}
