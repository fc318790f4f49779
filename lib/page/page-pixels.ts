/**
 * Pixels of a data:/blob: image, read from the page's own <img>: only the page can resolve those URLs.
 * Downscaled here so megapixel images never cross the process boundary.
 */
import { MODEL_INPUT_MAX_SIDE_PX, fitWithin } from '../images/limits';

export async function pngFromLoadedImage(img: HTMLImageElement): Promise<string> {
  if (!img.complete || img.naturalWidth === 0) await img.decode();
  // SVG without intrinsic size reports 0×0; draw it at the model's size.
  const natural = img.naturalWidth > 0 ? { w: img.naturalWidth, h: img.naturalHeight } : { w: MODEL_INPUT_MAX_SIDE_PX, h: MODEL_INPUT_MAX_SIDE_PX };
  const target = fitWithin(natural.w, natural.h, MODEL_INPUT_MAX_SIDE_PX);
  const canvas = document.createElement('canvas');
  canvas.width = target.widthPx;
  canvas.height = target.heightPx;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas available.');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png');
}
