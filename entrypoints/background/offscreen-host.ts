/**
 * Lifecycle of Chrome's offscreen engine host: created on demand, shared by every tab, recreated when
 * it dies. `send` turns "the host vanished mid-job" into EngineGoneError so the job can be retried.
 */
import { browser } from 'wxt/browser';
import { EngineGoneError, type EngineLink } from '@/lib/engine/retry';
import type { EngineJob, JobOutcome } from '@/lib/engine/jobs';
import { readEngineConfig } from '@/lib/settings';
import { sendToEngine } from '@/lib/transport';

const OFFSCREEN_PATH = '/offscreen.html';
/** Chrome's wording when the receiving document closed or crashed before answering. */
const HOST_GONE = /message port closed|Receiving end does not exist|message channel closed|No AltSight handler/i;

let creating: Promise<void> | null = null;

export async function hasEngineHost(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [browser.runtime.getURL(OFFSCREEN_PATH as '/')],
  });
  return contexts.length > 0;
}

async function ensureEngineHost(): Promise<void> {
  if (await hasEngineHost()) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.WORKERS],
      justification: 'Runs the on-device image captioning model.',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
  await waitForEngineListener();
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

async function discardEngineHost(): Promise<void> {
  if (await hasEngineHost()) await chrome.offscreen.closeDocument();
}

export const offscreenEngineLink: EngineLink<EngineJob> = {
  ensureHost: ensureEngineHost,
  discardHost: discardEngineHost,
  async send(job): Promise<JobOutcome> {
    const config = await readEngineConfig();
    try {
      return await sendToEngine('engine.run', { job, config });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (HOST_GONE.test(message)) throw new EngineGoneError(message);
      throw err;
    }
  },
};
