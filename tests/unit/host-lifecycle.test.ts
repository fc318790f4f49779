import { describe, expect, it } from 'vitest';
import { HostLifecycle, type HostOps } from '@/lib/engine/host-lifecycle';

/**
 * A document like Chrome's offscreen one: it exists from the moment creation starts, its listener
 * comes up a little later, and closing it while it loads makes the create fail.
 */
function fakeHost() {
  const log: string[] = [];
  let exists = false;
  let listening = false;
  let loading: { reject: (err: Error) => void } | null = null;
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const ops: HostOps = {
    exists: async () => exists,
    create: () =>
      new Promise<void>((resolve, reject) => {
        log.push('create');
        if (exists) return reject(new Error('Only a single offscreen document may be created.'));
        exists = true;
        loading = { reject };
        void tick(5).then(() => {
          if (!loading) return;
          loading = null;
          resolve();
          void tick(5).then(() => (listening = exists));
        });
      }),
    close: async () => {
      log.push('close');
      exists = false;
      listening = false;
      loading?.reject(new Error('Offscreen document closed before fully loading.'));
      loading = null;
    },
    waitUntilListening: async () => {
      for (let i = 0; i < 100; i++) {
        if (listening) return;
        await tick(1);
      }
      throw new Error('never listened');
    },
  };
  return { ops, log, isListening: () => listening, kill: () => ((exists = false), (listening = false)) };
}

describe('HostLifecycle', () => {
  it('gives jobs that arrive while the host loads the same host, once it listens', async () => {
    const host = fakeHost();
    const lifecycle = new HostLifecycle(host.ops);
    const listeningWhenReady = await Promise.all([1, 2, 3].map(() => lifecycle.ensure().then(() => host.isListening())));
    expect(listeningWhenReady).toEqual([true, true, true]);
    expect(host.log).toEqual(['create']);
  });

  it('closes a host only after the create under way has finished, so that create does not fail', async () => {
    const host = fakeHost();
    const lifecycle = new HostLifecycle(host.ops);
    const first = lifecycle.ensure();
    const discarded = lifecycle.discard();
    await expect(first).resolves.toBeUndefined();
    await discarded;
    expect(host.log).toEqual(['create', 'close']);
    await lifecycle.ensure();
    expect(host.log).toEqual(['create', 'close', 'create']);
    expect(host.isListening()).toBe(true);
  });

  it('creates a new host when the old one died on its own', async () => {
    const host = fakeHost();
    const lifecycle = new HostLifecycle(host.ops);
    await lifecycle.ensure();
    host.kill();
    await lifecycle.ensure();
    expect(host.log).toEqual(['create', 'create']);
  });

  it('a failed start fails its caller only: the next ensure tries again', async () => {
    const host = fakeHost();
    let failNext = true;
    const lifecycle = new HostLifecycle({
      ...host.ops,
      waitUntilListening: () => (failNext ? ((failNext = false), Promise.reject(new Error('never listened'))) : host.ops.waitUntilListening()),
    });
    await expect(lifecycle.ensure()).rejects.toThrow('never listened');
    await expect(lifecycle.ensure()).resolves.toBeUndefined();
    expect(host.log).toEqual(['create']); // the document existed; only its listener was awaited again
  });

  it('with a link that closes with the host, asks whether the document exists only when the link is down', async () => {
    const host = fakeHost();
    let existsChecks = 0;
    const lifecycle = new HostLifecycle({
      ...host.ops,
      exists: () => (existsChecks++, host.ops.exists()),
      isAnswering: () => host.isListening(),
    });
    await lifecycle.ensure();
    await lifecycle.ensure();
    await lifecycle.ensure();
    expect(existsChecks).toBe(1);
    host.kill(); // the link closes with the document
    await lifecycle.ensure();
    expect(existsChecks).toBe(2);
    expect(host.log).toEqual(['create', 'create']);
  });
});
