/** Shapes of an engine job as it travels from a page to the engine host and back. */
/** user: someone asked for this image; visible: on screen now; background: the rest of the page. */
export type JobPriority = 'user' | 'visible' | 'background';
export const PRIORITY_ORDER: readonly JobPriority[] = ['user', 'visible', 'background'];

export type ImageSource =
  /** http(s) image the engine fetches itself, so cross-origin images never taint a canvas. */
  | { kind: 'url'; url: string }
  /**
   * Pixels only the page has: data:/blob: images (downscaled by the content script) and regions of a
   * visible-tab capture, as a PNG data URL.
   */
  | { kind: 'pixels'; pngDataUrl: string; originalUrl: string };

/**
 * caption: describe the picture; read-text: OCR; describe: what auto-fill wants — the image's text
 * when it is mostly text (a screenshot, a sign, a meme), a caption otherwise.
 */
export type JobKind = 'caption' | 'read-text' | 'describe';

export interface EngineJob {
  kind: JobKind;
  source: ImageSource;
}

export interface TextLine {
  text: string;
  confidence: number;
  /** Four corners in the source image's pixels. */
  box: [number, number][];
}

export type FailureReason =
  | 'not-found'
  | 'forbidden'
  | 'network'
  | 'not-an-image'
  | 'decode-failed'
  | 'too-large'
  | 'unsupported-source'
  | 'capture-refused'
  | 'empty-selection'
  | 'no-text'
  | 'model-failed'
  | 'engine-crashed'
  | 'cancelled'
  | 'queue-full';

export type JobFailure = { ok: false; reason: FailureReason; message: string };
export type CaptionResult = { ok: true; result: 'caption'; text: string; modelId: string };
export type ImageTextResult = { ok: true; result: 'image-text'; text: string; lines: TextLine[]; modelId: string };
export type JobOutcome = CaptionResult | ImageTextResult | JobFailure;

export function failure(reason: FailureReason, message: string): JobFailure {
  return { ok: false, reason, message };
}

/** The key jobs are deduplicated by: the same picture requested by many frames is processed once. */
export function jobKey(job: EngineJob): string {
  return `${job.kind} ${job.source.kind === 'url' ? job.source.url : job.source.originalUrl}`;
}
