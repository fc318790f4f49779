/**
 * Telling handwriting from print, and cutting its lines out for a handwriting reader. PP-OCRv4 was
 * trained on print: on handwriting it still finds the lines, but reads them with little confidence.
 */
import type { OcrLine, Quad, RgbaImage } from './types';

/**
 * Lines whose median recognition confidence is below this look handwritten. Measured with the default
 * pipeline on a real-world set (document scans, receipts, screenshots, sign photos, rotated pages and
 * three IAM handwriting paragraphs): the handwriting's median line confidence was 0.76–0.88, every
 * printed image's 0.95–1.00; all 69 images of our rendered sets (UI, articles, code, tables, small and
 * noisy text) stay above it too (`npm run bench:handwriting`). The threshold sits between the two.
 */
export const HANDWRITTEN_MEDIAN_CONFIDENCE = 0.92;
/** One or two short lines (a signature, a label) say too little to switch readers on. */
export const MIN_LINES_TO_CLASSIFY = 2;

/** Whether these lines, as the print recogniser read them, look handwritten. */
export function looksHandwritten(lines: readonly Pick<OcrLine, 'confidence'>[]): boolean {
  if (lines.length < MIN_LINES_TO_CLASSIFY) return false;
  const sorted = lines.map((l) => l.confidence).sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return median < HANDWRITTEN_MEDIAN_CONFIDENCE;
}

/**
 * Margin around a line's box, in line heights: a handwriting reader wants the whole line with its
 * ascenders, descenders and a little paper, as in the line images it was trained on (IAM).
 */
export const LINE_CROP_MARGIN_LINE_HEIGHTS = 0.15;

/** The line's box as an axis-aligned rectangle with a margin, clipped to the image. */
export function lineCropRect(box: Quad, image: { widthPx: number; heightPx: number }): { x: number; y: number; widthPx: number; heightPx: number } {
  const xs = box.map(([x]) => x);
  const ys = box.map(([, y]) => y);
  const height = Math.max(...ys) - Math.min(...ys);
  const margin = Math.round(height * LINE_CROP_MARGIN_LINE_HEIGHTS);
  const x = Math.max(0, Math.floor(Math.min(...xs)) - margin);
  const y = Math.max(0, Math.floor(Math.min(...ys)) - margin);
  const right = Math.min(image.widthPx, Math.ceil(Math.max(...xs)) + margin);
  const bottom = Math.min(image.heightPx, Math.ceil(Math.max(...ys)) + margin);
  return { x, y, widthPx: Math.max(1, right - x), heightPx: Math.max(1, bottom - y) };
}

/** The line cut out of the image as its own RGBA image. */
export function cropLine(image: RgbaImage, box: Quad): RgbaImage & { data: Uint8ClampedArray } {
  const rect = lineCropRect(box, image);
  const data = new Uint8ClampedArray(rect.widthPx * rect.heightPx * 4);
  for (let row = 0; row < rect.heightPx; row++) {
    const from = ((rect.y + row) * image.widthPx + rect.x) * 4;
    data.set(image.data.subarray(from, from + rect.widthPx * 4), row * rect.widthPx * 4);
  }
  return { data, widthPx: rect.widthPx, heightPx: rect.heightPx };
}

/**
 * The handwriting reader's lines in place of the print recogniser's, same boxes and blocks: lines in one
 * block are joined by newlines, blocks by a blank line, as layOutText does. Lines it read as nothing
 * are dropped.
 */
export function withReadLines(lines: readonly OcrLine[], readTexts: readonly string[]): { text: string; lines: OcrLine[] } {
  const read = lines.flatMap((line, i) => {
    const text = readTexts[i]?.trim() ?? '';
    return text ? [{ ...line, text }] : [];
  });
  let text = '';
  read.forEach((line, i) => {
    if (i > 0) text += line.blockIndex === read[i - 1]!.blockIndex ? '\n' : '\n\n';
    text += line.text;
  });
  return { text, lines: read };
}
