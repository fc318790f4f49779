/**
 * The one protocol every AltSight context speaks. Each message name maps to its request and response
 * types; `send*` helpers return the typed response and `handleMessages` registers handlers against the
 * same map, so a name or payload can't drift between sender and receiver.
 *
 * Transport is `runtime.sendMessage` / `tabs.sendMessage`. Page scripts can't reach either: we declare
 * no `externally_connectable`, and content scripts run in an isolated world.
 */
import type { Backend, BackendPreference } from './engine/backend';
import type { EngineJob, JobFailure, JobOutcome, JobPriority } from './engine/jobs';
import type { Rect } from './page/region';

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
}

export interface EngineConfig {
  modelId: string;
  modelHost: string;
  backend: BackendPreference;
  /** 0 = as many as the machine has (capped); fewer spare the battery. */
  wasmThreads: number;
  /** The engine host is closed, freeing its models' memory, after this long without a job; 0 = never. */
  releaseAfterIdleSeconds: number;
}

/** What the content script knows about each image it looked at, for the popup's list. */
export interface PageImageReport {
  imageUrl: string;
  state: 'pending' | 'captioned' | 'failed';
  caption: string | null;
  reason: string | null;
}

export interface CapturedRegion {
  ok: true;
  pngDataUrl: string;
}

/** Messages handled by the background service worker. */
export interface BackgroundProtocol {
  'job.request': { req: { job: EngineJob; priority: JobPriority }; res: JobOutcome };
  /** A region (CSS px of the viewport) of the sender's visible tab, cropped at full device resolution. */
  'capture.region': { req: { rect: Rect; viewportWidthCss: number }; res: CapturedRegion | JobFailure };
  'engine.status': { req: Record<string, never>; res: EngineStatus };
  /** From the engine host, idle for the configured time: close it unless work is waiting. */
  'engine.idle': { req: Record<string, never>; res: { released: boolean } };
}

/** Messages handled by the engine host (offscreen document on Chrome). */
export interface EngineProtocol {
  'engine.run': { req: { job: EngineJob; config: EngineConfig }; res: JobOutcome };
  'engine.status': { req: Record<string, never>; res: EngineStatus };
  'engine.ping': { req: Record<string, never>; res: { alive: true } };
  /** Bytes the engine host's document holds (JS heap + WebAssembly memory), for the benchmark and the popup. */
  'engine.memory': { req: Record<string, never>; res: { bytes: number | null } };
}

/** Messages handled by the content script of one frame. */
export interface PageProtocol {
  'page.describeAll': { req: Record<string, never>; res: { queued: number } };
  'page.undoAll': { req: Record<string, never>; res: { restored: number } };
  'page.report': { req: Record<string, never>; res: { images: PageImageReport[] } };
  'page.showPanel': { req: { srcUrl: string; kind: 'caption' | 'read-text' }; res: { shown: boolean } };
  'page.selectRegion': { req: Record<string, never>; res: { started: boolean } };
  'page.readVisible': { req: Record<string, never>; res: { started: boolean } };
}

export type Destination = 'background' | 'engine' | 'page';
type ProtocolOf<D extends Destination> = D extends 'background'
  ? BackgroundProtocol
  : D extends 'engine'
    ? EngineProtocol
    : PageProtocol;

export interface Envelope<D extends Destination = Destination, K extends string = string> {
  altsight: 1;
  to: D;
  name: K;
  payload: unknown;
}

/** Handlers answer with a value; transport wraps it so errors cross contexts as data, not throws. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

export type Handlers<D extends Destination> = {
  [K in keyof ProtocolOf<D>]?: (
    req: ProtocolOf<D>[K] extends { req: infer Q } ? Q : never,
    sender: MessageSender,
  ) => Promise<ProtocolOf<D>[K] extends { res: infer R } ? R : never>;
};

export interface MessageSender {
  tabId?: number;
  windowId?: number;
  frameId?: number;
  url?: string;
}

export type Req<D extends Destination, K extends keyof ProtocolOf<D>> = ProtocolOf<D>[K] extends { req: infer Q }
  ? Q
  : never;
export type Res<D extends Destination, K extends keyof ProtocolOf<D>> = ProtocolOf<D>[K] extends { res: infer R }
  ? R
  : never;

export function envelope<D extends Destination, K extends keyof ProtocolOf<D> & string>(
  to: D,
  name: K,
  payload: Req<D, K>,
): Envelope<D, K> {
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

/**
 * Dispatches an envelope to the matching handler. Returns undefined for messages meant for someone
 * else, so a runtime.onMessage listener can stay silent and let the right context answer.
 */
export function dispatch<D extends Destination>(
  to: D,
  handlers: Handlers<D>,
  message: unknown,
  sender: MessageSender,
): Promise<Reply<unknown>> | undefined {
  if (!isEnvelope(message, to)) return undefined;
  const handler = (handlers as Record<string, ((req: unknown, s: MessageSender) => Promise<unknown>) | undefined>)[
    message.name
  ];
  if (!handler) return undefined;
  return handler(message.payload, sender).then(
    (value): Reply<unknown> => ({ ok: true, value }),
    (err: unknown): Reply<unknown> => ({ ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
}
