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
 * caption: describe the picture; read-text: OCR, with the handwriting reader when the lines look
 * handwritten and it is downloaded; read-handwriting / read-printed: OCR with the reader's choice of
 * reader (the first downloads the handwriting model if needed); describe: what auto-fill wants — the image's text
 * when it is mostly text (a screenshot, a sign, a meme), a caption otherwise.
 */
export type JobKind = 'caption' | 'read-text' | 'read-handwriting' | 'read-printed' | 'describe';

/** What a content script asks for. Who asks is never part of the payload: the background reads it off the sender. */
export interface JobRequest {
  kind: JobKind;
  source: ImageSource;
}

/**
 * Who an image is fetched for, as the background established it from the message sender. The engine's
 * fetch policy (lib/images/fetch-policy.ts) decides credentials and reachability from this alone.
 */
export interface ImageRequester {
  /** Origin of the frame that showed the image, e.g. "https://news.example" ("null" for opaque origins). */
  frameOrigin: string;
  /**
   * The user asked about this very image (context menu, keyboard command): their cookies may go along,
   * and the result stays in our closed panel unless they choose "Use as alt text".
   */
  userAsked: boolean;
}

export interface EngineJob extends JobRequest {
  requester: ImageRequester;
}

/** A question about an image, with the conversation so far (lib/ask/conversation.ts). */
export interface AskJob {
  kind: 'ask';
  source: ImageSource;
  history: { question: string; answer: string }[];
  question: string;
  requester: ImageRequester;
}

export type AnyEngineJob = EngineJob | AskJob;

/** Time limits for each stage of a job, in milliseconds (settings; see lib/settings.ts). */
export interface JobDeadlines {
  /** From request to the last byte of the image; a body that trickles is cut at this point. */
  fetchMs: number;
  decodeMs: number;
  /** One model call (a caption or a text read); past it the engine host is recycled. */
  modelRunMs: number;
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
  /** A cross-origin image that answered 401/403 without the user's cookies, and the page can't read it either. */
  | 'needs-sign-in'
  /** A page on the public web pointed at a loopback, private or local-network address. */
  | 'private-network'
  | 'timed-out'
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
export type ImageTextResult = {
  ok: true;
  result: 'image-text';
  text: string;
  lines: TextLine[];
  /** The PaddleOCR pipeline, or the handwriting model when it read the lines. */
  modelId: string;
  handwriting: HandwritingNote;
};

/** What the panel needs to offer the other reader. */
export interface HandwritingNote {
  /** The handwriting classifier's verdict on these lines (lib/ocr/handwriting.ts). */
  looksHandwritten: boolean;
  /** Whether the handwriting model read them. */
  read: boolean;
  /** Whether reading handwriting would download its model first (the panel asks before it does). */
  needsDownload: boolean;
  /** About how many bytes that download is, when the catalog knows. */
  approxDownloadBytes: number | null;
}
/** An answer to a question about an image ("More detail", "Ask about this image"). */
export type AnswerResult = { ok: true; result: 'answer'; text: string; modelId: string };
export type JobOutcome = CaptionResult | ImageTextResult | AnswerResult | JobFailure;

export function failure(reason: FailureReason, message: string): JobFailure {
  return { ok: false, reason, message };
}

/** The key jobs are deduplicated by: the same picture requested by many frames is processed once. */
export function jobKey(job: EngineJob): string {
  return `${job.kind} ${job.source.kind === 'url' ? job.source.url : job.source.originalUrl}`;
}
