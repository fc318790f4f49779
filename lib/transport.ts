/**
 * Typed send/listen over the extension's runtime messaging, for the protocol in messages.ts.
 * `sendToPage` needs the tabs API, so only the background and extension pages call it.
 */
import { browser } from 'wxt/browser';
import {
  dispatch,
  envelope,
  unwrapReply,
  type Destination,
  type Handlers,
  type KnownSender,
  type MessageName,
  type Req,
  type Res,
} from './messages';
import { classifySender, senderOrigin, type OwnExtension, type RawSender } from './senders';

export async function sendToBackground<K extends MessageName<'background'>>(name: K, req: Req<'background', K>): Promise<Res<'background', K>> {
  return unwrapReply(await browser.runtime.sendMessage(envelope('background', name, req)), name);
}

/** Rejects with the browser's own error when the engine host is gone; the caller decides what that means. */
export async function sendToEngine<K extends MessageName<'engine'>>(name: K, req: Req<'engine', K>): Promise<Res<'engine', K>> {
  return unwrapReply(await browser.runtime.sendMessage(envelope('engine', name, req)), name);
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
 * message is checked against its allowed senders and payload schema before its handler runs.
 */
export function listen<D extends Destination>(to: D, handlers: Handlers<D>): () => void {
  const self = ownExtension();
  const listener = (message: unknown, sender: RawSender) => dispatch(to, handlers, message, knownSender(sender, self));
  browser.runtime.onMessage.addListener(listener as never);
  return () => browser.runtime.onMessage.removeListener(listener as never);
}
