import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleRelease } from '@/lib/engine/idle-release';

describe('IdleRelease', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const job = (ms: number) => () => new Promise<string>((resolve) => setTimeout(() => resolve('done'), ms));

  it('releases once, idleMs after the last job ends', async () => {
    const release = vi.fn();
    const idle = new IdleRelease(release);
    const run = idle.during(1000, job(50));
    await vi.advanceTimersByTimeAsync(50);
    await expect(run).resolves.toBe('done');
    await vi.advanceTimersByTimeAsync(999);
    expect(release).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(release).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('never releases while a job runs, and a new job restarts the countdown', async () => {
    const release = vi.fn();
    const idle = new IdleRelease(release);
    const long = idle.during(100, job(5000));
    const short = idle.during(100, job(10));
    await vi.advanceTimersByTimeAsync(1000); // the short job ended long ago, the long one still runs
    expect(release).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(4000);
    await Promise.all([long, short]);
    await vi.advanceTimersByTimeAsync(60);
    void idle.during(100, job(10)); // starts within the countdown
    await vi.advanceTimersByTimeAsync(60);
    expect(release).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('counts a failed job as ended', async () => {
    const release = vi.fn();
    const idle = new IdleRelease(release);
    await expect(idle.during(10, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(10);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it.each([0, Number.POSITIVE_INFINITY, Number.NaN])('never releases with idleMs %s', async (idleMs) => {
    const release = vi.fn();
    await new IdleRelease(release).during(idleMs, async () => 'x');
    await vi.advanceTimersByTimeAsync(1e9);
    expect(release).not.toHaveBeenCalled();
  });
});
