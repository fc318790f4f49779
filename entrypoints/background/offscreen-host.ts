/**
 * Lifecycle of Chrome's offscreen engine host: created on demand, shared by every tab, recreated when
 * it dies. `send` turns "the host vanished mid-job" into EngineGoneError so the job can be retried.
 */
import { browser } from 'wxt/browser';
import { HostLifecycle } from '@/lib/engine/host-lifecycle';
import { EngineGoneError, withLivenessWatch, type EngineLink } from '@/lib/engine/retry';
import type { EngineJob, JobOutcome, JobPriority } from '@/lib/engine/jobs';
import { messagesLocale } from '@/lib/i18n';
import { readEngineConfig } from '@/lib/settings';
import { sendToEngine } from '@/lib/transport';

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

/** The document loads before its module finishes; a job sent in between would look like a crash. */
async function waitForEngineListener(timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await sendToEngine('engine.ping', {});
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
});

export const ensureEngineHost = (): Promise<void> => lifecycle.ensure();
export const discardEngineHost = (): Promise<void> => lifecycle.discard();

/** A job as the background sends it: what to do, for whom, and how urgently. */
export interface QueuedEngineJob {
  job: EngineJob;
  priority: JobPriority;
}

/** How often a job that is out longer than its deadlines checks the host still answers. */
const PING_TIMEOUT_MS = 10_000;

export function offscreenEngineLink(onModelCalls: (n: number) => void): EngineLink<QueuedEngineJob> {
  return {
    // A host that fails to come up (it crashed while loading) is as gone as one that dies mid-job.
    ensureHost: () =>
      ensureEngineHost().catch((err: unknown) => {
        throw new EngineGoneError(err instanceof Error ? err.message : String(err));
      }),
    discardHost: discardEngineHost,
    async send({ job, priority }, signal): Promise<JobOutcome> {
      const config = await readEngineConfig();
      const jobId = crypto.randomUUID();
      const cancel = () => void sendToEngine('engine.cancel', { jobId }).catch(() => undefined);
      signal.addEventListener('abort', cancel, { once: true });
      try {
        const answer = sendToEngine('engine.run', { jobId, job, priority, config }).then(({ outcome, modelCalls }) => {
          onModelCalls(modelCalls);
          return outcome;
        });
        const { fetchMs, decodeMs, modelRunMs } = config.deadlines;
        return await withLivenessWatch(answer, {
          checkEveryMs: fetchMs + decodeMs + modelRunMs,
          pingTimeoutMs: PING_TIMEOUT_MS,
          ping: () => sendToEngine('engine.ping', {}),
          onUnresponsive: discardEngineHost,
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (HOST_GONE.test(message)) throw new EngineGoneError(message);
        throw err;
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    },
  };
}

/** Copies from our own document (the engine host has the CLIPBOARD reason), never through a page's DOM. */
export async function copyToClipboard(text: string): Promise<boolean> {
  await ensureEngineHost();
  return (await sendToEngine('engine.clipboard', { text })).copied;
}
