/**
 * Typed send/listen over the extension's runtime messaging, for the protocol in messages.ts.
 * `sendToPage` needs the tabs API, so only the background and extension pages call it.
 *
 * Calls to the background, and the background's calls to Chrome's engine host, travel on long-lived
 * ports (lib/port-rpc.ts: one hop per message, where runtime.sendMessage opens a channel each time).
 * Only the background listens for connections: a document with an onConnect listener becomes a
 * receiver of every port any page opens, and Chrome keeps such a port open while any receiver lives, so
 * a caller could wait on a port whose background had stopped. The engine host therefore opens its port
 * to the background, not the other way round.
 */
import { browser } from 'wxt/browser';
import {
  dispatch,
  envelope,
  isEnvelope,
  unwrapReply,
  type Destination,
  type Handlers,
  type KnownSender,
  type MessageName,
  type Req,
  type Res,
} from './messages';
import { answerOnPort, PortChannel, ReconnectingCaller, type RpcPort } from './port-rpc';
import { classifySender, senderOrigin, type OwnExtension, type RawSender } from './senders';

/** Port names: the background's, and the one Chrome's engine host opens to the background. */
const BACKGROUND_PORT = 'altsight:background';
const ENGINE_HOST_PORT = 'altsight:engine-host';

type BrowserPort = RpcPort & { name: string; sender?: RawSender; error?: { message?: string } };

/** Why a port closed: Firefox puts it on the port, Chrome in lastError (read, so Chrome logs nothing). */
function closeReason(port: BrowserPort): string | null {
  return port.error?.message ?? browser.runtime.lastError?.message ?? null;
}

function openPort(name: string): PortChannel {
  const port = browser.runtime.connect({ name }) as unknown as BrowserPort;
  return new PortChannel(port, () => closeReason(port));
}

const toBackground = new ReconnectingCaller(() => openPort(BACKGROUND_PORT));

export async function sendToBackground<K extends MessageName<'background'>>(name: K, req: Req<'background', K>): Promise<Res<'background', K>> {
  return unwrapReply(await toBackground.call(envelope('background', name, req)), name);
}

/**
 * Rejects with the browser's own error when the engine host is gone; the caller decides what that means.
 * By runtime message: the background's own calls use the host's port (`acceptEngineHostPort`) while it is open.
 */
export async function sendToEngine<K extends MessageName<'engine'>>(name: K, req: Req<'engine', K>): Promise<Res<'engine', K>> {
  return unwrapReply(await browser.runtime.sendMessage(envelope('engine', name, req)), name);
}

export interface EngineHostPort {
  /** Whether the engine host's port is open: it closes when the host document closes or crashes. */
  readonly isOpen: boolean;
  send<K extends MessageName<'engine'>>(name: K, req: Req<'engine', K>): Promise<Res<'engine', K>>;
}

/**
 * The background's side of the port Chrome's engine host opens (see `offerEngineToBackground`); only the
 * engine host document may open it.
 */
export function acceptEngineHostPort(): EngineHostPort {
  const self = ownExtension();
  let channel: PortChannel | null = null;
  browser.runtime.onConnect.addListener((raw) => {
    const port = raw as unknown as BrowserPort;
    if (port.name !== ENGINE_HOST_PORT || !port.sender || classifySender(port.sender, self) !== 'engine-host') return;
    channel = new PortChannel(port, () => closeReason(port));
  });
  return {
    get isOpen() {
      return channel?.isOpen ?? false;
    },
    async send(name, req) {
      if (!channel) throw new Error(`No AltSight handler answered "${name}"`);
      return unwrapReply(await channel.call(envelope('engine', name, req)), name);
    },
  };
}

/**
 * Chrome's engine host: answers the background's calls on a port of its own, opened now. A stopped
 * service worker takes the port with it; its successor calls by runtime message first (`listen`), and
 * the port is opened again then, not sooner: reconnecting at once would wake a worker that went idle.
 */
export function offerEngineToBackground(handlers: Handlers<'engine'>): void {
  const self = ownExtension();
  // The opener's port carries no sender: only the background listens for connections (see above).
  const background: KnownSender = { role: 'background' };
  let open = false;
  const connect = () => {
    const port = browser.runtime.connect({ name: ENGINE_HOST_PORT }) as unknown as BrowserPort;
    open = true;
    port.onDisconnect.addListener(() => {
      closeReason(port);
      open = false;
    });
    answerOnPort(port, (message) => dispatch('engine', handlers, message, background));
  };
  connect();
  browser.runtime.onMessage.addListener(((message: unknown, sender: RawSender) => {
    if (!open && isEnvelope(message, 'engine') && classifySender(sender, self) === 'background') connect();
    return undefined;
  }) as never);
}

export async function sendToPage<K extends MessageName<'page'>>(
  tabId: number,
  name: K,
  req: Req<'page', K>,
  frameId?: number,
): Promise<Res<'page', K>> {
  const options = frameId === undefined ? undefined : { frameId };
  return unwrapReply(await browser.tabs.sendMessage(tabId, envelope('page', name, req), options), name);
}

/** Our extension as the sender table needs it; the paths are the documents WXT builds. */
export function ownExtension(): OwnExtension {
  const base = browser.runtime.getURL('/' as '/');
  return {
    id: browser.runtime.id,
    origin: new URL(base).origin,
    engineHostPaths: ['/offscreen.html'],
    backgroundPaths: ['/background.js', '/_generated_background_page.html', '/background.html'],
  };
}

export function knownSender(raw: RawSender, self: OwnExtension): KnownSender | null {
  const role = classifySender(raw, self);
  if (!role) return null;
  return {
    role,
    tabId: raw.tab?.id,
    windowId: raw.tab?.windowId,
    frameId: raw.frameId,
    url: raw.url,
    origin: senderOrigin(raw),
    documentId: raw.documentId,
  };
}

/**
 * Registers handlers for messages addressed to `to`; everything else is left for other listeners. Each
 * message is checked against its allowed senders and payload schema before its handler runs. The
 * background also answers on the ports its callers open.
 */
export function listen<D extends Destination>(to: D, handlers: Handlers<D>): () => void {
  const self = ownExtension();
  const listener = (message: unknown, sender: RawSender) => dispatch(to, handlers, message, knownSender(sender, self));
  browser.runtime.onMessage.addListener(listener as never);
  if (to !== 'background') return () => browser.runtime.onMessage.removeListener(listener as never);
  const onConnect = (raw: unknown) => {
    const port = raw as BrowserPort;
    if (port.name !== BACKGROUND_PORT) return;
    const sender = port.sender ? knownSender(port.sender, self) : null;
    answerOnPort(port, (message) => dispatch(to, handlers, message, sender));
  };
  browser.runtime.onConnect.addListener(onConnect as never);
  return () => {
    browser.runtime.onMessage.removeListener(listener as never);
    browser.runtime.onConnect.removeListener(onConnect as never);
  };
}
