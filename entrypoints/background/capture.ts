/**
 * Region OCR reads from a capture of the visible tab, so text in cross-origin iframes, canvases and
 * videos can be read too. Cropped here, at device resolution, so only the selection travels on.
 */
import { browser } from 'wxt/browser';
import { failure, type JobFailure } from '@/lib/engine/jobs';
import { t } from '@/lib/i18n';
import { isUsableSelection, toCapturePixels, type Rect } from '@/lib/page/region';

export interface CapturedRegion {
  ok: true;
  pngDataUrl: string;
}

export async function captureRegion(windowId: number, rect: Rect, viewportWidthCss: number): Promise<CapturedRegion | JobFailure> {
  if (!isUsableSelection(rect)) return failure('empty-selection', t('failureSelectTextArea'));
  let capture: string;
  try {
    capture = await browser.tabs.captureVisibleTab(windowId, { format: 'png' });
  } catch {
    return failure('capture-refused', t('failureCannotCapture'));
  }
  const bitmap = await createImageBitmap(await (await fetch(capture)).blob());
  try {
    const crop = toCapturePixels(rect, viewportWidthCss, bitmap.width, bitmap.height);
    if (!isUsableSelection(crop)) return failure('empty-selection', t('failureSelectionOffScreen'));
    const canvas = new OffscreenCanvas(crop.width, crop.height);
    canvas.getContext('2d')!.drawImage(bitmap, crop.x, crop.y, crop.width, crop.height, 0, 0, crop.width, crop.height);
    return { ok: true, pngDataUrl: await dataUrlOf(await canvas.convertToBlob({ type: 'image/png' })) };
  } finally {
    bitmap.close();
  }
}

/** Service workers have no FileReader. */
async function dataUrlOf(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return `data:${blob.type};base64,${btoa(binary)}`;
}
