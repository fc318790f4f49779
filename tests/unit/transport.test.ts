import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { listen, sendToBackground } from '@/lib/transport';
import { settings, readEngineConfig, DEFAULT_MODEL_HOST } from '@/lib/settings';

describe('transport over the (fake) runtime', () => {
  beforeEach(() => fakeBrowser.reset());

  it('delivers a typed request to the background handler and returns its typed answer', async () => {
    const seen: unknown[] = [];
    listen('background', {
      'job.request': async (req) => {
        seen.push(req);
        return { ok: true as const, result: 'caption' as const, text: 'a red circle', modelId: 'm' };
      },
    });
    const job = { kind: 'caption' as const, source: { kind: 'url' as const, url: 'https://x/a.png' } };
    const outcome = await sendToBackground('job.request', { job, priority: 'user' });
    expect(outcome).toEqual({ ok: true, result: 'caption', text: 'a red circle', modelId: 'm' });
    expect(seen).toEqual([{ job, priority: 'user' }]);
  });

  it('rethrows a handler’s failure at the sender with its message', async () => {
    listen('background', {
      'engine.status': async () => {
        throw new Error('engine unavailable');
      },
    });
    await expect(sendToBackground('engine.status', {})).rejects.toThrow('engine unavailable');
  });

  it('does not let the engine’s handlers answer background messages', async () => {
    listen('engine', { 'engine.status': async () => ({}) as never });
    await expect(sendToBackground('engine.status', {})).rejects.toThrow(/No AltSight handler answered/);
  });
});

describe('settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('every reader gets the same defaults', async () => {
    expect(await readEngineConfig()).toEqual({
      modelId: 'Mozilla/distilvit',
      modelHost: DEFAULT_MODEL_HOST,
      backend: 'auto',
      wasmThreads: 0,
      releaseAfterIdleSeconds: 300,
    });
    expect(await settings.altPrefix.getValue()).toBe('Auto-generated: ');
    expect(await settings.autoFillEverywhere.getValue()).toBe(false);
  });

  it('a mirror host without a trailing slash still forms Hub URLs', async () => {
    await settings.modelHost.setValue('https://mirror.example/hf');
    expect((await readEngineConfig()).modelHost).toBe('https://mirror.example/hf/');
  });
});
