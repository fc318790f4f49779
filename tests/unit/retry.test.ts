import { describe, expect, it } from 'vitest';
import { EngineGoneError, runWithOneRetry, type EngineLink } from '@/lib/engine/retry';
import type { JobOutcome } from '@/lib/engine/jobs';

function fakeLink(deaths: number) {
  const log: string[] = [];
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
    send: async (job): Promise<JobOutcome> => {
      log.push(`send ${job}`);
      if (remainingDeaths-- > 0) throw new EngineGoneError('message port closed');
      return { ok: true, result: 'caption', text: 'a red circle', modelId: 'm' };
    },
  };
  return { link, log };
}

describe('runWithOneRetry', () => {
  it('creates the host on first use and answers', async () => {
    const { link, log } = fakeLink(0);
    expect(await runWithOneRetry('j', link)).toMatchObject({ ok: true });
    expect(log).toEqual(['create', 'send j']);
  });

  it('recreates a host that died mid-job and retries once', async () => {
    const { link, log } = fakeLink(1);
    expect(await runWithOneRetry('j', link)).toMatchObject({ ok: true, result: 'caption', text: 'a red circle' });
    expect(log).toEqual(['create', 'send j', 'discard', 'create', 'send j']);
  });

  it('gives a clear failure, not a hang, when the host dies twice', async () => {
    const { link, log } = fakeLink(2);
    expect(await runWithOneRetry('j', link)).toMatchObject({ ok: false, reason: 'engine-crashed' });
    expect(log.filter((l) => l.startsWith('send'))).toHaveLength(2);
  });

  it('does not retry ordinary errors', async () => {
    const link: EngineLink<string> = {
      ensureHost: async () => undefined,
      discardHost: async () => undefined,
      send: async () => {
        throw new Error('bad request');
      },
    };
    await expect(runWithOneRetry('j', link)).rejects.toThrow('bad request');
  });
});
