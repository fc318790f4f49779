/**
 * The engine's job queue: user requests first, then images on screen, then the rest; one job per image
 * however many frames ask for it; bounded globally, per tab and per frame, so one page (or 200 iframes)
 * can't crowd out another tab; served round-robin across tabs at equal priority; and cancellable per
 * request, frame or tab: a job nobody waits for any more is dropped, or aborted if already running.
 *
 * A small pool of jobs runs at once so that fetching and decoding overlap the model run (the engine
 * host serialises model calls itself); user requests get extra slots beyond a full pool.
 */
import { t } from '../i18n';
import { PRIORITY_ORDER, failure, type JobOutcome, type JobPriority } from './jobs';

export const MAX_PENDING_JOBS = 500;
/** A page with more images than this gets the rest later (its content script asks again as it scrolls). */
export const MAX_PENDING_JOBS_PER_TAB = 200;
/** Auto-fill keeps 3 requests in flight per frame; a frame with more queued is misbehaving. */
export const MAX_PENDING_JOBS_PER_FRAME = 50;
/** Jobs in flight to the engine host: one on the model, the others fetching and decoding. */
export const DEFAULT_CONCURRENCY = 3;
/** User requests may run this many beyond a full pool, so they never wait behind background fetches. */
const MAX_EXTRA_USER_JOBS = 2;

export interface Requester {
  tabId: number;
  frameId: number;
  requestId: string;
  /** The browser's id of the document that asked (Chrome 106+), so a navigation cancels only the old one's work. */
  documentId?: string;
}

interface Waiter extends Requester {
  resolve: (outcome: JobOutcome) => void;
  /** When the request reached the queue (the options' clock), to tell a tab's old page from its new one. */
  enqueuedAtMs: number;
}

interface Job<P> {
  key: string;
  payload: P;
  priority: JobPriority;
  seq: number;
  waiters: Waiter[];
  running: boolean;
  abort: AbortController;
}

export interface QueueOptions<P> {
  /** Runs a job; `signal` aborts when nobody waits for it any more. Never rejects in practice; a throw becomes a failure. */
  process: (payload: P, key: string, signal: AbortSignal) => Promise<JobOutcome>;
  maxPending?: number;
  maxPendingPerTab?: number;
  maxPendingPerFrame?: number;
  concurrency?: number;
  /** Milliseconds since the epoch, as navigation events stamp them; tests pass their own. */
  now?: () => number;
}

const rank = (p: JobPriority) => PRIORITY_ORDER.indexOf(p);

export class JobQueue<P> {
  private readonly jobs = new Map<string, Job<P>>();
  private readonly process: QueueOptions<P>['process'];
  private readonly maxPending: number;
  private readonly maxPendingPerTab: number;
  private readonly maxPendingPerFrame: number;
  private readonly concurrency: number;
  private readonly now: () => number;
  private running = 0;
  private seq = 0;
  /** Tab served last, per tab id: the next pick favours the tab that waited longest. */
  private readonly lastServedAt = new Map<number, number>();
  private served = 0;

  constructor(options: QueueOptions<P>) {
    this.process = options.process;
    this.maxPending = options.maxPending ?? MAX_PENDING_JOBS;
    this.maxPendingPerTab = options.maxPendingPerTab ?? MAX_PENDING_JOBS_PER_TAB;
    this.maxPendingPerFrame = options.maxPendingPerFrame ?? MAX_PENDING_JOBS_PER_FRAME;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.now = options.now ?? Date.now;
  }

  enqueue(key: string, payload: P, priority: JobPriority, requester: Requester): Promise<JobOutcome> {
    return new Promise((resolve) => {
      const waiter: Waiter = { ...requester, resolve, enqueuedAtMs: this.now() };
      const existing = this.jobs.get(key);
      if (existing) {
        existing.waiters.push(waiter);
        if (rank(priority) < rank(existing.priority)) existing.priority = priority;
        this.pump();
        return;
      }
      if (priority !== 'user') {
        const quota = this.quotaFailure(requester);
        if (quota) return resolve(quota);
      }
      this.jobs.set(key, { key, payload, priority, seq: this.seq++, waiters: [waiter], running: false, abort: new AbortController() });
      this.evictOverflow();
      this.pump();
    });
  }

  /** Drops the waiters these requests made; a job left without waiters is removed, or aborted if running. */
  cancelRequests(tabId: number, frameId: number, requestIds: readonly string[]): number {
    const ids = new Set(requestIds);
    return this.dropWaiters((w) => w.tabId === tabId && w.frameId === frameId && ids.has(w.requestId), t('failureImageGone'));
  }

  /**
   * Drops every waiter from a tab (closed), or, with `committedAtMs`, those that asked before its top frame
   * committed a new page: the commit event can reach the background after the new page's frames have
   * asked, and their work must stay.
   */
  cancelTab(tabId: number, committedAtMs = Infinity): number {
    return this.dropWaiters((w) => w.tabId === tabId && w.enqueuedAtMs < committedAtMs, t('failureTabGone'));
  }

  /**
   * Drops the waiters of one frame's previous documents (it navigated). The navigation event can reach
   * the background after the new document's first requests: those carry `committedDocumentId` and stay.
   * Where the browser names no documents (Firefox), what was asked before the commit's time is the old one's.
   */
  cancelFrame(tabId: number, frameId: number, committedDocumentId?: string, committedAtMs = Infinity): number {
    const isOld = (w: Waiter) =>
      committedDocumentId === undefined || w.documentId === undefined ? w.enqueuedAtMs < committedAtMs : w.documentId !== committedDocumentId;
    return this.dropWaiters((w) => w.tabId === tabId && w.frameId === frameId && isOld(w), t('failureFrameGone'));
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

  /** Keys in the order they would run (ignoring round-robin), for tests and the popup. */
  pendingKeys(): string[] {
    return this.pendingJobs().map((j) => j.key);
  }

  private dropWaiters(match: (w: Waiter) => boolean, why: string): number {
    let cancelled = 0;
    for (const job of [...this.jobs.values()]) {
      const kept: Waiter[] = [];
      for (const w of job.waiters) {
        if (match(w)) {
          w.resolve(failure('cancelled', why));
          cancelled++;
        } else kept.push(w);
      }
      job.waiters = kept;
      if (kept.length > 0) continue;
      // An aborted job leaves the table at once: a new request for the same image starts afresh.
      if (job.running) job.abort.abort();
      this.jobs.delete(job.key);
    }
    return cancelled;
  }

  private quotaFailure(requester: Requester): JobOutcome | null {
    let perTab = 0;
    let perFrame = 0;
    for (const job of this.jobs.values()) {
      if (job.running) continue;
      if (job.waiters.some((w) => w.tabId === requester.tabId)) perTab++;
      if (job.waiters.some((w) => w.tabId === requester.tabId && w.frameId === requester.frameId)) perFrame++;
    }
    if (perFrame >= this.maxPendingPerFrame || perTab >= this.maxPendingPerTab) {
      return failure('queue-full', t('failureQueueFullPage'));
    }
    return null;
  }

  private pendingJobs(): Job<P>[] {
    return [...this.jobs.values()].filter((j) => !j.running).sort((a, b) => rank(a.priority) - rank(b.priority) || a.seq - b.seq);
  }

  /** The most urgent job, and among equally urgent ones the one from the tab served longest ago. */
  private nextJob(): Job<P> | undefined {
    const pending = this.pendingJobs();
    const best = pending[0];
    if (!best) return undefined;
    const candidates = pending.filter((j) => j.priority === best.priority);
    let pick = best;
    let pickServedAt = Infinity;
    for (const job of candidates) {
      const servedAt = Math.min(...job.waiters.map((w) => this.lastServedAt.get(w.tabId) ?? -1));
      if (servedAt < pickServedAt) {
        pick = job;
        pickServedAt = servedAt;
      }
    }
    return pick;
  }

  private evictOverflow(): void {
    const pending = this.pendingJobs().filter((j) => j.priority !== 'user');
    const excess = Math.max(0, pending.length - this.maxPending);
    // The least urgent, most recently added jobs go: they have waited least.
    for (const job of pending.slice(pending.length - excess)) {
      this.jobs.delete(job.key);
      for (const w of job.waiters) w.resolve(failure('queue-full', t('failureQueueFull')));
    }
  }

  private pump(): void {
    for (;;) {
      const next = this.nextJob();
      if (!next) return;
      const isUser = next.priority === 'user';
      if (this.running >= this.concurrency + (isUser ? MAX_EXTRA_USER_JOBS : 0)) return;
      next.running = true;
      this.running++;
      for (const w of next.waiters) this.lastServedAt.set(w.tabId, this.served);
      this.served++;
      void this.run(next);
    }
  }

  private async run(job: Job<P>): Promise<void> {
    let outcome: JobOutcome;
    try {
      outcome = await this.process(job.payload, job.key, job.abort.signal);
    } catch (err) {
      outcome = failure('model-failed', err instanceof Error ? err.message : String(err));
    }
    if (this.jobs.get(job.key) === job) this.jobs.delete(job.key);
    for (const w of job.waiters) w.resolve(outcome);
    this.running--;
    this.pump();
  }
}
