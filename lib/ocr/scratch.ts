/**
 * Buffers an OCR run lends its stages, kept from one image to the next: the first write to freshly
 * allocated memory is what costs (the page faults behind it), and a page's detector input alone is
 * 10-20 MB of floats. On the benchmark machine that was 3-4 ms per MB, about 50 ms of a 0.3-megapixel
 * image's 90 ms of JS; reused, the pages are already there.
 */
import { detectionBuffers, type DetectionBuffers } from './detection-input';
import type { RgbScratch } from './raster';
import { textLineBuffers, type TextLineBuffers } from './text-line-input';

export interface OcrScratch {
  /** The page flattened to opaque RGB (toOpaqueRgb). */
  rgb: RgbScratch;
  detection: DetectionBuffers;
  textLines: TextLineBuffers;
}

export function ocrScratch(): OcrScratch {
  return { rgb: { bytes: new Uint8Array(0) }, detection: detectionBuffers(), textLines: textLineBuffers() };
}

/** Bytes held by each of a scratch's buffers. */
function buffersOf(scratch: OcrScratch): { byteLength: number }[] {
  const { rgb, detection, textLines } = scratch;
  return [rgb.bytes, detection.resize.horizontal, detection.resize.out, detection.tensor ?? new Uint8Array(0), textLines.resize.horizontal, textLines.resize.out, textLines.tensor];
}

export function scratchBytes(scratch: OcrScratch): number {
  return buffersOf(scratch).reduce((sum, buffer) => sum + buffer.byteLength, 0);
}

/**
 * Lends each OCR run a scratch of its own (two jobs can be between model calls at once, and a buffer is
 * only good until its owner's next write) and keeps one that comes back for the next run. A scratch that
 * grew past `maxKeptBytes` (a huge page's copy) is let go instead, so an idle engine holds at most that much.
 */
export class OcrScratchPool {
  private idle: OcrScratch | null = null;

  constructor(private readonly maxKeptBytes: number) {}

  async lend<T>(run: (scratch: OcrScratch) => Promise<T>): Promise<T> {
    const scratch = this.idle ?? ocrScratch();
    this.idle = null;
    try {
      return await run(scratch);
    } finally {
      if (this.idle === null && scratchBytes(scratch) <= this.maxKeptBytes) this.idle = scratch;
    }
  }

  /** Scratches waiting for the next run, 0 or 1 (for tests and memory figures). */
  get keptCount(): number {
    return this.idle === null ? 0 : 1;
  }
}
