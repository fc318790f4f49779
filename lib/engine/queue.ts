/**
 * The engine's job queue: user requests first, then images on screen, then the rest; one job per image
 * URL however many frames ask for it; bounded, so a 10,000-image page can't grow it without limit;
 * cancellable per tab, so closing or leaving a tab stops its work.
 */
import { PRIORITY_ORDER, failure, type JobOutcome, type JobPriority } from './jobs';

export const MAX_PENDING_JOBS = 500;

interface Waiter {
  tabId: number;
  resolve: (outcome: JobOutcome) => void;
}

interface Job<P> {
  key: string;
  payload: P;
  priority: JobPriority;
  seq: number;
  waiters: Waiter[];
  running: boolean;
}

export interface QueueOptions<P> {
  process: (payload: P, key: string) => Promise<JobOutcome>;
  maxPending?: number;
  /** How many jobs run at once; the engine host runs one model, so more only overlaps fetching. */
  concurrency?: number;
}

const rank = (p: JobPriority) => PRIORITY_ORDER.indexOf(p);

export class JobQueue<P> {
  private readonly jobs = new Map<string, Job<P>>();
  private readonly process: QueueOptions<P>['process'];
  private readonly maxPending: number;
  private readonly concurrency: number;
  private running = 0;
  private seq = 0;

  constructor(options: QueueOptions<P>) {
    this.process = options.process;
    this.maxPending = options.maxPending ?? MAX_PENDING_JOBS;
    this.concurrency = options.concurrency ?? 1;
  }

  enqueue(key: string, payload: P, priority: JobPriority, tabId: number): Promise<JobOutcome> {
    return new Promise((resolve) => {
      const waiter = { tabId, resolve };
      const existing = this.jobs.get(key);
      if (existing) {
        existing.waiters.push(waiter);
        if (rank(priority) < rank(existing.priority)) existing.priority = priority;
        return;
      }
      this.jobs.set(key, { key, payload, priority, seq: this.seq++, waiters: [waiter], running: false });
      this.evictOverflow();
      this.pump();
    });
  }

  /** Drops every waiter from a tab; a job nobody waits for any more is removed before it runs. */
  cancelTab(tabId: number): number {
    let cancelled = 0;
    for (const job of this.jobs.values()) {
      const kept = job.waiters.filter((w) => w.tabId !== tabId);
      for (const w of job.waiters) {
        if (w.tabId === tabId) {
          w.resolve(failure('cancelled', 'The tab was closed or navigated away.'));
          cancelled++;
        }
      }
      job.waiters = kept;
      if (kept.length === 0 && !job.running) this.jobs.delete(job.key);
    }
    return cancelled;
  }

  get pendingCount(): number {
    let n = 0;
    for (const job of this.jobs.values()) if (!job.running) n++;
    return n;
  }

  /** No job waiting or running. */
  get isEmpty(): boolean {
    return this.jobs.size === 0;
  }

  /** Keys in the order they would run, for tests and the popup. */
  pendingKeys(): string[] {
    return this.pendingJobs().map((j) => j.key);
  }

  private pendingJobs(): Job<P>[] {
    return [...this.jobs.values()]
      .filter((j) => !j.running)
      .sort((a, b) => rank(a.priority) - rank(b.priority) || a.seq - b.seq);
  }

  private evictOverflow(): void {
    const pending = this.pendingJobs();
    const excess = Math.max(0, pending.length - this.maxPending);
    // The least urgent, most recently added jobs go: they have waited least.
    for (const job of pending.slice(pending.length - excess)) {
      this.jobs.delete(job.key);
      for (const w of job.waiters) w.resolve(failure('queue-full', 'Too many images are waiting; try again shortly.'));
    }
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const next = this.pendingJobs()[0];
      if (!next) return;
      next.running = true;
      this.running++;
      void this.run(next);
    }
  }

  private async run(job: Job<P>): Promise<void> {
    let outcome: JobOutcome;
    try {
      outcome = await this.process(job.payload, job.key);
    } catch (err) {
      outcome = failure('model-failed', err instanceof Error ? err.message : String(err));
    }
    this.jobs.delete(job.key);
    for (const w of job.waiters) w.resolve(outcome);
    this.running--;
    this.pump();
  }
}
