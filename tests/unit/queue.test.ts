import { describe, expect, it } from 'vitest';
import { DEFAULT_CONCURRENCY, JobQueue, MAX_PENDING_JOBS_PER_FRAME, MAX_PENDING_JOBS_PER_TAB, type Requester } from '@/lib/engine/queue';
import { failure, type JobOutcome } from '@/lib/engine/jobs';

const caption = (text: string): JobOutcome => ({ ok: true, result: 'caption', text, modelId: 'm' });

/**
 * A processor whose jobs finish only when the test says so. Like the real one (runWithOneRetry), a job
 * answers "cancelled" as soon as its signal aborts.
 */
function controllable() {
  const started: string[] = [];
  const runs: { key: string; signal: AbortSignal; finish: (o: JobOutcome) => void }[] = [];
  const process = (_payload: string, key: string, signal: AbortSignal) =>
    new Promise<JobOutcome>((resolve) => {
      started.push(key);
      runs.push({ key, signal, finish: resolve });
      signal.addEventListener('abort', () => resolve(failure('cancelled', 'aborted')));
    });
  const run = (key: string) => {
    const found = runs.filter((r) => r.key === key).at(-1);
    if (!found) throw new Error(`${key} never started`);
    return found;
  };
  /** Finishes a running job and lets the queue start the next. */
  const done = async (key: string, text = key) => {
    run(key).finish(caption(text));
    await tick();
  };
  return { started, process, run, done };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
let nextRequest = 0;
/** A requester: tab, frame, and a fresh request id unless given. */
const from = (tabId: number, frameId = 0, requestId = `r${nextRequest++}`): Requester => ({ tabId, frameId, requestId });

describe('JobQueue: order', () => {
  it('is empty only when nothing waits and nothing runs (the engine host may then be closed)', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    expect(q.isEmpty).toBe(true);
    const answered = q.enqueue('a', 'x', 'visible', from(1));
    expect(q.pendingCount).toBe(0); // already running
    expect(q.isEmpty).toBe(false);
    await p.done('a');
    expect(await answered).toEqual(caption('a'));
    expect(q.isEmpty).toBe(true);
  });

  it('runs user requests before visible images before the rest, FIFO within a priority', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    void q.enqueue('first', 'x', 'background', from(1)); // starts at once: the queue was idle
    void q.enqueue('bg', 'x', 'background', from(1));
    void q.enqueue('vis1', 'x', 'visible', from(1));
    void q.enqueue('user', 'x', 'user', from(1));
    void q.enqueue('vis2', 'x', 'visible', from(1));
    expect(q.pendingKeys()).toEqual(['vis1', 'vis2', 'bg']); // the user request didn't wait for the pool
    expect(p.started).toEqual(['first', 'user']);
    for (const key of ['first', 'user', 'vis1', 'vis2', 'bg']) await p.done(key);
    expect(p.started).toEqual(['first', 'user', 'vis1', 'vis2', 'bg']);
  });

  it(`keeps ${DEFAULT_CONCURRENCY} jobs in flight by default and starts the next as one ends`, async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    for (const key of ['a', 'b', 'c', 'd', 'e']) void q.enqueue(key, 'x', 'visible', from(1));
    expect(p.started).toEqual(['a', 'b', 'c']);
    expect(q.pendingKeys()).toEqual(['d', 'e']);
    await p.done('b');
    expect(p.started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets up to 2 user requests past a full pool; a third waits for a slot', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    for (const key of ['v1', 'v2', 'v3', 'v4']) void q.enqueue(key, 'x', 'visible', from(1));
    for (const key of ['u1', 'u2', 'u3']) void q.enqueue(key, 'x', 'user', from(1));
    expect(p.started).toEqual(['v1', 'v2', 'v3', 'u1', 'u2']);
    expect(q.pendingKeys()).toEqual(['u3', 'v4']);
    await p.done('u1'); // a user slot frees
    expect(p.started.at(-1)).toBe('u3');
    await p.done('v1'); // 5 running, pool of 3: nothing more starts
    expect(p.started).toHaveLength(6);
    await p.done('u2');
    await p.done('u3');
    expect(p.started.at(-1)).toBe('v4');
  });

  it('serves tabs in turn at equal priority: one busy tab can’t starve another', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, maxPendingPerTab: 1000, maxPendingPerFrame: 1000 });
    for (let i = 0; i < 300; i++) void q.enqueue(`busy${i}`, 'x', 'visible', from(1));
    void q.enqueue('other', 'x', 'visible', from(2));
    expect(p.started).toEqual(['busy0', 'busy1', 'busy2']);
    await p.done('busy0');
    expect(p.started.at(-1)).toBe('other'); // the next pool slot, not after 297 others
  });

  it('alternates between tabs, each in its own order', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    void q.enqueue('a0', 'x', 'visible', from(1));
    for (const key of ['a1', 'a2', 'a3']) void q.enqueue(key, 'x', 'visible', from(1));
    for (const key of ['b1', 'b2']) void q.enqueue(key, 'x', 'visible', from(2));
    for (const key of ['a0', 'b1', 'a1', 'b2', 'a2']) await p.done(key);
    expect(p.started).toEqual(['a0', 'b1', 'a1', 'b2', 'a2', 'a3']);
  });

  it('does not let round-robin put a less urgent job first', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    void q.enqueue('a0', 'x', 'visible', from(1));
    void q.enqueue('b-bg', 'x', 'background', from(2));
    void q.enqueue('a1', 'x', 'visible', from(1));
    await p.done('a0');
    expect(p.started).toEqual(['a0', 'a1']);
  });

  it('turns a processor that throws into a failure outcome and keeps going', async () => {
    const q = new JobQueue<string>({
      process: async (_p, key) => {
        if (key === 'bad') throw new Error('boom');
        return caption(key);
      },
    });
    const bad = q.enqueue('bad', 'x', 'user', from(1));
    const good = q.enqueue('good', 'x', 'user', from(1));
    expect(await bad).toEqual({ ok: false, reason: 'model-failed', message: 'boom' });
    expect(await good).toEqual(caption('good'));
  });
});

describe('JobQueue: deduplication', () => {
  it('runs one job for every requester of the same key, and the highest priority wins', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    void q.enqueue('busy', 'x', 'background', from(9));
    const a = q.enqueue('img', 'x', 'background', from(1, 0));
    void q.enqueue('other', 'x', 'visible', from(2));
    const b = q.enqueue('img', 'x', 'user', from(2, 4));
    expect(p.started).toEqual(['busy', 'img']); // now a user request: it skipped the pool
    await p.done('img', 'a red circle');
    expect(await a).toEqual(caption('a red circle'));
    expect(await b).toEqual(caption('a red circle'));
    expect(p.started.filter((k) => k === 'img')).toHaveLength(1);
  });

  it('keeps running a shared job when one of its requesters cancels', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    const mine = q.enqueue('img', 'x', 'visible', from(1, 0, 'm'));
    const theirs = q.enqueue('img', 'x', 'visible', from(2, 0, 't'));
    expect(q.cancelRequests(1, 0, ['m'])).toBe(1);
    expect(await mine).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(p.run('img').signal.aborted).toBe(false);
    await p.done('img');
    expect(await theirs).toEqual(caption('img'));
  });

  it('a request joining a job already at its frame’s quota is not refused', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1, maxPendingPerFrame: 1 });
    void q.enqueue('running', 'x', 'visible', from(1));
    const first = q.enqueue('img', 'x', 'visible', from(1));
    const again = q.enqueue('img', 'x', 'visible', from(1));
    await p.done('running');
    await p.done('img');
    expect(await first).toEqual(caption('img'));
    expect(await again).toEqual(caption('img'));
  });

  it('a new request for a key whose running job was just aborted gets a live run', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    void q.enqueue('img', 'x', 'visible', from(1, 0, 'old'));
    q.cancelRequests(1, 0, ['old']);
    const fresh = q.enqueue('img', 'x', 'user', from(1, 0, 'new'));
    await tick();
    const live = p.started.length > 1 ? p.run('img') : undefined;
    live?.finish(caption('img'));
    expect(await fresh).toEqual(caption('img'));
  });
});

describe('JobQueue: bounds', () => {
  it(`refuses a frame’s ${MAX_PENDING_JOBS_PER_FRAME + 1}th waiting job, not its user requests or other frames`, async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    for (let i = 0; i < DEFAULT_CONCURRENCY + MAX_PENDING_JOBS_PER_FRAME; i++) void q.enqueue(`f0-${i}`, 'x', 'visible', from(1, 0));
    expect(q.pendingCount).toBe(MAX_PENDING_JOBS_PER_FRAME);
    expect(await q.enqueue('one-too-many', 'x', 'background', from(1, 0))).toMatchObject({ ok: false, reason: 'queue-full' });
    expect(q.pendingKeys()).not.toContain('one-too-many');
    void q.enqueue('asked', 'x', 'user', from(1, 0));
    void q.enqueue('sibling', 'x', 'visible', from(1, 1));
    expect(q.pendingKeys()).toContain('sibling');
    expect(p.started).toContain('asked');
  });

  it(`refuses a tab’s ${MAX_PENDING_JOBS_PER_TAB + 1}th waiting job across its frames, not another tab’s`, async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process });
    const frames = MAX_PENDING_JOBS_PER_TAB / MAX_PENDING_JOBS_PER_FRAME;
    for (let i = 0; i < DEFAULT_CONCURRENCY; i++) void q.enqueue(`running${i}`, 'x', 'visible', from(9));
    for (let f = 0; f < frames; f++) for (let i = 0; i < MAX_PENDING_JOBS_PER_FRAME; i++) void q.enqueue(`t1-${f}-${i}`, 'x', 'background', from(1, f));
    expect(q.pendingCount).toBe(MAX_PENDING_JOBS_PER_TAB);
    expect(await q.enqueue('new-frame', 'x', 'visible', from(1, 99))).toMatchObject({ ok: false, reason: 'queue-full' });
    void q.enqueue('other-tab', 'x', 'visible', from(2, 0));
    expect(q.pendingKeys()[0]).toBe('other-tab');
  });

  it('is bounded overall: overflow drops the least urgent, newest job with a queue-full outcome', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, maxPending: 2, concurrency: 1 });
    void q.enqueue('running', 'x', 'visible', from(1));
    const bg1 = q.enqueue('bg1', 'x', 'background', from(2));
    void q.enqueue('vis', 'x', 'visible', from(3));
    const bg2 = q.enqueue('bg2', 'x', 'background', from(4));
    expect(await bg2).toMatchObject({ ok: false, reason: 'queue-full' });
    expect(q.pendingKeys()).toEqual(['vis', 'bg1']);
    void q.enqueue('vis2', 'x', 'visible', from(5)); // more urgent than what is queued: bg1 makes room
    expect(await bg1).toMatchObject({ ok: false, reason: 'queue-full' });
    expect(q.pendingKeys()).toEqual(['vis', 'vis2']);
  });
});

describe('JobQueue: cancelling', () => {
  it('a waiting job whose requesters all cancel never runs, and each hears "cancelled"', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    void q.enqueue('running', 'x', 'visible', from(1));
    const a = q.enqueue('img', 'x', 'visible', from(1, 2, 'a'));
    const b = q.enqueue('img', 'x', 'visible', from(1, 2, 'b'));
    expect(q.cancelRequests(1, 2, ['a', 'b', 'unknown'])).toBe(2);
    expect(await a).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(await b).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(q.pendingKeys()).toEqual([]);
    await p.done('running');
    expect(p.started).toEqual(['running']);
    expect(q.isEmpty).toBe(true);
  });

  it('aborts a running job once its last requester cancels, and frees its slot', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    const img = q.enqueue('img', 'x', 'visible', from(1, 0, 'r'));
    void q.enqueue('next', 'x', 'visible', from(1));
    const signal = p.run('img').signal;
    expect(signal.aborted).toBe(false);
    q.cancelRequests(1, 0, ['r']);
    expect(signal.aborted).toBe(true);
    expect(await img).toMatchObject({ ok: false, reason: 'cancelled' });
    await tick();
    expect(p.started).toEqual(['img', 'next']);
  });

  it('cancels only the named requests of that very frame', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    void q.enqueue('running', 'x', 'visible', from(9));
    void q.enqueue('a', 'x', 'visible', from(1, 0, 'same-id'));
    void q.enqueue('b', 'x', 'visible', from(1, 1, 'same-id'));
    void q.enqueue('c', 'x', 'visible', from(2, 0, 'same-id'));
    void q.enqueue('d', 'x', 'visible', from(1, 0, 'other-id'));
    expect(q.cancelRequests(1, 0, ['same-id'])).toBe(1);
    expect(q.pendingKeys()).toEqual(['b', 'c', 'd']);
  });

  it('cancels a navigated frame’s jobs and keeps its siblings’', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    void q.enqueue('running', 'x', 'visible', from(1, 3));
    void q.enqueue('f3', 'x', 'visible', from(1, 3));
    void q.enqueue('f0', 'x', 'visible', from(1, 0));
    void q.enqueue('tab2-f3', 'x', 'visible', from(2, 3));
    expect(q.cancelFrame(1, 3)).toBe(2);
    expect(p.run('running').signal.aborted).toBe(true);
    expect(q.pendingKeys()).toEqual(['f0', 'tab2-f3']);
  });

  it('keeps the jobs of the document a frame navigated to, when the navigation is reported after them', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    void q.enqueue('busy', 'x', 'visible', from(1, 0));
    const old = q.enqueue('old-doc', 'x', 'visible', { ...from(1, 3), documentId: 'doc-A' });
    void q.enqueue('new-doc', 'x', 'visible', { ...from(1, 3), documentId: 'doc-B' });
    expect(q.cancelFrame(1, 3, 'doc-B')).toBe(1);
    expect(await old).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(q.pendingKeys()).toEqual(['new-doc']);
  });

  it('where documents have no ids (Firefox), keeps what a frame asked after its navigation committed', async () => {
    const p = controllable();
    let clock = 1_000;
    const q = new JobQueue<string>({ process: p.process, concurrency: 1, now: () => clock });
    void q.enqueue('busy', 'x', 'visible', from(1, 0));
    const old = q.enqueue('old-doc', 'x', 'visible', from(1, 3));
    clock = 2_000;
    void q.enqueue('new-doc', 'x', 'visible', from(1, 3));
    expect(q.cancelFrame(1, 3, undefined, 1_500)).toBe(1);
    expect(await old).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(q.pendingKeys()).toEqual(['new-doc']);
  });

  it('cancels what a tab asked before its new page committed, not what the new page asked since', async () => {
    const p = controllable();
    let clock = 1_000;
    const q = new JobQueue<string>({ process: p.process, concurrency: 1, now: () => clock });
    void q.enqueue('running', 'x', 'visible', from(9));
    const oldPage = q.enqueue('old-page', 'x', 'visible', from(1));
    clock = 2_000;
    const newPage = q.enqueue('new-page', 'x', 'visible', from(1));
    // The commit (at 1,500) is reported after the new page's iframe has asked.
    expect(q.cancelTab(1, 1_500)).toBe(1);
    expect(await oldPage).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(q.pendingKeys()).toEqual(['new-page']);
    await p.done('running');
    await p.done('new-page');
    expect(await newPage).toMatchObject({ ok: true });
  });

  it('cancels a closed tab’s jobs but keeps jobs another tab still wants', async () => {
    const p = controllable();
    const q = new JobQueue<string>({ process: p.process, concurrency: 1 });
    void q.enqueue('running', 'x', 'visible', from(9));
    const mine = q.enqueue('mine', 'x', 'visible', from(1));
    const shared1 = q.enqueue('shared', 'x', 'visible', from(1, 2));
    const shared2 = q.enqueue('shared', 'x', 'visible', from(2));
    expect(q.cancelTab(1)).toBe(2);
    expect(await mine).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(await shared1).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(q.pendingKeys()).toEqual(['shared']);
    await p.done('running');
    await p.done('shared');
    expect(await shared2).toEqual(caption('shared'));
  });
});
