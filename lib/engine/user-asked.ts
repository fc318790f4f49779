/**
 * The user's own requests, as the background saw them: a context-menu click on an image grants reads
 * of that image URL, from that tab and frame, for a short while (the panel's read and its Retry). The
 * content script can't claim it: only a click the browser reported creates a grant.
 */

/** Long enough for the panel to ask, short enough that a stale click grants nothing later. */
export const USER_ASKED_GRANT_MS = 60_000;

interface Grant {
  tabId: number;
  frameId: number;
  url: string;
  expiresAt: number;
}

export class UserAskedGrants {
  private grants: Grant[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  grant(tabId: number, frameId: number, url: string): void {
    this.prune();
    this.grants.push({ tabId, frameId, url, expiresAt: this.now() + USER_ASKED_GRANT_MS });
  }

  /** True if the user asked about this URL in this frame recently. */
  has(tabId: number, frameId: number, url: string): boolean {
    this.prune();
    return this.grants.some((g) => g.tabId === tabId && g.frameId === frameId && g.url === url);
  }

  private prune(): void {
    const now = this.now();
    this.grants = this.grants.filter((g) => g.expiresAt > now);
  }
}
