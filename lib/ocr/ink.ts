/** Which columns of a text strip hold ink: the rule the OCR stages that look at pixels share. */
import type { RgbImage } from './raster';

/** Pixels differing from the paper (the median grey) by this share of the strip's contrast are ink. */
const INK_CONTRAST_SHARE = 0.4;
/** Below this many grey levels of contrast the strip is blank. */
const MIN_INK_CONTRAST = 8;

/**
 * 1 for each column with ink between rows fromRow and toRow (exclusive; the whole height by default).
 * Paper is the median grey of those rows, so dark-on-light and light-on-dark both work.
 */
export function inkColumns(strip: RgbImage, fromRow = 0, toRow = strip.heightPx): Uint8Array {
  const { widthPx, data } = strip;
  const top = Math.max(0, Math.min(fromRow, strip.heightPx));
  const bottom = Math.max(top, Math.min(toRow, strip.heightPx));
  const count = (bottom - top) * widthPx;
  const grey = new Uint8Array(count);
  // A histogram gives the median without sorting every pixel.
  const histogram = new Uint32Array(256);
  for (let p = 0; p < count; p++) {
    const i = (top * widthPx + p) * 3;
    const value = Math.round((data[i]! + data[i + 1]! + data[i + 2]!) / 3);
    grey[p] = value;
    histogram[value]!++;
  }
  let paper = 0;
  for (let seen = 0; paper < 256; paper++) {
    seen += histogram[paper]!;
    if (seen > count / 2) break;
  }
  let contrast = 0;
  for (const value of grey) contrast = Math.max(contrast, Math.abs(value - paper));
  const ink = new Uint8Array(widthPx);
  if (contrast < MIN_INK_CONTRAST) return ink;
  const threshold = INK_CONTRAST_SHARE * contrast;
  for (let p = 0; p < count; p++) if (Math.abs(grey[p]! - paper) > threshold) ink[p % widthPx] = 1;
  return ink;
}
