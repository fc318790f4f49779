/**
 * Keeps the background from being stopped in the middle of engine work: Firefox's event page (the engine
 * host there) and Chrome's service worker, which waits on its offscreen host.
 *
 * Chrome stops an extension service worker 30 s after its last extension event or API call. A request
 * pending on a runtime port doesn't hold it (runtime.sendMessage's pending answer does): a content
 * script's caption that took longer died at 30 s with its port. Any API call resets that timer.
 *
 * Firefox suspends an event page 30 s (`extensions.background.idle.timeout`) after its last extension
 * event or parent-process API call, even while it still owes a runtime message its answer. Any longer job
 * with no new message arriving meanwhile (seen: a big model's 40 s first load; as likely: a first download,
 * a big page's text read, a long answer) was cut off there: the caller got "The message port closed before
 * a response was received", and the page came back empty.
 *
 * Firefox resets that timer whenever the background page calls an API its parent process serves
 * (ExtensionParent: `background-script-reset-idle`, reason `parentApiCall`). So while work is in flight,
 * `ping` makes such a call every `everyMs`. Once the last piece of work ends the pings stop, and Firefox
 * may suspend the page again, which frees the models' memory.
 *
 * A synchronous stretch longer than the idle timeout minus `everyMs` (one ONNX session created on the
 * main thread) still can't be covered: no timer fires during it.
 */

export interface IntervalTimers {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const GLOBAL_TIMERS: IntervalTimers = {
  setInterval: (run, ms) => globalThis.setInterval(run, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as ReturnType<typeof setInterval>),
};

/** A sixth of either browser's idle timeout, so pings can be late (a busy main thread) and still count. */
export const KEEP_ALIVE_EVERY_MS = 5_000;

export class KeepAlive {
  private inFlight = 0;
  private interval: unknown = null;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly everyMs = KEEP_ALIVE_EVERY_MS,
    private readonly timers: IntervalTimers = GLOBAL_TIMERS,
  ) {}

  /** Runs `work`, pinging until it and every other piece of work in flight have ended. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) {
      this.interval = this.timers.setInterval(() => void this.ping().catch(() => undefined), this.everyMs);
    }
    try {
      return await work();
    } finally {
      if (--this.inFlight === 0) {
        this.timers.clearInterval(this.interval);
        this.interval = null;
      }
    }
  }

  /** Whether pings are going out now (for tests). */
  get active(): boolean {
    return this.interval !== null;
  }
}
