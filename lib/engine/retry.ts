/**
 * Runs a job on the engine host, recreating the host and retrying once if it died mid-job. A second
 * death gives the caller a clear failure instead of a hang.
 */
import { failure, type JobOutcome } from './jobs';

export class EngineGoneError extends Error {}

export interface EngineLink<J> {
  /** Makes sure a live engine host exists (creating it if needed). */
  ensureHost: () => Promise<void>;
  /** Sends the job; rejects with EngineGoneError when the host disappeared before answering. */
  send: (job: J) => Promise<JobOutcome>;
  /** Throws the dead host away so the next ensureHost builds a fresh one. */
  discardHost: () => Promise<void>;
}

export async function runWithOneRetry<J>(job: J, link: EngineLink<J>): Promise<JobOutcome> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await link.ensureHost();
      return await link.send(job);
    } catch (err) {
      if (!(err instanceof EngineGoneError)) throw err;
      await link.discardHost().catch(() => undefined);
    }
  }
  return failure('engine-crashed', 'The captioning engine stopped twice while working on this image.');
}
