/**
 * Runs a job on the engine host, recreating the host and retrying once if it died mid-job. A second
 * death gives the caller a clear failure instead of a hang; a job nobody waits for any more ends at once.
 */
import { t } from '../i18n';
import { failure, type JobOutcome } from './jobs';

export class EngineGoneError extends Error {}

export interface EngineLink<J> {
  /** Makes sure a live engine host exists (creating it if needed). */
  ensureHost: () => Promise<void>;
  /** Sends the job; rejects with EngineGoneError when the host disappeared before answering. */
  send: (job: J, signal: AbortSignal) => Promise<JobOutcome>;
  /** Throws the dead host away so the next ensureHost builds a fresh one. */
  discardHost: () => Promise<void>;
}

const CANCELLED = () => failure('cancelled', t('failureNobodyNeedsImage'));

export async function runWithOneRetry<J>(job: J, link: EngineLink<J>, signal: AbortSignal = new AbortController().signal): Promise<JobOutcome> {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (signal.aborted) return CANCELLED();
    try {
      await link.ensureHost();
      if (signal.aborted) return CANCELLED();
      return await untilAborted(link.send(job, signal), signal);
    } catch (err) {
      if (!(err instanceof EngineGoneError)) throw err;
      await link.discardHost().catch(() => undefined);
    }
  }
  return failure('engine-crashed', t('failureEngineStoppedTwice'));
}

/** The answer, or "cancelled" as soon as the signal aborts: the engine is told separately. */
function untilAborted(answer: Promise<JobOutcome>, signal: AbortSignal): Promise<JobOutcome> {
  if (signal.aborted) return Promise.resolve(CANCELLED());
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(CANCELLED());
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort)).catch(() => undefined);
  });
}

/**
 * The engine host enforces its own deadlines, but a model call that never yields would block its event
 * loop and with it those timers. While a job is out, the background checks every `checkEveryMs` that the
 * host still answers a ping; when it doesn't (within `pingTimeoutMs`), the job is failed and the host
 * replaced. Downloads and long queues keep answering pings, so they are never cut by this.
 */
export async function withLivenessWatch(
  answer: Promise<JobOutcome>,
  options: { checkEveryMs: number; pingTimeoutMs: number; ping: () => Promise<unknown>; onUnresponsive: () => Promise<void> },
): Promise<JobOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  const watch = new Promise<JobOutcome>((resolve) => {
    const check = async () => {
      if (settled) return;
      const alive = await Promise.race([
        Promise.resolve()
          .then(options.ping)
          .then(() => true, () => false),
        new Promise<boolean>((r) => setTimeout(() => r(false), options.pingTimeoutMs)),
      ]);
      if (settled) return;
      if (alive) {
        timer = setTimeout(check, options.checkEveryMs);
        return;
      }
      await options.onUnresponsive().catch(() => undefined);
      resolve(failure('timed-out', t('failureEngineUnresponsive')));
    };
    timer = setTimeout(check, options.checkEveryMs);
  });
  try {
    return await Promise.race([answer, watch]);
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}
