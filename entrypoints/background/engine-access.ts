/**
 * How the background reaches the engine host, whichever it is: Chrome's offscreen document (over
 * runtime messages, created on demand) or Firefox's background page, which is this very page (called
 * directly: a page never receives its own runtime messages). The queue's link and every engine call
 * go through this.
 */
import { EngineGoneError, withLivenessWatch, type EngineLink } from '@/lib/engine/retry';
import type { AnyEngineJob, JobOutcome, JobPriority } from '@/lib/engine/jobs';
import type { MessageName, Req, Res } from '@/lib/messages';
import { readEngineConfig } from '@/lib/settings';

export interface EngineAccess {
  /** Sends to the engine host as it is (it must exist: see `ensure`). */
  send<K extends MessageName<'engine'>>(name: K, req: Req<'engine', K>): Promise<Res<'engine', K>>;
  /** Makes sure a live engine host exists, creating it if needed. */
  ensure(): Promise<void>;
  /** Throws the host away (its models' memory with it); the next `ensure` brings a fresh one. */
  discard(): Promise<void>;
  /** Whether a host exists now (nothing is created to find out). */
  isRunning(): Promise<boolean>;
  /** Whether an error from `send` means the host vanished mid-call (crashed, closed). */
  isHostGone(err: unknown): boolean;
}

/** A job as the background sends it: what to do, for whom, and how urgently. */
export interface QueuedEngineJob {
  job: AnyEngineJob;
  priority: JobPriority;
  /** Hears an answer's text so far while the engine generates it (ask jobs). */
  onAnswerText?: (text: string) => void;
}

/** How long a ping may take before a job that is out longer than its deadlines counts the host as stuck. */
const PING_TIMEOUT_MS = 10_000;

export type EngineJobLink = EngineLink<QueuedEngineJob> & {
  /** Passes an answer's text so far to whoever asked; false when no job of that id is out. */
  answerProgress(jobId: string, text: string): boolean;
};

/** `send` turns "the host vanished mid-job" into EngineGoneError, so the job is retried on a new one. */
export function engineJobLink(engine: EngineAccess, onModelCalls: (n: number) => void): EngineJobLink {
  /** Jobs out on the engine whose answer streams back, by the id the engine knows them by. */
  const answerListeners = new Map<string, (text: string) => void>();
  return {
    answerProgress(jobId, text) {
      const listener = answerListeners.get(jobId);
      listener?.(text);
      return listener !== undefined;
    },
    // A host that fails to come up (it crashed while loading) is as gone as one that dies mid-job.
    ensureHost: () =>
      engine.ensure().catch((err: unknown) => {
        throw new EngineGoneError(err instanceof Error ? err.message : String(err));
      }),
    discardHost: () => engine.discard(),
    async send({ job, priority, onAnswerText }, signal): Promise<JobOutcome> {
      const config = await readEngineConfig();
      const jobId = crypto.randomUUID();
      if (onAnswerText) answerListeners.set(jobId, onAnswerText);
      const cancel = () => void engine.send('engine.cancel', { jobId }).catch(() => undefined);
      signal.addEventListener('abort', cancel, { once: true });
      try {
        const answer = engine.send('engine.run', { jobId, job, priority, config }).then(({ outcome, modelCalls }) => {
          onModelCalls(modelCalls);
          return outcome;
        });
        const { fetchMs, decodeMs, modelRunMs } = config.deadlines;
        return await withLivenessWatch(answer, {
          checkEveryMs: fetchMs + decodeMs + modelRunMs,
          pingTimeoutMs: PING_TIMEOUT_MS,
          ping: () => engine.send('engine.ping', {}),
          onUnresponsive: () => engine.discard(),
        });
      } catch (err) {
        if (engine.isHostGone(err)) throw new EngineGoneError(err instanceof Error ? err.message : String(err));
        throw err;
      } finally {
        signal.removeEventListener('abort', cancel);
        answerListeners.delete(jobId);
      }
    },
  };
}

/** Calls the engine, bringing it up first. */
export async function callEngine<K extends MessageName<'engine'>>(engine: EngineAccess, name: K, req: Req<'engine', K>): Promise<Res<'engine', K>> {
  await engine.ensure();
  return engine.send(name, req);
}
