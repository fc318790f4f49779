/** Size limits on images the engine will touch. */
import type { JobFailure } from '../engine/jobs';
import { t } from '../i18n';
import type { SniffedImage } from './sniff';

/** Larger downloads are refused: no alt-worthy picture needs 40 MB, and memory is shared with the page. */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;
/** Decode cap: 8000 × 8000. Anything bigger is a decompression bomb or a scan no caption helps. */
export const MAX_DECODED_PIXELS = 64_000_000;
/** Decoders produce RGBA, 4 bytes a pixel. */
export const DECODED_BYTES_PER_PIXEL = 4;
/**
 * The most decoded bytes a file can yield per byte of its own, for files whose pixel size we can't read:
 * progressive Huffman JPEG can spend 1 bit on an 8×8 grey block (a 1-bit DC code, end-of-band runs for
 * the rest), 64 px × 4 B per 1/8 B = 2048:1. Deflate (PNG) tops out at 1032:1. AV1 has no such bound,
 * but libavif refuses image items without `ispe`, which is the only way an AVIF lacks a size for us.
 */
export const WORST_DECODED_BYTES_PER_FILE_BYTE = 2048;
/**
 * A raster file that doesn't state its size (a JPEG with no frame header before its image data, an AVIF
 * without `ispe`) is only decoded when it is this small (125,000 B): then even at the worst ratio above
 * it can't decode past MAX_DECODED_PIXELS. Real images always state their size, so this only lets
 * small oddities through to the decoder, which is then checked again by the decoded bitmap's size.
 */
export const MAX_UNKNOWN_SIZE_IMAGE_BYTES = (MAX_DECODED_PIXELS * DECODED_BYTES_PER_PIXEL) / WORST_DECODED_BYTES_PER_FILE_BYTE;
/**
 * SVG is rasterised at the model's size, so pixels aren't its risk; parsing is, and it happens on the
 * engine host's main thread, which no deadline can interrupt. Illustrations and maps stay well below this.
 */
export const MAX_SVG_BYTES = 8 * 1024 * 1024;

/**
 * Images are downscaled to this long side before crossing a process boundary or reaching the model;
 * captioners look at 224-384 px, so more only costs time.
 */
export const MODEL_INPUT_MAX_SIDE_PX = 512;

/** OCR reads from the full-resolution image, up to this long side (the detector caps its own input). */
export const OCR_INPUT_MAX_SIDE_PX = 4096;

/** Target size that fits the long side into maxSidePx, never upscaling. */
export function fitWithin(widthPx: number, heightPx: number, maxSidePx: number): { widthPx: number; heightPx: number } {
  const scale = Math.min(1, maxSidePx / Math.max(widthPx, heightPx));
  return { widthPx: Math.max(1, Math.round(widthPx * scale)), heightPx: Math.max(1, Math.round(heightPx * scale)) };
}

/** Whether a sniffed file may be decoded: its declared size within the cap, or small enough not to matter. */
export function checkDecodeSize(sniffed: SniffedImage, fileBytes: number): { ok: true } | JobFailure {
  if (sniffed.format === 'svg') {
    return fileBytes <= MAX_SVG_BYTES
      ? { ok: true }
      : { ok: false, reason: 'too-large', message: t('imageSvgTooLarge', formatMegabytes(fileBytes)) };
  }
  if (sniffed.widthPx === null || sniffed.heightPx === null) {
    return fileBytes <= MAX_UNKNOWN_SIZE_IMAGE_BYTES
      ? { ok: true }
      : {
          ok: false,
          reason: 'too-large',
          message: t('imageSizeUnknown', formatMegabytes(fileBytes)),
        };
  }
  if (sniffed.widthPx * sniffed.heightPx > MAX_DECODED_PIXELS) {
    return {
      ok: false,
      reason: 'too-large',
      message: t('imageTooLargeToDecode', sniffed.widthPx, sniffed.heightPx),
    };
  }
  return { ok: true };
}

/** "3.2 MB", "0.4 MB": file sizes as people read them. */
export function formatMegabytes(bytes: number): string {
  const megabytes = bytes / 1024 / 1024;
  return `${megabytes >= 10 ? Math.round(megabytes) : Math.max(0.1, Math.round(megabytes * 10) / 10)} MB`;
}
