/**
 * Who sent a runtime message, as the browser reports it. Leaf module: the protocol (messages.ts) and the
 * transport both use it, and it imports nothing.
 */
export type SenderRole =
  /** Popup, options, onboarding, benchmark: our own pages, trusted with everything the user can do. */
  | 'extension-page'
  /** The offscreen document (Chrome) that owns the models. */
  | 'engine-host'
  /** The service worker. */
  | 'background'
  /** Our content script in a tab's top frame: the page the user sees in the address bar. */
  | 'top-frame-content'
  /** Our content script in any frame, including third-party iframes. */
  | 'any-frame-content';

/** The parts of `runtime.MessageSender` we read. */
export interface RawSender {
  id?: string;
  url?: string;
  origin?: string;
  frameId?: number;
  documentId?: string;
  tab?: { id?: number; windowId?: number };
}

export interface OwnExtension {
  id: string;
  /** e.g. "chrome-extension://abc…" (no trailing slash) */
  origin: string;
  /** Paths of the engine host and background documents, e.g. "/offscreen.html", "/background.js". */
  engineHostPaths: readonly string[];
  backgroundPaths: readonly string[];
}

/** null when the sender is not one of ours (another extension, or a context we can't place). */
export function classifySender(sender: RawSender, self: OwnExtension): SenderRole | null {
  if (sender.id !== self.id) return null;
  const url = parseUrl(sender.url);
  // Compared by scheme and host: an opaque "null" origin must never match ours.
  if (url && self.origin !== 'null' && `${url.protocol}//${url.host}` === self.origin) {
    if (self.engineHostPaths.includes(url.pathname)) return sender.tab ? null : 'engine-host';
    if (self.backgroundPaths.includes(url.pathname)) return sender.tab ? null : 'background';
    return 'extension-page';
  }
  // Everything else that carries our id is our content script in a tab's frame.
  if (!sender.tab || sender.tab.id === undefined || sender.frameId === undefined) return null;
  return sender.frameId === 0 ? 'top-frame-content' : 'any-frame-content';
}

/** The origin of the sending document: Chrome reports it; else it comes from the URL ("null" if opaque). */
export function senderOrigin(sender: RawSender): string {
  if (sender.origin) return sender.origin;
  return parseUrl(sender.url)?.origin ?? 'null';
}

function parseUrl(url: string | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
