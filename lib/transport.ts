/**
 * Typed send/listen over the extension's runtime messaging, for the protocol in messages.ts.
 * `sendToPage` needs the tabs API, so only the background and the popup call it.
 */
import { browser } from 'wxt/browser';
import {
  dispatch,
  envelope,
  unwrapReply,
  type BackgroundProtocol,
  type Destination,
  type EngineProtocol,
  type Handlers,
  type PageProtocol,
  type Req,
  type Res,
} from './messages';

export async function sendToBackground<K extends keyof BackgroundProtocol & string>(
  name: K,
  req: Req<'background', K>,
): Promise<Res<'background', K>> {
  return unwrapReply(await browser.runtime.sendMessage(envelope('background', name, req)), name);
}

/** Rejects with the browser's own error when the engine host is gone; the caller decides what that means. */
export async function sendToEngine<K extends keyof EngineProtocol & string>(
  name: K,
  req: Req<'engine', K>,
): Promise<Res<'engine', K>> {
  return unwrapReply(await browser.runtime.sendMessage(envelope('engine', name, req)), name);
}

export async function sendToPage<K extends keyof PageProtocol & string>(
  tabId: number,
  name: K,
  req: Req<'page', K>,
  frameId?: number,
): Promise<Res<'page', K>> {
  const options = frameId === undefined ? undefined : { frameId };
  return unwrapReply(await browser.tabs.sendMessage(tabId, envelope('page', name, req), options), name);
}

/** Registers handlers for messages addressed to `to`; everything else is left for other listeners. */
export function listen<D extends Destination>(to: D, handlers: Handlers<D>): () => void {
  const listener = (message: unknown, sender: { tab?: { id?: number; windowId?: number }; frameId?: number; url?: string }) =>
    dispatch(to, handlers, message, { tabId: sender.tab?.id, windowId: sender.tab?.windowId, frameId: sender.frameId, url: sender.url });
  browser.runtime.onMessage.addListener(listener as never);
  return () => browser.runtime.onMessage.removeListener(listener as never);
}
