/**
 * Captures of a selected region, kept by the background for the panel's later reads of them ("Read as
 * handwriting", Retry, questions about the selection) and handed out by id, only to the tab that took
 * them.
 *
 * Kept in session storage (session-area.ts), not only in the background's memory: a capture held in
 * memory went with a stopped background, and a reader who looked at the text for half a minute, then
 * asked for handwriting or a question about the selection, was told to select the area again.
 */
import type { SessionArea } from './session-area';

/** A capture is kept this long after it was taken or last read. */
export const CAPTURE_KEPT_MS = 5 * 60_000;
/** Captures kept per tab: the panel shows one at a time, so older ones are of no use. */
export const CAPTURES_PER_TAB = 2;
/**
 * Bytes of captures kept in session storage, oldest dropped first: Chrome gives the area 10 MB in all.
 * A capture bigger than this is kept in memory only, as before (a full screen at twice the pixels can be).
 */
export const CAPTURE_BYTES_STORED = 8 * 1024 * 1024;

const INDEX_KEY = 'pendingCaptures';
const pixelsKey = (id: string) => `pendingCapture:${id}`;

interface CaptureEntry {
  id: string;
  tabId: number;
  expiresAt: number;
  /** Length of its data URL; 0 when it is in memory only. */
  storedBytes: number;
}

export class PendingCaptures {
  /**
   * Captures this background took or read, so it reads them back without a storage round trip (and
   * still can where storage fails).
   */
  private readonly inMemory = new Map<string, { entry: CaptureEntry; pixels: string }>();
  /** Read-modify-write of the index, one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly area: SessionArea,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  keep(tabId: number, pngDataUrl: string): Promise<string> {
    return this.serially(async () => {
      const now = this.now();
      const all = await this.readIndex();
      const index = all.filter((c) => c.expiresAt >= now);
      const ofTab = index.filter((c) => c.tabId === tabId);
      const dropped = new Set([...all.filter((c) => c.expiresAt < now), ...ofTab.slice(0, Math.max(0, ofTab.length - CAPTURES_PER_TAB + 1))].map((c) => c.id));
      const stored = pngDataUrl.length <= CAPTURE_BYTES_STORED;
      let kept = index.filter((c) => !dropped.has(c.id));
      if (stored) {
        // Oldest first, until the new one fits.
        while (kept.reduce((sum, c) => sum + c.storedBytes, 0) + pngDataUrl.length > CAPTURE_BYTES_STORED) {
          dropped.add(kept[0]!.id);
          kept = kept.slice(1);
        }
      }
      const id = this.newId();
      const entry = { id, tabId, expiresAt: now + CAPTURE_KEPT_MS, storedBytes: stored ? pngDataUrl.length : 0 };
      this.inMemory.set(id, { entry, pixels: pngDataUrl });
      kept.push(entry);
      await this.drop([...dropped]);
      try {
        await this.area.set({ [INDEX_KEY]: kept, ...(stored ? { [pixelsKey(id)]: pngDataUrl } : {}) });
      } catch {
        // Storage refused (full): the capture lives as long as this background does, as it always did.
        await this.area.set({ [INDEX_KEY]: kept.map((c) => (c.id === id ? { ...c, storedBytes: 0 } : c)) }).catch(() => undefined);
      }
      return id;
    });
  }

  /** The capture, only for the tab that took it, while it is kept; each read keeps it longer. */
  read(tabId: number, id: string): Promise<string | null> {
    return this.serially(async () => {
      const now = this.now();
      const index = await this.readIndex();
      const held = this.inMemory.get(id);
      const entry = index.find((c) => c.id === id) ?? held?.entry;
      if (!entry || entry.tabId !== tabId || entry.expiresAt < now) return null;
      const stored = held ? {} : await this.area.get([pixelsKey(id)]).catch(() => ({}) as Record<string, unknown>);
      const pixels = held?.pixels ?? (stored[pixelsKey(id)] as string | undefined) ?? null;
      if (pixels === null) return null; // kept in the memory of a background that has since stopped
      entry.expiresAt = now + CAPTURE_KEPT_MS;
      if (held) held.entry.expiresAt = entry.expiresAt;
      await this.area.set({ [INDEX_KEY]: index }).catch(() => undefined);
      return pixels;
    });
  }

  /**
   * Drops the captures of closed tabs, and any past their time: a capture shows whatever the screen did,
   * so it is not left in storage until the next one is taken.
   */
  forget(which: { tabId?: number } = {}): Promise<void> {
    return this.serially(async () => {
      const now = this.now();
      const index = await this.readIndex();
      const gone = (c: CaptureEntry) => c.expiresAt < now || c.tabId === which.tabId;
      if (!index.some(gone)) return;
      await this.drop(index.filter(gone).map((c) => c.id));
      await this.area.set({ [INDEX_KEY]: index.filter((c) => !gone(c)) }).catch(() => undefined);
    });
  }

  private async readIndex(): Promise<CaptureEntry[]> {
    // Storage that fails to answer leaves this background's memory, as before: a capture is never refused for it.
    const value = (await this.area.get([INDEX_KEY]).catch(() => ({}) as Record<string, unknown>))[INDEX_KEY];
    return Array.isArray(value) ? (value as CaptureEntry[]) : [];
  }

  private async drop(ids: string[]): Promise<void> {
    if (!ids.length) return;
    for (const id of ids) this.inMemory.delete(id);
    await this.area.remove(ids.map(pixelsKey)).catch(() => undefined);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
