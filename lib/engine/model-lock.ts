/**
 * One model call at a time in an engine host: ORT runs one session at a time anyway, and two captioners
 * racing for the same threads only make both slower. Waiting jobs go in priority order (a user request
 * waits behind at most the call already running), then first come, first served; a waiter whose job is
 * cancelled leaves the line.
 */
import { PRIORITY_ORDER, type JobPriority } from './jobs';

interface Waiter {
  priority: JobPriority;
  seq: number;
  grant: () => void;
}

export class ModelLock {
  private held = false;
  private seq = 0;
  private readonly waiting: Waiter[] = [];

  /** Resolves with the release function once the model is ours; rejects with the signal's reason if aborted first. */
  acquire(priority: JobPriority, signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.held = false;
        this.grantNext();
      };
      const waiter: Waiter = {
        priority,
        seq: this.seq++,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          this.held = true;
          resolve(release);
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      if (!this.held) this.grantNext();
    });
  }

  get queued(): number {
    return this.waiting.length;
  }

  private grantNext(): void {
    if (this.held || this.waiting.length === 0) return;
    const rank = (p: JobPriority) => PRIORITY_ORDER.indexOf(p);
    this.waiting.sort((a, b) => rank(a.priority) - rank(b.priority) || a.seq - b.seq);
    this.waiting.shift()!.grant();
  }
}
