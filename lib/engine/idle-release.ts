/**
 * Frees the engine host's memory (a captioning model holds 1–2 GB) once no job has run for a while:
 * the next job recreates the host, and the models load again from the browser cache in seconds.
 */

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const GLOBAL_TIMERS: Timers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Counts running jobs; when the last one ends, `release` is called after idleMs unless a job starts first. */
export class IdleRelease {
  private running = 0;
  private countdown: unknown = null;

  constructor(
    private readonly release: () => void,
    private readonly timers: Timers = GLOBAL_TIMERS,
  ) {}

  /** Runs one job. idleMs of 0 (or not finite) never releases. */
  async during<T>(idleMs: number, job: () => Promise<T>): Promise<T> {
    this.running++;
    this.stopCountdown();
    try {
      return await job();
    } finally {
      this.running--;
      if (this.running === 0 && idleMs > 0 && Number.isFinite(idleMs)) {
        this.countdown = this.timers.setTimeout(() => {
          this.countdown = null;
          this.release();
        }, idleMs);
      }
    }
  }

  private stopCountdown(): void {
    if (this.countdown !== null) this.timers.clearTimeout(this.countdown);
    this.countdown = null;
  }
}
