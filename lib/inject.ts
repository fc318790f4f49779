/**
 * Tabs that were open before AltSight was installed (or updated) have no content script: Chrome adds
 * content scripts to pages as they load, never to pages already open. The first message to such a tab
 * fails with "Receiving end does not exist"; we then inject the content script into all its frames and
 * send once more. Used by the keyboard commands, and meant for the context menu and the popup too.
 */
import { browser } from 'wxt/browser';
import type { ScriptPublicPath } from 'wxt/utils/inject-script';
import type { MessageName, Req, Res } from '@/lib/messages';
import { sendToPage } from '@/lib/transport';

/** Sends that fail together share the injection for this long; a later failure injects again. */
const INJECTION_SHARED_MS = 2_000;

export interface InjectDeps {
  send: typeof sendToPage;
  /** Runs our content script files in every frame of the tab. */
  inject(tabId: number): Promise<void>;
}

/**
 * Chrome's words when a tab has no listener: there is no error code to check, only this text
 * ("Could not establish connection. Receiving end does not exist.").
 */
export function isNoContentScript(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /Receiving end does not exist|Could not establish connection/i.test(message);
}

/** The built content script files, from the manifest: `content-scripts/content.js` today. */
export function contentScriptFiles(manifest: { content_scripts?: { js?: string[] }[] }): string[] {
  return [...new Set((manifest.content_scripts ?? []).flatMap((c) => c.js ?? []))];
}

async function injectContentScript(tabId: number): Promise<void> {
  const files = contentScriptFiles(browser.runtime.getManifest());
  // Paths as the manifest spells them (relative to the extension root); WXT's type lists the built ones.
  await browser.scripting.executeScript({ target: { tabId, allFrames: true }, files: files as ScriptPublicPath[] });
}

/**
 * Sends a page message, injecting the content script once if the tab has none. Concurrent sends to one
 * tab (every frame of "describe all images") share one injection. Other failures are the caller's.
 */
export function pageMessenger(deps: InjectDeps = { send: sendToPage, inject: injectContentScript }) {
  const injecting = new Map<number, Promise<void>>();
  const injectOnce = (tabId: number): Promise<void> => {
    let pending = injecting.get(tabId);
    if (!pending) {
      pending = deps.inject(tabId).finally(() => setTimeout(() => injecting.delete(tabId), INJECTION_SHARED_MS));
      injecting.set(tabId, pending);
    }
    return pending;
  };
  return async function sendToPageInjecting<K extends MessageName<'page'>>(
    tabId: number,
    name: K,
    req: Req<'page', K>,
    frameId?: number,
  ): Promise<Res<'page', K>> {
    try {
      return await deps.send(tabId, name, req, frameId);
    } catch (err) {
      if (!isNoContentScript(err)) throw err;
      await injectOnce(tabId);
      return deps.send(tabId, name, req, frameId);
    }
  };
}


/** The default messenger: sends with the real transport and injects with `scripting.executeScript`. */
export const sendToPageInjecting = pageMessenger();
