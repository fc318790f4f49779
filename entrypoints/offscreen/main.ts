// Chrome's engine host: service workers have no DOM and die when idle, so models live here.
import { browser } from 'wxt/browser';
import { EngineHost } from '@/lib/engine/host';
import { IdleRelease } from '@/lib/engine/idle-release';
import { installPackagedMessages } from '@/lib/i18n';
import { listen, sendToBackground } from '@/lib/transport';

// Before any job: its failures are told in the user's language (this document has no chrome.i18n).
await installPackagedMessages(new URLSearchParams(location.search).get('locale'));

const host = new EngineHost({
  ortBaseUrl: browser.runtime.getURL('/ort/' as '/'),
  ocrBaseUrl: browser.runtime.getURL('/ocr/' as '/'),
  glyphBaseUrl: browser.runtime.getURL('/ocr-glyphs/' as '/'),
  onStuck: () => void sendToBackground('engine.stuck', {}).catch(() => undefined),
});

// The background closes this document when asked, if no work is waiting.
const idle = new IdleRelease(() => void sendToBackground('engine.idle', {}).catch(() => undefined));
/** Jobs in this host, so the background can cancel one nobody waits for any more. */
const running = new Map<string, AbortController>();

listen('engine', {
  'engine.run': async ({ jobId, job, priority, config }) => {
    const abort = new AbortController();
    running.set(jobId, abort);
    try {
      return await idle.during(config.releaseAfterIdleSeconds * 1000, () => host.run(job, config, priority, abort.signal));
    } finally {
      running.delete(jobId);
    }
  },
  'engine.cancel': async ({ jobId }) => {
    running.get(jobId)?.abort();
    return { cancelled: running.has(jobId) };
  },
  'engine.status': async () => host.getStatus(),
  'engine.memory': async () => ({ bytes: await host.memoryBytes() }),
  'engine.ping': async () => ({ alive: true as const }),
  'engine.preload': async ({ config }) => idle.during(config.releaseAfterIdleSeconds * 1000, () => host.preload(config)),
  'engine.cancelLoad': async () => ({ cancelled: host.cancelLoad() }),
  'engine.clipboard': async ({ text }) => ({ copied: copyFromThisDocument(text) }),
});

/** An offscreen document can't focus, so the async clipboard API refuses; a selection in our own DOM works. */
function copyFromThisDocument(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}
