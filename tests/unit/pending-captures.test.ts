import { describe, expect, it } from 'vitest';
import { CAPTURE_BYTES_STORED, CAPTURE_KEPT_MS, PendingCaptures } from '@/lib/pending-captures';
import { fakeSessionArea as sessionArea } from '../support/session-area';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function ids() {
  let n = 0;
  return () => `capture-${++n}`;
}

const png = (label: string, length = 64) => `data:image/png;base64,${label.padEnd(length, 'A')}`;

describe('PendingCaptures', () => {
  it('hands a capture to the tab that took it, and to no other', async () => {
    const captures = new PendingCaptures(sessionArea().area, clock().now, ids());
    const id = await captures.keep(4, png('one'));
    expect(await captures.read(4, id)).toBe(png('one'));
    expect(await captures.read(5, id)).toBeNull();
    expect(await captures.read(4, 'capture-unknown')).toBeNull();
  });

  it('outlives the background that took it: a restarted one reads it from session storage', async () => {
    const { area } = sessionArea();
    const time = clock();
    const id = await new PendingCaptures(area, time.now, ids()).keep(4, png('one'));
    time.advance(45_000);
    const restarted = new PendingCaptures(area, time.now, ids());
    expect(await restarted.read(4, id)).toBe(png('one'));
    expect(await restarted.read(5, id)).toBeNull();
  });

  it('expires a capture nobody read for the kept time; each read keeps it longer', async () => {
    const { area } = sessionArea();
    const time = clock();
    const captures = new PendingCaptures(area, time.now, ids());
    const read = await captures.keep(4, png('read'));
    const unread = await captures.keep(5, png('unread'));
    time.advance(CAPTURE_KEPT_MS - 1000);
    expect(await captures.read(4, read)).toBe(png('read'));
    time.advance(2000);
    expect(await captures.read(5, unread)).toBeNull();
    expect(await new PendingCaptures(area, time.now, ids()).read(4, read)).toBe(png('read'));
  });

  it('keeps two captures per tab, and drops expired ones from storage when the next is taken', async () => {
    const { area, items } = sessionArea();
    const time = clock();
    const captures = new PendingCaptures(area, time.now, ids());
    const first = await captures.keep(4, png('1'));
    const second = await captures.keep(4, png('2'));
    const other = await captures.keep(7, png('other'));
    const third = await captures.keep(4, png('3'));
    expect(await captures.read(4, first)).toBeNull();
    expect(await captures.read(4, second)).toBe(png('2'));
    expect(await captures.read(4, third)).toBe(png('3'));
    expect(items.has(`pendingCapture:${first}`)).toBe(false);

    time.advance(CAPTURE_KEPT_MS + 1);
    await captures.keep(9, png('later'));
    expect([...items.keys()].filter((k) => k.startsWith('pendingCapture:'))).toEqual(['pendingCapture:capture-5']);
    expect(await captures.read(7, other)).toBeNull();
  });

  it('stores at most CAPTURE_BYTES_STORED, dropping the oldest first', async () => {
    const { area, items } = sessionArea();
    const captures = new PendingCaptures(area, clock().now, ids());
    const third = Math.floor(CAPTURE_BYTES_STORED / 3);
    const oldest = await captures.keep(1, png('a', third));
    const middle = await captures.keep(2, png('b', third));
    const newest = await captures.keep(3, png('c', third));
    expect(await captures.read(1, oldest)).toBeNull();
    expect(await captures.read(2, middle)).toBe(png('b', third));
    expect(await captures.read(3, newest)).toBe(png('c', third));
    const storedBytes = [...items].filter(([k]) => k.startsWith('pendingCapture:')).reduce((sum, [, v]) => sum + (v as string).length, 0);
    expect(storedBytes).toBeLessThanOrEqual(CAPTURE_BYTES_STORED);
  });

  it('keeps a capture too big to store in memory, for as long as this background runs', async () => {
    const { area, items } = sessionArea();
    const captures = new PendingCaptures(area, clock().now, ids());
    const huge = png('huge', CAPTURE_BYTES_STORED + 1);
    const id = await captures.keep(4, huge);
    expect(items.has(`pendingCapture:${id}`)).toBe(false);
    expect(await captures.read(4, id)).toBe(huge);
    expect(await new PendingCaptures(area, clock().now, ids()).read(4, id)).toBeNull();
  });

  it('a storage that refuses (full) still leaves the capture readable here', async () => {
    const { area } = sessionArea({ quotaBytes: 1000 });
    const captures = new PendingCaptures(area, clock().now, ids());
    const id = await captures.keep(4, png('big', 5000));
    expect(await captures.read(4, id)).toBe(png('big', 5000));
  });

  it('captures taken at the same time all stay in the index', async () => {
    const captures = new PendingCaptures(sessionArea().area, clock().now, ids());
    const [a, b] = await Promise.all([captures.keep(1, png('a')), captures.keep(2, png('b'))]);
    expect(await captures.read(1, a)).toBe(png('a'));
    expect(await captures.read(2, b)).toBe(png('b'));
  });

  it('forgets the captures of a closed tab, and expired ones, without waiting for the next capture', async () => {
    const { area, items } = sessionArea();
    const time = clock();
    const captures = new PendingCaptures(area, time.now, ids());
    const closed = await captures.keep(4, png('closed tab'));
    const open = await captures.keep(5, png('open tab'));
    await captures.forget({ tabId: 4 });
    expect(await captures.read(4, closed)).toBeNull();
    expect(items.has(`pendingCapture:${closed}`)).toBe(false);
    expect(await captures.read(5, open)).toBe(png('open tab'));

    time.advance(CAPTURE_KEPT_MS + 1);
    await new PendingCaptures(area, time.now, ids()).forget();
    expect([...items.keys()].filter((k) => k.startsWith('pendingCapture:'))).toEqual([]);
  });

  it('storage that fails to answer at all leaves the captures in memory, as before', async () => {
    const broken = { get: async () => Promise.reject(new Error('no session storage')), set: async () => Promise.reject(new Error('no')), remove: async () => undefined };
    const time = clock();
    const captures = new PendingCaptures(broken, time.now, ids());
    const id = await captures.keep(4, png('one'));
    expect(await captures.read(4, id)).toBe(png('one'));
    expect(await captures.read(5, id)).toBeNull();
    time.advance(CAPTURE_KEPT_MS + 1);
    expect(await captures.read(4, id)).toBeNull();
  });
});
