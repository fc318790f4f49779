/** Size limits on images the engine will touch. */

/** Larger downloads are refused: no alt-worthy picture needs 40 MB, and memory is shared with the page. */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;
/** Decode cap: 8000 × 8000. Anything bigger is a decompression bomb or a scan no caption helps. */
export const MAX_DECODED_PIXELS = 64_000_000;
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
