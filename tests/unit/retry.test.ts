import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineGoneError, runWithOneRetry, withLivenessWatch, type EngineLink } from '@/lib/engine/retry';
import type { JobOutcome } from '@/lib/engine/jobs';

const caption: JobOutcome = { ok: true, result: 'caption', text: 'a red circle', modelId: 'm' };

function fakeLink(deaths: number) {
  const log: string[] = [];
  const signals: AbortSignal[] = [];
  let alive = false;
  let remainingDeaths = deaths;
  const link: EngineLink<string> = {
    ensureHost: async () => {
      if (!alive) log.push('create');
      alive = true;
    },
    discardHost: async () => {
      log.push('discard');
      alive = false;
    },
    send: async (job, signal): Promise<JobOutcome> => {
      log.push(`send ${job}`);
      signals.push(signal);
      if (remainingDeaths-- > 0) throw new EngineGoneError('message port closed');
      return caption;
    },
  };
  return { link, log, signals };
}

describe('runWithOneRetry', () => {
  it('creates the host on first use and answers, passing the job’s signal to send', async () => {
    const { link, log, signals } = fakeLink(0);
    const signal = new AbortController().signal;
    expect(await runWithOneRetry('j', link, signal)).toEqual(caption);
    expect(log).toEqual(['create', 'send j']);
    expect(signals).toEqual([signal]);
  });

  it('recreates a host that died mid-job and retries once', async () => {
    const { link, log } = fakeLink(1);
    expect(await runWithOneRetry('j', link)).toEqual(caption);
    expect(log).toEqual(['create', 'send j', 'discard', 'create', 'send j']);
  });

  it('gives a clear failure, not a hang, when the host dies twice', async () => {
    const { link, log } = fakeLink(2);
    expect(await runWithOneRetry('j', link)).toMatchObject({ ok: false, reason: 'engine-crashed' });
    expect(log.filter((l) => l.startsWith('send'))).toHaveLength(2);
  });

  it('still retries when throwing the dead host away fails', async () => {
    const { link, log } = fakeLink(1);
    link.discardHost = async () => {
      log.push('discard failed');
      throw new Error('already closed');
    };
    expect(await runWithOneRetry('j', link)).toEqual(caption);
    expect(log).toEqual(['create', 'send j', 'discard failed', 'send j']);
  });

  it('does not retry ordinary errors', async () => {
    const send = vi.fn(async () => {
      throw new Error('bad request');
    });
    const link: EngineLink<string> = { ensureHost: async () => undefined, discardHost: async () => undefined, send };
    await expect(runWithOneRetry('j', link)).rejects.toThrow('bad request');
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('answers "cancelled" without touching the engine when the signal is already aborted', async () => {
    const { link, log } = fakeLink(0);
    const abort = new AbortController();
    abort.abort();
    expect(await runWithOneRetry('j', link, abort.signal)).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(log).toEqual([]);
  });

  it('answers "cancelled" at once when the signal aborts while send is still pending', async () => {
    const abort = new AbortController();
    let sent!: () => void;
    const sending = new Promise<void>((r) => (sent = r));
    const link: EngineLink<string> = {
      ensureHost: async () => undefined,
      discardHost: async () => undefined,
      send: () => {
        sent();
        return new Promise<JobOutcome>(() => undefined); // the engine never answers
      },
    };
    const outcome = runWithOneRetry('j', link, abort.signal);
    await sending;
    abort.abort();
    expect(await outcome).toMatchObject({ ok: false, reason: 'cancelled' });
  });

  /** A link whose host takes a while to start; the test may abort meanwhile. */
  function slowStartLink() {
    let started!: () => void;
    const starting = new Promise<void>((r) => (started = r));
    const answers: Promise<JobOutcome>[] = [];
    const link: EngineLink<string> = {
      ensureHost: () => starting,
      discardHost: async () => undefined,
      send: () => {
        const answer = new Promise<JobOutcome>(() => undefined);
        vi.spyOn(answer, 'then');
        answers.push(answer);
        return answer;
      },
    };
    return { link, started, answers };
  }

  it('answers "cancelled" when the signal aborts while the host is still starting', async () => {
    const abort = new AbortController();
    const { link, started } = slowStartLink();
    const outcome = runWithOneRetry('j', link, abort.signal);
    abort.abort();
    started();
    expect(await outcome).toMatchObject({ ok: false, reason: 'cancelled' });
  });

  it('a job cancelled while the host starts is not sent, or its answer is still observed', async () => {
    const abort = new AbortController();
    const { link, started, answers } = slowStartLink();
    const outcome = runWithOneRetry('j', link, abort.signal);
    abort.abort();
    started();
    await outcome;
    expect(answers.every((a) => vi.mocked(a.then).mock.calls.length > 0)).toBe(true);
  });
});

describe('withLivenessWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const CHECK_MS = 1000;
  const PING_TIMEOUT_MS = 300;

  /** An answer the test resolves, and a watch over it with counted pings. */
  function watched(ping: () => Promise<unknown>) {
    let answer!: (o: JobOutcome) => void;
    const onUnresponsive = vi.fn(async () => undefined);
    const pings = vi.fn(ping);
    const settled = vi.fn();
    const outcome = withLivenessWatch(new Promise<JobOutcome>((r) => (answer = r)), {
      checkEveryMs: CHECK_MS,
      pingTimeoutMs: PING_TIMEOUT_MS,
      ping: pings,
      onUnresponsive,
    });
    void outcome.then(settled);
    return { outcome, answer, onUnresponsive, pings, settled };
  }

  it('returns the answer when it arrives, and stops pinging', async () => {
    const w = watched(async () => ({ alive: true }));
    await vi.advanceTimersByTimeAsync(CHECK_MS * 2.5);
    w.answer(caption);
    expect(await w.outcome).toEqual(caption);
    const pingsSoFar = w.pings.mock.calls.length;
    expect(pingsSoFar).toBe(2);
    await vi.advanceTimersByTimeAsync(CHECK_MS * 10);
    expect(w.pings).toHaveBeenCalledTimes(pingsSoFar);
    expect(w.onUnresponsive).not.toHaveBeenCalled();
  });

  it('keeps waiting for a long job while the host answers its pings', async () => {
    const w = watched(() => new Promise((r) => setTimeout(() => r({ alive: true }), PING_TIMEOUT_MS - 50)));
    await vi.advanceTimersByTimeAsync(CHECK_MS * 20);
    expect(w.pings.mock.calls.length).toBeGreaterThanOrEqual(10);
    expect(w.settled).not.toHaveBeenCalled();
    expect(w.onUnresponsive).not.toHaveBeenCalled();
    w.answer(caption);
    expect(await w.outcome).toEqual(caption);
  });

  it('gives up on a host whose ping goes unanswered: replaces it once and fails the job as timed out', async () => {
    let pings = 0;
    const w = watched(() => (++pings <= 2 ? Promise.resolve({ alive: true }) : new Promise(() => undefined)));
    await vi.advanceTimersByTimeAsync(CHECK_MS * 3 + PING_TIMEOUT_MS - 1);
    expect(w.settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(w.onUnresponsive).toHaveBeenCalledTimes(1);
    expect(await w.outcome).toMatchObject({ ok: false, reason: 'timed-out' });
    await vi.advanceTimersByTimeAsync(CHECK_MS * 10);
    expect(w.onUnresponsive).toHaveBeenCalledTimes(1);
    expect(w.pings).toHaveBeenCalledTimes(3);
  });

  it('treats a ping that fails (the host is gone) as unresponsive', async () => {
    const w = watched(async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    await vi.advanceTimersByTimeAsync(CHECK_MS);
    expect(w.onUnresponsive).toHaveBeenCalledTimes(1);
    expect(await w.outcome).toMatchObject({ ok: false, reason: 'timed-out' });
  });

  it('still fails the job when replacing the host fails', async () => {
    const w = watched(() => new Promise(() => undefined));
    w.onUnresponsive.mockRejectedValueOnce(new Error('offscreen document busy'));
    await vi.advanceTimersByTimeAsync(CHECK_MS + PING_TIMEOUT_MS);
    expect(await w.outcome).toMatchObject({ ok: false, reason: 'timed-out' });
  });

  it('an answer that arrives while a ping is out wins, and nothing is replaced', async () => {
    const w = watched(() => new Promise(() => undefined));
    await vi.advanceTimersByTimeAsync(CHECK_MS + PING_TIMEOUT_MS / 2);
    w.answer(caption);
    await vi.advanceTimersByTimeAsync(PING_TIMEOUT_MS);
    expect(await w.outcome).toEqual(caption);
    expect(w.onUnresponsive).not.toHaveBeenCalled();
  });
});
