/**
 * Pixels of a data:/blob: image, read from the page's own <img>: only the page can resolve those URLs.
 * Downscaled here so megapixel images never cross the process boundary.
 */
import { MODEL_INPUT_MAX_SIDE_PX, fitWithin } from '../images/limits';

/**
 * Whether the page itself may read this image's pixels: its own origin's, or loaded with CORS (an image
 * with `crossorigin` that the server refused would not have loaded). Only then may its pixels stand in for
 * a fetch the engine was refused. Chrome taints our canvas otherwise, but Firefox lets a content script
 * read any image its host permissions cover, which would let a page learn, through the alt we write, what
 * a cookie-protected or private-network image shows. (A same-origin URL redirected elsewhere is beyond
 * what the element tells us; the engine's own fetch checks every hop.)
 */
export function pageCanReadPixels(img: { currentSrc: string; crossOrigin: string | null }, documentOrigin: string): boolean {
  if (img.crossOrigin !== null) return true;
  try {
    return new URL(img.currentSrc).origin === documentOrigin;
  } catch {
    return false;
  }
}

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
