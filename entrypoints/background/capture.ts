/**
 * Region OCR reads from a capture of the visible tab, so text in cross-origin iframes, canvases and
 * videos can be read too. Cropped here, at device resolution, so only the selection travels on.
 */
import { browser } from 'wxt/browser';
import { failure, type JobFailure } from '@/lib/engine/jobs';
import { t } from '@/lib/i18n';
import { isUsableSelection, toCapturePixels, type Rect } from '@/lib/page/region';

/** A capture is kept this long after it was taken or last read, for "Read as handwriting" and Retry. */
const CAPTURE_KEPT_MS = 5 * 60_000;
/** Captures kept per tab: the panel shows one at a time, so older ones are of no use. */
const CAPTURES_PER_TAB = 2;

/** Captures of each tab, read by id until they expire or newer ones replace them. */
export class PendingCaptures {
  private readonly byId = new Map<string, { tabId: number; pngDataUrl: string; expiresAt: number }>();

  keep(tabId: number, pngDataUrl: string): string {
    const now = Date.now();
    for (const [id, c] of this.byId) if (c.expiresAt < now) this.byId.delete(id);
    const ofTab = [...this.byId].filter(([, c]) => c.tabId === tabId);
    for (const [id] of ofTab.slice(0, Math.max(0, ofTab.length - CAPTURES_PER_TAB + 1))) this.byId.delete(id);
    const id = crypto.randomUUID();
    this.byId.set(id, { tabId, pngDataUrl, expiresAt: now + CAPTURE_KEPT_MS });
    return id;
  }

  /** The capture, only for the tab that took it, while it is kept. */
  read(tabId: number, id: string): string | null {
    const capture = this.byId.get(id);
    if (!capture || capture.tabId !== tabId || capture.expiresAt < Date.now()) return null;
    capture.expiresAt = Date.now() + CAPTURE_KEPT_MS;
    return capture.pngDataUrl;
  }
}

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
