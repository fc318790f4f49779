/**
 * Lifecycle of Chrome's offscreen engine host: created on demand, shared by every tab, recreated when
 * it dies.
 */
import { browser } from 'wxt/browser';
import { HostLifecycle } from '@/lib/engine/host-lifecycle';
import { KeepAlive } from '@/lib/engine/keep-alive';
import { messagesLocale } from '@/lib/i18n';
import { acceptEngineHostPort, sendToEngine } from '@/lib/transport';
import type { EngineAccess } from './engine-access';

/**
 * Chrome gives offscreen documents no chrome.i18n: the language of our messages travels in the address,
 * and the engine host loads that locale's messages itself (entrypoints/offscreen/main.ts).
 */
const OFFSCREEN_PATH = `/offscreen.html?locale=${messagesLocale()}`;
/** Chrome's wording when the receiving document closed or crashed before answering. */
const HOST_GONE = /message port closed|Receiving end does not exist|message channel closed|No AltSight handler/i;

export async function hasEngineHost(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [browser.runtime.getURL(OFFSCREEN_PATH as '/')],
  });
  return contexts.length > 0;
}

/** The host's own port to us, once it opened it: faster than runtime messages, and it closes with the host. */
const hostPort = acceptEngineHostPort();
const sendToHost: typeof sendToEngine = (name, req) => (hostPort.isOpen ? hostPort.send(name, req) : sendToEngine(name, req));

/** The document loads before its module finishes; a job sent in between would look like a crash. */
async function waitForEngineListener(timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await sendToHost('engine.ping', {});
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const lifecycle = new HostLifecycle({
  exists: hasEngineHost,
  create: () =>
    chrome.offscreen.createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.CLIPBOARD],
      justification: 'Runs the on-device image captioning and text recognition models, and copies their results.',
    }),
  close: () => chrome.offscreen.closeDocument(),
  waitUntilListening: () => waitForEngineListener(),
  isAnswering: () => hostPort.isOpen,
});

/**
 * Chrome stops this service worker 30 s after its last extension event or API call, and a caller's
 * request pending on a port doesn't count: a job out on the host for longer (a slow image, a big model's
 * first session, a long text read) died with its port, unanswered. A trivial API call every few seconds
 * while we wait on the host resets that timer (keep-alive.ts).
 */
const keepAlive = new KeepAlive(() => chrome.runtime.getPlatformInfo());

/** Chrome's engine host: the offscreen document, over the port it opens to us (runtime messages until then). */
export const offscreenEngine: EngineAccess = {
  send: (name, req) => keepAlive.during(() => sendToHost(name, req)),
  ensure: () => lifecycle.ensure(),
  discard: () => lifecycle.discard(),
  isRunning: hasEngineHost,
  isHostGone: (err) => HOST_GONE.test(err instanceof Error ? err.message : String(err)),
};
