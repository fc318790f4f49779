/** Shapes of a caption job as it travels from a page to the engine host and back. */

/** user: someone asked for this image; visible: on screen now; background: the rest of the page. */
export type JobPriority = 'user' | 'visible' | 'background';
export const PRIORITY_ORDER: readonly JobPriority[] = ['user', 'visible', 'background'];

export type ImageSource =
  /** http(s) image the engine fetches itself, so cross-origin images never taint a canvas. */
  | { kind: 'url'; url: string }
  /** data:/blob: images only the page can read: the content script sends downscaled pixels as a PNG data URL. */
  | { kind: 'pixels'; pngDataUrl: string; originalUrl: string };

export type FailureReason =
  | 'not-found'
  | 'forbidden'
  | 'network'
  | 'not-an-image'
  | 'decode-failed'
  | 'too-large'
  | 'unsupported-source'
  | 'model-failed'
  | 'engine-crashed'
  | 'cancelled'
  | 'queue-full';

export type CaptionOutcome =
  | { ok: true; text: string; modelId: string }
  | { ok: false; reason: FailureReason; message: string };

export function failure(reason: FailureReason, message: string): CaptionOutcome {
  return { ok: false, reason, message };
}

/** The key jobs are deduplicated by: the same picture requested by many frames is captioned once. */
export function sourceKey(source: ImageSource): string {
  return source.kind === 'url' ? source.url : source.originalUrl;
}
