/**
 * The user's own requests, as the background saw them: a context-menu click on an image grants reads
 * of that image URL, from that tab and frame, for a short while (the panel's read and its Retry, a
 * question about the image). The content script can't claim it: only a click the browser reported
 * creates a grant.
 *
 * Grants are kept in session storage too (../session-area.ts): a background stopped in between (30 s
 * without events) would otherwise forget them, and a question typed for longer than that about a
 * cookie-protected image would be fetched without the reader's cookies, and fail.
 */
import type { SessionArea } from '../session-area';

/** Long enough for the panel to ask, short enough that a stale click grants nothing later. */
export const USER_ASKED_GRANT_MS = 60_000;

const GRANTS_KEY = 'userAskedGrants';

interface Grant {
  tabId: number;
  frameId: number;
  url: string;
  expiresAt: number;
}

export class UserAskedGrants {
  /** This background's copy, read from storage once (grants a stopped predecessor made). */
  private grants: Promise<Grant[]> | null = null;
  /** Changes to the grants, one at a time, in the order they were asked for. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly area: SessionArea,
    private readonly now: () => number = Date.now,
  ) {}

  grant(tabId: number, frameId: number, url: string): Promise<void> {
    return this.serially(async () => {
      const live = (await this.load()).filter((g) => g.expiresAt > this.now());
      live.push({ tabId, frameId, url, expiresAt: this.now() + USER_ASKED_GRANT_MS });
      this.grants = Promise.resolve(live);
      // Kept in memory even if storage refuses: the grant holds for as long as this background runs.
      await this.area.set({ [GRANTS_KEY]: live }).catch(() => undefined);
    });
  }

  /** True if the user asked about this URL in this frame recently. */
  has(tabId: number, frameId: number, url: string): Promise<boolean> {
    return this.serially(async () => {
      const now = this.now();
      return (await this.load()).some((g) => g.expiresAt > now && g.tabId === tabId && g.frameId === frameId && g.url === url);
    });
  }

  private load(): Promise<Grant[]> {
    this.grants ??= this.area.get([GRANTS_KEY]).then(
      (items) => (Array.isArray(items[GRANTS_KEY]) ? (items[GRANTS_KEY] as Grant[]) : []),
      () => [],
    );
    return this.grants;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
