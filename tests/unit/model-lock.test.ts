import { describe, expect, it } from 'vitest';
import { ModelLock } from '@/lib/engine/model-lock';
import type { JobPriority } from '@/lib/engine/jobs';

const tick = () => new Promise((r) => setTimeout(r, 0));
const never = () => new AbortController().signal;

/** Queues named waiters and records the order they get the model in; each holds it until released. */
function line(lock: ModelLock) {
  const order: string[] = [];
  const releases = new Map<string, () => void>();
  const wait = (name: string, priority: JobPriority, signal = never()) =>
    lock.acquire(priority, signal).then((release) => {
      order.push(name);
      releases.set(name, release);
      return release;
    });
  const release = async (name: string) => {
    releases.get(name)!();
    await tick();
  };
  return { order, wait, release };
}

describe('ModelLock', () => {
  it('has one holder at a time; the next waits for the release', async () => {
    const lock = new ModelLock();
    const l = line(lock);
    void l.wait('a', 'visible');
    void l.wait('b', 'visible');
    await tick();
    expect(l.order).toEqual(['a']);
    expect(lock.queued).toBe(1);
    await l.release('a');
    expect(l.order).toEqual(['a', 'b']);
    expect(lock.queued).toBe(0);
  });

  it('lets a user request go next, ahead of visible and background work, then FIFO within a priority', async () => {
    const lock = new ModelLock();
    const l = line(lock);
    void l.wait('running', 'background');
    void l.wait('bg1', 'background');
    void l.wait('vis1', 'visible');
    void l.wait('bg2', 'background');
    void l.wait('vis2', 'visible');
    void l.wait('user', 'user');
    await tick();
    for (const name of ['running', 'user', 'vis1', 'vis2', 'bg1']) await l.release(name);
    expect(l.order).toEqual(['running', 'user', 'vis1', 'vis2', 'bg1', 'bg2']);
  });

  it('a waiter aborted in line rejects with its reason and leaves without blocking the others', async () => {
    const lock = new ModelLock();
    const l = line(lock);
    void l.wait('holder', 'visible');
    const abort = new AbortController();
    const leaving = l.wait('leaving', 'user', abort.signal);
    void l.wait('after', 'background');
    abort.abort(new Error('image left the page'));
    await expect(leaving).rejects.toThrow('image left the page');
    expect(lock.queued).toBe(1);
    await l.release('holder');
    expect(l.order).toEqual(['holder', 'after']);
  });

  it('refuses at once with an already-aborted signal, and does not take the free model', async () => {
    const lock = new ModelLock();
    const l = line(lock);
    const abort = new AbortController();
    abort.abort(new Error('too late'));
    await expect(l.wait('late', 'user', abort.signal)).rejects.toThrow('too late');
    void l.wait('next', 'background');
    await tick();
    expect(l.order).toEqual(['next']);
  });

  it('aborting after the model was granted changes nothing; the holder still releases', async () => {
    const lock = new ModelLock();
    const l = line(lock);
    const abort = new AbortController();
    await l.wait('holder', 'visible', abort.signal);
    void l.wait('next', 'visible');
    abort.abort();
    await tick();
    expect(l.order).toEqual(['holder']);
    await l.release('holder');
    expect(l.order).toEqual(['holder', 'next']);
  });

  it('release is idempotent: a second call does not free the model under the next holder', async () => {
    const lock = new ModelLock();
    const l = line(lock);
    const first = await l.wait('a', 'visible');
    void l.wait('b', 'visible');
    void l.wait('c', 'visible');
    first();
    await tick();
    expect(l.order).toEqual(['a', 'b']);
    first();
    await tick();
    expect(l.order).toEqual(['a', 'b']); // c still waits for b
    await l.release('b');
    expect(l.order).toEqual(['a', 'b', 'c']);
  });

  it('is free again once the last holder releases', async () => {
    const lock = new ModelLock();
    const release = await lock.acquire('background', never());
    release();
    await expect(lock.acquire('background', never())).resolves.toBeTypeOf('function');
  });
});
