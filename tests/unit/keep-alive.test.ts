import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeepAlive } from '@/lib/engine/keep-alive';

describe('KeepAlive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const work = (ms: number, fail = false) => () =>
    new Promise<string>((resolve, reject) => setTimeout(() => (fail ? reject(new Error('model failed')) : resolve('done')), ms));

  it('pings every period while work runs, and not before or after', async () => {
    const ping = vi.fn(async () => undefined);
    const keepAlive = new KeepAlive(ping, 1000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(ping).not.toHaveBeenCalled();
    const run = keepAlive.during(work(3500));
    expect(keepAlive.active).toBe(true);
    await vi.advanceTimersByTimeAsync(3500);
    await expect(run).resolves.toBe('done');
    expect(ping).toHaveBeenCalledTimes(3);
    expect(keepAlive.active).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ping).toHaveBeenCalledTimes(3);
  });

  it('keeps one ping going through overlapping work, until the last of it ends (failed work too)', async () => {
    const ping = vi.fn(async () => undefined);
    const keepAlive = new KeepAlive(ping, 1000);
    const failing = keepAlive.during(work(1500, true));
    const long = keepAlive.during(work(4000));
    await expect(Promise.all([failing, vi.advanceTimersByTimeAsync(1500)])).rejects.toThrow('model failed');
    expect(keepAlive.active).toBe(true);
    await vi.advanceTimersByTimeAsync(2500);
    await long;
    // One interval for both: 4 pings in 4 s, not 4 + 1.
    expect(ping).toHaveBeenCalledTimes(4);
    expect(keepAlive.active).toBe(false);
  });

  it('a ping that fails is not the work\'s failure', async () => {
    const keepAlive = new KeepAlive(() => Promise.reject(new Error('extension context invalidated')), 1000);
    const run = keepAlive.during(work(2500));
    await vi.advanceTimersByTimeAsync(2500);
    await expect(run).resolves.toBe('done');
  });
});
