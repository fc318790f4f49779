/**
 * Brings an engine host (Chrome's offscreen document) up and down, one step at a time. Every create,
 * wait-for-listener and close runs in turn: otherwise a second job could find the document loading but
 * not yet listening, take that for a crash and close it under the first job, whose create then fails.
 */
export interface HostOps {
  /** Whether the host document exists (it may still be loading). */
  exists: () => Promise<boolean>;
  create: () => Promise<void>;
  close: () => Promise<void>;
  /** Resolves once the host's message listener answers; rejects if it never does. */
  waitUntilListening: () => Promise<void>;
  /**
   * Whether a live link to the host is open now (a port that closes with the host document), so that
   * `ensure` need not ask the browser whether the document exists (0.5 ms a job in Chrome).
   */
  isAnswering?: () => boolean;
}

export class HostLifecycle {
  private chain: Promise<void> = Promise.resolve();
  /** The current host answered; cleared when we close it. A host that died on its own no longer exists. */
  private listening = false;

  constructor(private readonly ops: HostOps) {}

  /** A host that exists and listens; created if needed. */
  ensure(): Promise<void> {
    return this.inTurn(async () => {
      if (this.listening && this.ops.isAnswering?.()) return;
      const exists = await this.ops.exists();
      if (exists && this.listening) return;
      this.listening = false;
      if (!exists) await this.ops.create();
      await this.ops.waitUntilListening();
      this.listening = true;
    });
  }

  /** Closes the host, after any create or close already under way. */
  discard(): Promise<void> {
    return this.inTurn(async () => {
      this.listening = false;
      if (await this.ops.exists()) await this.ops.close();
    });
  }

  private inTurn(step: () => Promise<void>): Promise<void> {
    const next = this.chain.catch(() => undefined).then(step);
    this.chain = next;
    return next;
  }
}
