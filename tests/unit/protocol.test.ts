import { describe, expect, it } from 'vitest';
import { dispatch, envelope, unwrapReply, type Handlers } from '@/lib/messages';
import { adapterKind, chooseBackend, wasmThreadCount } from '@/lib/engine/backend';
import { isAutoFillOn, normaliseModelHost } from '@/lib/settings';
import { tidyCaption } from '@/lib/caption/captioner';
import { captionModel } from '@/lib/models';

describe('message protocol', () => {
  const handlers: Handlers<'page'> = {
    'page.report': async () => ({ images: [] }),
    'page.undoAll': async () => {
      throw new Error('nothing to undo');
    },
  };

  it('answers messages addressed to this context with the handler’s value', async () => {
    const reply = await dispatch('page', handlers, envelope('page', 'page.report', {}), {});
    expect(unwrapReply(reply, 'page.report')).toEqual({ images: [] });
  });

  it('carries a handler’s error back as data, rethrown by the sender', async () => {
    const reply = await dispatch('page', handlers, envelope('page', 'page.undoAll', {}), {});
    expect(reply).toEqual({ ok: false, error: 'nothing to undo' });
    expect(() => unwrapReply(reply, 'page.undoAll')).toThrow('nothing to undo');
  });

  it.each([
    { name: 'a message for another context', message: envelope('engine', 'engine.ping', {}) },
    { name: 'a name with no handler', message: envelope('page', 'page.describeAll', {}) },
    { name: 'a page’s look-alike without our marker', message: { to: 'page', name: 'page.report', payload: {} } },
    { name: 'a string', message: 'page.report' },
    { name: 'null', message: null },
  ])('stays silent for $name', ({ message }) => {
    expect(dispatch('page', handlers, message, {})).toBeUndefined();
  });

  it('says clearly when nobody answered', () => {
    expect(() => unwrapReply(undefined, 'engine.status')).toThrow(/No AltSight handler answered "engine.status"/);
  });
});

describe('backend choice', () => {
  it.each([
    { pref: 'auto', adapter: 'hardware', want: 'webgpu' },
    { pref: 'auto', adapter: 'software', want: 'wasm' }, // emulated GPUs lose to WASM threads
    { pref: 'auto', adapter: 'none', want: 'wasm' },
    { pref: 'wasm', adapter: 'hardware', want: 'wasm' },
    { pref: 'webgpu', adapter: 'hardware', want: 'webgpu' },
    { pref: 'webgpu', adapter: 'software', want: 'webgpu' }, // the user asked for it
    { pref: 'webgpu', adapter: 'none', want: 'wasm' }, // forced WebGPU without an adapter still works
  ] as const)('$pref with a $adapter adapter → $want', ({ pref, adapter, want }) => {
    expect(chooseBackend(pref, adapter)).toBe(want);
  });

  it.each([
    { name: 'no adapter', adapter: null, want: 'none' },
    { name: 'a discrete GPU', adapter: { info: { vendor: 'nvidia', architecture: 'hopper' } }, want: 'hardware' },
    { name: 'a fallback adapter', adapter: { isFallbackAdapter: true, info: {} }, want: 'software' },
    { name: 'fallback flag in info', adapter: { info: { isFallbackAdapter: true } }, want: 'software' },
    { name: 'SwiftShader', adapter: { info: { vendor: 'google', architecture: 'swiftshader' } }, want: 'software' },
  ] as const)('$name is $want', ({ adapter, want }) => {
    expect(adapterKind(adapter)).toBe(want);
  });

  it.each([
    { cores: 2, isolated: true, want: 2 },
    { cores: 16, isolated: true, want: 4 },
    { cores: 8, isolated: false, want: 1 }, // no SharedArrayBuffer, no threads
    { cores: 0, isolated: true, want: 1 },
    { cores: 8, isolated: true, requested: 1, want: 1 }, // the user's choice wins
    { cores: 2, isolated: true, requested: 8, want: 2 }, // but can't exceed the machine
  ])('$cores cores, isolated=$isolated, requested=$requested → $want threads', ({ cores, isolated, requested, want }) => {
    expect(wasmThreadCount(cores, isolated, requested)).toBe(want);
  });
});

describe('settings helpers', () => {
  it.each([
    { everywhere: true, sites: [], host: 'a.com', want: true },
    { everywhere: false, sites: ['a.com'], host: 'a.com', want: true },
    { everywhere: false, sites: ['a.com'], host: 'b.a.com', want: false },
    { everywhere: false, sites: [], host: 'a.com', want: false },
  ])('auto-fill everywhere=$everywhere sites=$sites on $host → $want', ({ everywhere, sites, host, want }) => {
    expect(isAutoFillOn(everywhere, sites, host)).toBe(want);
  });

  it.each([
    ['https://huggingface.co', 'https://huggingface.co/'],
    ['https://mirror.example/hf//', 'https://mirror.example/hf/'],
    [' http://127.0.0.1:8080/ ', 'http://127.0.0.1:8080/'],
  ])('normalises model host %s', (input, want) => {
    expect(normaliseModelHost(input)).toBe(want);
  });
});

describe('captions and models', () => {
  it.each([
    ['  a red   circle ', 'a red circle'],
    ['a dog dog', 'a dog'],
    ['a man riding a horse', 'a man riding a horse'],
  ])('tidies %j', (raw, want) => {
    expect(tidyCaption(raw)).toBe(want);
  });

  it('runs catalog models quantised on WASM and unknown models at full precision', () => {
    expect(captionModel('Mozilla/distilvit').dtype.wasm).toBe('q8');
    expect(captionModel('someone/mirror-model').dtype).toEqual({ webgpu: 'fp32', wasm: 'fp32' });
  });
});
