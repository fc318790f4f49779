/**
 * The one protocol every AltSight context speaks. Each message declares who may send it and the schema
 * of its payload; `dispatch` enforces both from the browser's `sender` before a handler runs, and the
 * handler maps are complete, so a message without a handler fails to compile.
 *
 * Transport is `runtime.sendMessage` / `tabs.sendMessage`. Page scripts can't reach either (no
 * `externally_connectable`, content scripts run in an isolated world), but every content script of every
 * frame can: the sender table is what keeps a frame's content script away from the engine.
 */
import * as v from 'valibot';
import type { Backend } from './engine/backend';
import type { JobFailure, JobOutcome } from './engine/jobs';
import { MAX_ANSWER_CHARS, MAX_QUESTION_CHARS } from './ask/conversation';
import type { SenderRole } from './senders';

export type { SenderRole } from './senders';

export interface FileProgress {
  file: string;
  loadedBytes: number;
  totalBytes: number;
  done: boolean;
}

export interface EngineStatus {
  state: 'idle' | 'loading' | 'ready' | 'error';
  backend: Backend | null;
  /** Where text recognition runs (its models load on first use, separately from the captioner). */
  ocrBackend: Backend | null;
  modelId: string | null;
  /** WASM threads of this engine host, fixed by whichever model starts ORT first. */
  threads: number;
  crossOriginIsolated: boolean;
  files: FileProgress[];
  error: string | null;
  captionsServed: number;
  /** Model calls started (captions and text reads) since the browser started, across engine hosts. */
  modelRuns: number;
  /** When the captioner's current (or last) load started, ms since the epoch: the UI estimates time left. */
  loadStartedAt: number | null;
}

/** What the content script knows about each image it looked at, for the popup's list. */
export interface PageImageReport {
  imageUrl: string;
  state: 'pending' | 'captioned' | 'failed';
  caption: string | null;
  reason: string | null;
  /**
   * Who produced it: auto-fill (written as alt), or the reader in the panel ("Caption this image", "Read
   * text in this image", the keyboard command; kept in the extension unless they chose "Use as alt text").
   */
  source?: 'auto-fill' | 'panel-caption' | 'panel-read-text';
}

// ---- Payload schemas: everything that arrives is input from another context. ----

const MAX_URL_CHARS = 8192;
/** A PNG of a full 4K screen region fits easily; anything bigger is not ours. */
const MAX_PNG_DATA_URL_CHARS = 48 * 1024 * 1024;

const Empty = v.strictObject({});
const PriorityRequested = v.picklist(['user', 'visible', 'background']);
const RequestId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
/** read-text decides between printed text and handwriting itself; the other two are the reader's choice. */
const TextReadingKind = v.picklist(['read-text', 'read-handwriting', 'read-printed']);

export const ImageSourceSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('url'), url: v.pipe(v.string(), v.maxLength(MAX_URL_CHARS)) }),
  v.strictObject({
    kind: v.literal('pixels'),
    pngDataUrl: v.pipe(v.string(), v.startsWith('data:image/png;base64,'), v.maxLength(MAX_PNG_DATA_URL_CHARS)),
    originalUrl: v.pipe(v.string(), v.maxLength(1024)),
  }),
]);

const JobRequestSchema = v.strictObject({
  kind: v.picklist(['caption', 'read-text', 'read-handwriting', 'read-printed', 'describe']),
  source: ImageSourceSchema,
});

const RectSchema = v.strictObject({
  x: v.pipe(v.number(), v.finite()),
  y: v.pipe(v.number(), v.finite()),
  width: v.pipe(v.number(), v.finite(), v.minValue(0)),
  height: v.pipe(v.number(), v.finite(), v.minValue(0)),
});

const DeadlinesSchema = v.strictObject({
  fetchMs: v.pipe(v.number(), v.integer(), v.minValue(1)),
  decodeMs: v.pipe(v.number(), v.integer(), v.minValue(1)),
  modelRunMs: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

export const EngineConfigSchema = v.strictObject({
  modelId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  handwritingModelId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  modelHost: v.pipe(v.string(), v.url()),
  backend: v.picklist(['auto', 'webgpu', 'wasm']),
  /** 0 = as many as the machine has (capped); fewer spare the battery. */
  wasmThreads: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64)),
  /** The engine host is closed, freeing its models' memory, after this long without a job; 0 = never. */
  releaseAfterIdleSeconds: v.pipe(v.number(), v.minValue(0)),
  deadlines: DeadlinesSchema,
  /** What answers questions about images: a model we download, or the browser's own where it has one. */
  chatEngine: v.picklist(['model', 'browser']),
  chatModelId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
});
export type EngineConfig = v.InferOutput<typeof EngineConfigSchema>;

const RequesterSchema = v.strictObject({ frameOrigin: v.pipe(v.string(), v.maxLength(MAX_URL_CHARS)), userAsked: v.boolean() });
const Question = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_QUESTION_CHARS));
const ChatHistorySchema = v.pipe(
  v.array(v.strictObject({ question: Question, answer: v.pipe(v.string(), v.maxLength(MAX_ANSWER_CHARS)) })),
  v.maxLength(20),
);
const EngineJobSchema = v.union([
  v.strictObject({ ...JobRequestSchema.entries, requester: RequesterSchema }),
  v.strictObject({ kind: v.literal('ask'), source: ImageSourceSchema, history: ChatHistorySchema, question: Question, requester: RequesterSchema }),
]);

/** Whether answering needs a download first, and what answers: for the panel's words before the first question. */
export interface ChatModelState {
  engine: 'model' | 'browser';
  /** The model's name as the reader sees it. */
  label: string;
  needsDownload: boolean;
  approxDownloadBytes: number | null;
}

// ---- The messages, by destination. ----

interface MessageSpec<S extends v.GenericSchema, R> {
  from: readonly SenderRole[];
  req: S;
  /** Type only: what the handler answers. */
  res?: R;
}

/** `message(['background'], schema)<Response>()`: senders, payload schema, response type. */
const message =
  <S extends v.GenericSchema>(from: readonly SenderRole[], req: S) =>
  <R>(): MessageSpec<S, R> => ({ from, req });

export const BACKGROUND_MESSAGES = {
  /** An image job for the sender's own frame; who asks (origin, user intent) comes from the sender. */
  'job.request': message(['any-frame-content', 'extension-page'], v.strictObject({ job: JobRequestSchema, priority: PriorityRequested, requestId: RequestId }))<JobOutcome>(),
  /** The frame no longer needs these jobs (element gone, src changed, auto-fill stopped). */
  'job.cancel': message(['any-frame-content'], v.strictObject({ requestIds: v.pipe(v.array(RequestId), v.maxLength(1000)) }))<{ cancelled: number }>(),
  /**
   * Captures a region (CSS px of the viewport) of the sender's tab and crops it here; the pixels stay in
   * the background, the page gets an id to read them by. Two steps so the page shows its panel only
   * once the capture is taken.
   */
  'region.capture': message(['top-frame-content'], v.strictObject({ rect: RectSchema, viewportWidthCss: v.pipe(v.number(), v.finite(), v.minValue(1)) }))<
    { ok: true; captureId: string } | JobFailure
  >(),
  /** Reads the text of a capture this tab took. */
  'region.read': message(['top-frame-content'], v.strictObject({ captureId: RequestId, kind: v.optional(TextReadingKind, 'read-text') }))<JobOutcome>(),
  /**
   * A question about an image (a URL or pixels the frame read) or about a region this tab captured (top
   * frame only), with the conversation so far. The answer streams to the frame as `page.answerProgress`
   * under `requestId`; `job.cancel` with that id stops it.
   */
  'ask.request': message(
    // Extension pages too: the benchmark page asks as the panel does (it gets no page.answerProgress).
    ['any-frame-content', 'extension-page'],
    v.strictObject({
      target: v.variant('kind', [v.strictObject({ kind: v.literal('image'), source: ImageSourceSchema }), v.strictObject({ kind: v.literal('capture'), captureId: RequestId })]),
      history: ChatHistorySchema,
      question: Question,
      requestId: RequestId,
    }),
  )<JobOutcome>(),
  /** The popup's "Ask" on an image of its list: the panel opens on it in its frame, as from the context menu. */
  'popup.askAboutImage': message(
    ['extension-page'],
    v.strictObject({ tabId: v.pipe(v.number(), v.integer(), v.minValue(0)), frameId: v.pipe(v.number(), v.integer(), v.minValue(0)), imageUrl: v.pipe(v.string(), v.maxLength(MAX_URL_CHARS)) }),
  )<{ shown: boolean }>(),
  'ask.modelState': message(['any-frame-content', 'extension-page'], Empty)<ChatModelState>(),
  /** From the engine host: the answer so far of a job it runs (the whole text, not a delta). */
  'engine.answerProgress': message(['engine-host'], v.strictObject({ jobId: RequestId, text: v.pipe(v.string(), v.maxLength(MAX_ANSWER_CHARS)) }))<{
    delivered: boolean;
  }>(),
  /** Whether auto-fill is on for the sender frame's own site, and how to write what it finds. */
  'autofill.config': message(['any-frame-content'], Empty)<AutoFillConfig>(),
  /** Puts text on the clipboard from our own document, never through the page's DOM. */
  'clipboard.write': message(['any-frame-content', 'extension-page'], v.strictObject({ text: v.pipe(v.string(), v.maxLength(1_000_000)) }))<{ copied: boolean }>(),
  'engine.status': message(['extension-page'], Empty)<EngineStatus>(),
  /** "Download now": loads the configured captioning model, with progress in engine.status. */
  'models.download': message(['extension-page'], Empty)<{ ok: true } | JobFailure>(),
  'models.cancelDownload': message(['extension-page'], Empty)<{ cancelled: boolean }>(),
  /**
   * A first caption is likely (the popup opened, or the reader right-clicked an image and the menu's
   * "Caption this image" may come next), so the engine host loads a cached captioner now.
   */
  'engine.warm': message(['extension-page', 'any-frame-content'], Empty)<{ warming: boolean }>(),
  /** Closes the engine host (its models' memory and open cache entries), e.g. before deleting cached weights. */
  'engine.release': message(['extension-page'], Empty)<{ released: boolean }>(),
  /** From the engine host, idle for the configured time: close it unless work is waiting. */
  'engine.idle': message(['engine-host'], Empty)<{ released: boolean }>(),
  /** The engine host ran past a model deadline: its ORT can't be interrupted, so it asks to be replaced. */
  'engine.stuck': message(['engine-host'], Empty)<{ recycled: boolean }>(),
};

export interface AutoFillConfig {
  on: boolean;
  /** The user's prefix as typed, or null for the automatic one in the page's language (lib/page/alt-prefix.ts). */
  altPrefix: string | null;
  jobKind: 'caption' | 'describe';
}

export const ENGINE_MESSAGES = {
  'engine.run': message(['background'], v.strictObject({ jobId: RequestId, job: EngineJobSchema, priority: PriorityRequested, config: EngineConfigSchema }))<{
    outcome: JobOutcome;
    /** Model calls this job made (0 when the image failed to load; 2 when "describe" read text, then captioned). */
    modelCalls: number;
  }>(),
  /** Stops fetching/decoding a job nobody waits for any more; a model call already running finishes unseen. */
  'engine.cancel': message(['background'], v.strictObject({ jobId: RequestId }))<{ cancelled: boolean }>(),
  'engine.status': message(['background', 'extension-page'], Empty)<EngineStatus>(),
  'engine.ping': message(['background'], Empty)<{ alive: true }>(),
  /** Bytes the engine host's document holds (JS heap + WebAssembly memory), for the benchmark. */
  'engine.memory': message(['background', 'extension-page'], Empty)<{ bytes: number | null }>(),
  /** Loads the configured captioner now (downloading it if needed), without a job. */
  /**
   * `onlyIfCached`: warming up, not downloading (the reader never agreed to a download here): loads the
   * captioner and runs it once only when its files are already in the browser's cache.
   */
  'engine.preload': message(['background'], v.strictObject({ config: EngineConfigSchema, onlyIfCached: v.optional(v.boolean(), false) }))<{ ok: true } | JobFailure>(),
  'engine.cancelLoad': message(['background'], Empty)<{ cancelled: boolean }>(),
  'engine.chatModelState': message(['background'], v.strictObject({ config: EngineConfigSchema }))<ChatModelState>(),
  'engine.clipboard': message(['background'], v.strictObject({ text: v.pipe(v.string(), v.maxLength(1_000_000)) }))<{ copied: boolean }>(),
};

/** ask: the caption panel with the question box ready ("Ask about this image"). */
const PanelKind = v.picklist(['caption', 'read-text', 'ask']);
export const PAGE_MESSAGES = {
  'page.describeAll': message(['background', 'extension-page'], Empty)<{ queued: number }>(),
  /** Tries again the images that failed (a download that stalled, a host that was down). */
  'page.retryFailed': message(['background', 'extension-page'], Empty)<{ retried: number }>(),
  'page.undoAll': message(['background', 'extension-page'], Empty)<{ restored: number }>(),
  'page.report': message(['background', 'extension-page'], Empty)<{ images: PageImageReport[] }>(),
  'page.showPanel': message(['background'], v.strictObject({ srcUrl: v.pipe(v.string(), v.maxLength(MAX_URL_CHARS)), kind: PanelKind }))<{ shown: boolean }>(),
  'page.selectRegion': message(['background', 'extension-page'], Empty)<{ started: boolean }>(),
  'page.readVisible': message(['background', 'extension-page'], Empty)<{ started: boolean }>(),
  /**
   * "Describe the focused image" (keyboard command), step 1: the image with focus or under the pointer
   * in this frame and when the reader turned to it (ms since the epoch), remembered for the
   * `page.showPanel` that follows once the background has granted it as asked for.
   */
  'page.findFocusedImage': message(['background'], Empty)<{ image: { srcUrl: string; at: number } | null }>(),
  /** A short notice in a small panel of the top frame, e.g. that no image has focus or is under the pointer. */
  /** The answer so far to this frame's `ask.request` `requestId`. */
  'page.answerProgress': message(['background'], v.strictObject({ requestId: RequestId, text: v.pipe(v.string(), v.maxLength(MAX_ANSWER_CHARS)) }))<{ shown: boolean }>(),
  'page.showNotice': message(['background'], v.strictObject({ notice: v.picklist(['no-image-in-focus']) }))<{ shown: boolean }>(),
};

const PROTOCOLS = { background: BACKGROUND_MESSAGES, engine: ENGINE_MESSAGES, page: PAGE_MESSAGES };
export type Destination = keyof typeof PROTOCOLS;
type ProtocolOf<D extends Destination> = (typeof PROTOCOLS)[D];
export type MessageName<D extends Destination> = keyof ProtocolOf<D> & string;

export type Req<D extends Destination, K extends MessageName<D>> =
  ProtocolOf<D>[K] extends MessageSpec<infer S, unknown> ? v.InferInput<S> : never;
export type Res<D extends Destination, K extends MessageName<D>> =
  ProtocolOf<D>[K] extends MessageSpec<v.GenericSchema, infer R> ? R : never;
type Parsed<D extends Destination, K extends MessageName<D>> =
  ProtocolOf<D>[K] extends MessageSpec<infer S, unknown> ? v.InferOutput<S> : never;

export interface Envelope<D extends Destination = Destination, K extends string = string> {
  altsight: 1;
  to: D;
  name: K;
  payload: unknown;
}

/** Handlers answer with a value; transport wraps it so errors cross contexts as data, not throws. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** The sender as the browser reported it, after `classifySender` found who it is. */
export interface KnownSender {
  role: SenderRole;
  tabId?: number;
  windowId?: number;
  frameId?: number;
  /** The sending document's URL and origin (a content script's frame, an extension page). */
  url?: string;
  origin?: string;
  /** Chrome's id of the sending document (106+). */
  documentId?: string;
}

/** Every message of a destination needs a handler: a missing one is a compile error. */
export type Handlers<D extends Destination> = {
  [K in MessageName<D>]: (req: Parsed<D, K>, sender: KnownSender) => Promise<Res<D, K>>;
};

/**
 * Handlers for every message of `to` that answer once the real ones are ready: the listener is added at
 * once (an event page hears the message that woke it only if it listens in its first turn) while the
 * code behind it still loads.
 */
export function deferredHandlers<D extends Destination>(to: D, ready: Promise<Handlers<D>>): Handlers<D> {
  type AnyHandler = (req: unknown, sender: KnownSender) => Promise<unknown>;
  const names = Object.keys(PROTOCOLS[to]);
  return Object.fromEntries(
    names.map((name) => [name, (async (req, sender) => ((await ready) as unknown as Record<string, AnyHandler>)[name]!(req, sender)) satisfies AnyHandler]),
  ) as unknown as Handlers<D>;
}

export function envelope<D extends Destination, K extends MessageName<D>>(to: D, name: K, payload: Req<D, K>): Envelope<D, K> {
  return { altsight: 1, to, name, payload };
}

export function isEnvelope(message: unknown, to: Destination): message is Envelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as Envelope).altsight === 1 &&
    (message as Envelope).to === to &&
    typeof (message as Envelope).name === 'string'
  );
}

export function unwrapReply<T>(reply: unknown, name: string): T {
  if (reply === undefined || reply === null) throw new Error(`No AltSight handler answered "${name}"`);
  const r = reply as Reply<T>;
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** A role satisfies a declared sender: the top frame's content script is also "any frame's". */
export function senderMayCall(role: SenderRole, allowed: readonly SenderRole[]): boolean {
  return allowed.includes(role) || (role === 'top-frame-content' && allowed.includes('any-frame-content'));
}

/**
 * Dispatches an envelope to the matching handler, after checking its sender and payload. Returns
 * undefined for messages meant for another context, so a runtime.onMessage listener stays silent there.
 * `sender` is null when the browser's sender is not one of ours (another extension, an unknown context).
 */
export function dispatch<D extends Destination>(
  to: D,
  handlers: Handlers<D>,
  message: unknown,
  sender: KnownSender | null,
): Promise<Reply<unknown>> | undefined {
  if (!isEnvelope(message, to)) return undefined;
  const spec = (PROTOCOLS[to] as Record<string, MessageSpec<v.GenericSchema, unknown> | undefined>)[message.name];
  const handler = (handlers as Record<string, ((req: unknown, s: KnownSender) => Promise<unknown>) | undefined>)[message.name];
  if (!spec || !handler || !Object.hasOwn(PROTOCOLS[to], message.name)) return undefined;
  if (!sender || !senderMayCall(sender.role, spec.from)) {
    return Promise.resolve({ ok: false, error: `"${message.name}" is not accepted from ${sender ? describeRole(sender.role) : 'this sender'}.` });
  }
  const parsed = v.safeParse(spec.req, message.payload);
  if (!parsed.success) {
    return Promise.resolve({ ok: false, error: `"${message.name}" had an invalid payload: ${v.summarize(parsed.issues).split('\n')[0]}` });
  }
  return handler(parsed.output, sender).then(
    (value): Reply<unknown> => ({ ok: true, value }),
    (err: unknown): Reply<unknown> => ({ ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
}

function describeRole(role: SenderRole): string {
  return role.replace(/-/g, ' ');
}
