/**
 * The engine host's side of the protocol: the handlers for every `engine.*` message, around one
 * EngineHost. Chrome serves them from its offscreen document; Firefox from the background page, which
 * also calls them directly (a page's runtime messages never reach itself).
 */
import { browser } from 'wxt/browser';
import type { Handlers } from '../messages';
import { EngineHost } from './host';
import { IdleRelease } from './idle-release';

export interface EngineServiceOptions {
  /** The answer so far of a job, as the model writes it. */
  onAnswerText: (jobId: string, text: string) => void;
  /** Idle for the configured time: the host may be closed, if no work is waiting. */
  onIdle: () => void;
  /** A model call ran past its deadline: ORT can't be interrupted, so the host should be replaced. */
  onStuck: () => void;
  /** Wraps each job and model load from start to end (Firefox: keeps its event page awake meanwhile, keep-alive.ts). */
  whileWorking?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface EngineService {
  handlers: Handlers<'engine'>;
  /** Frees every model (Firefox's "recreate the host": the background page itself stays). */
  close(): Promise<void>;
}

export function engineService(options: EngineServiceOptions): EngineService {
  const newHost = () =>
    new EngineHost({
      ortBaseUrl: browser.runtime.getURL('/ort/' as '/'),
      ocrBaseUrl: browser.runtime.getURL('/ocr/' as '/'),
      glyphBaseUrl: browser.runtime.getURL('/ocr-glyphs/' as '/'),
      onStuck: options.onStuck,
    });
  let host = newHost();
  const idle = new IdleRelease(options.onIdle);
  const working = options.whileWorking ?? (<T>(work: () => Promise<T>) => work());
  /** Jobs in this host, so the background can cancel one nobody waits for any more. */
  const running = new Map<string, AbortController>();

  const handlers: Handlers<'engine'> = {
    'engine.run': async ({ jobId, job, priority, config }) => {
      const abort = new AbortController();
      running.set(jobId, abort);
      try {
        const onAnswerText = (text: string) => options.onAnswerText(jobId, text);
        return await idle.during(config.releaseAfterIdleSeconds * 1000, () => working(() => host.run(job, config, priority, abort.signal, onAnswerText)));
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
    'engine.preload': async ({ config, onlyIfCached }) => idle.during(config.releaseAfterIdleSeconds * 1000, () => working(() => host.preload(config, onlyIfCached))),
    'engine.cancelLoad': async () => ({ cancelled: host.cancelLoad() }),
    'engine.chatModelState': async ({ config }) => host.chatModelState(config),
    'engine.clipboard': async ({ text }) => ({ copied: await copyFromThisDocument(text) }),
  };
  return {
    handlers,
    async close() {
      for (const job of running.values()) job.abort();
      const old = host;
      host = newHost();
      await old.close();
    },
  };
}

/**
 * An offscreen document can't focus, so the async clipboard API refuses there; a selection in our own
 * DOM works. Firefox's background page takes the async API (clipboardWrite).
 */
async function copyFromThisDocument(text: string): Promise<boolean> {
  const area = document.createElement('textarea');
  area.value = text;
  document.body.append(area);
  area.select();
  try {
    if (document.execCommand('copy')) return true;
  } finally {
    area.remove();
  }
  return navigator.clipboard
    .writeText(text)
    .then(() => true)
    .catch(() => false);
}
