import { describe, expect, it } from 'vitest';
import { JobQueue } from '@/lib/engine/queue';
import type { JobOutcome } from '@/lib/engine/jobs';

/** A processor whose jobs finish only when the test says so. */
function controllable() {
  const started: string[] = [];
  const finish = new Map<string, (o: JobOutcome) => void>();
  const process = (_payload: string, key: string) =>
    new Promise<JobOutcome>((resolve) => {
      started.push(key);
      finish.set(key, resolve);
    });
  const done = (key: string, text = key) => finish.get(key)!({ ok: true, result: 'caption', text, modelId: 'm' });
  return { started, process, done };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('JobQueue', () => {
  it('is empty only when nothing waits and nothing runs (the engine host may then be closed)', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    expect(q.isEmpty).toBe(true);
    const answered = q.enqueue('a', 'x', 'visible', 1);
    expect(q.pendingCount).toBe(0); // already running
    expect(q.isEmpty).toBe(false);
    await tick();
    p.done('a');
    await answered;
    expect(q.isEmpty).toBe(true);
  });

  it('runs user requests before visible images before the rest, FIFO within a priority', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    void q.enqueue('first', 'x', 'background', 1); // starts at once: the queue was idle
    void q.enqueue('bg', 'x', 'background', 1);
    void q.enqueue('vis1', 'x', 'visible', 1);
    void q.enqueue('user', 'x', 'user', 1);
    void q.enqueue('vis2', 'x', 'visible', 1);
    expect(q.pendingKeys()).toEqual(['user', 'vis1', 'vis2', 'bg']);
    for (const key of ['first', 'user', 'vis1', 'vis2', 'bg']) {
      await tick();
      p.done(key);
    }
    await tick();
    expect(p.started).toEqual(['first', 'user', 'vis1', 'vis2', 'bg']);
  });

  it('deduplicates by key: one run answers every requester, and the highest priority wins', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    void q.enqueue('busy', 'x', 'background', 1);
    const a = q.enqueue('img', 'x', 'background', 1);
    void q.enqueue('other', 'x', 'visible', 2);
    const b = q.enqueue('img', 'x', 'user', 2);
    expect(q.pendingKeys()).toEqual(['img', 'other']);
    p.done('busy');
    await tick();
    p.done('img', 'a red circle');
    expect(await a).toEqual({ ok: true, result: 'caption', text: 'a red circle', modelId: 'm' });
    expect(await b).toEqual({ ok: true, result: 'caption', text: 'a red circle', modelId: 'm' });
    expect(p.started.filter((k) => k === 'img')).toHaveLength(1);
  });

  it('is bounded: overflow drops the least urgent, newest job with a queue-full outcome', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, maxPending: 2 });
    void q.enqueue('running', 'x', 'user', 1);
    void q.enqueue('bg1', 'x', 'background', 1);
    void q.enqueue('vis', 'x', 'visible', 1);
    const dropped = q.enqueue('bg2', 'x', 'background', 1);
    expect(await dropped).toMatchObject({ ok: false, reason: 'queue-full' });
    expect(q.pendingKeys()).toEqual(['vis', 'bg1']);
  });

  it('cancels a closed tab’s jobs but keeps jobs another tab still wants', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    void q.enqueue('running', 'x', 'user', 9);
    const mine = q.enqueue('mine', 'x', 'visible', 1);
    const shared1 = q.enqueue('shared', 'x', 'visible', 1);
    const shared2 = q.enqueue('shared', 'x', 'visible', 2);
    expect(q.cancelTab(1)).toBe(2);
    expect(await mine).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(await shared1).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(q.pendingKeys()).toEqual(['shared']);
    p.done('running');
    await tick();
    p.done('shared');
    expect(await shared2).toMatchObject({ ok: true });
  });

  it('turns a processor that throws into a failure outcome and keeps going', async () => {
    const q = new JobQueue<string>({
      process: async (_p, key) => {
        if (key === 'bad') throw new Error('boom');
        return { ok: true as const, result: 'caption' as const, text: key, modelId: 'm' };
      },
    });
    const bad = q.enqueue('bad', 'x', 'user', 1);
    const good = q.enqueue('good', 'x', 'user', 1);
    expect(await bad).toEqual({ ok: false, reason: 'model-failed', message: 'boom' });
    expect(await good).toMatchObject({ ok: true, result: 'caption', text: 'good' });
  });
});
