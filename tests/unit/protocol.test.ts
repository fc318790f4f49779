import { describe, expect, it } from 'vitest';
import {
  BACKGROUND_MESSAGES,
  ENGINE_MESSAGES,
  PAGE_MESSAGES,
  deferredHandlers,
  dispatch,
  envelope,
  senderMayCall,
  unwrapReply,
  type Destination,
  type Handlers,
  type KnownSender,
  type SenderRole,
} from '@/lib/messages';
import { adapterKind, chooseBackend, wasmThreadCount } from '@/lib/engine/backend';
import { tidyCaption } from '@/lib/caption/captioner';
import { captionModel } from '@/lib/models';

const ORIGIN = 'chrome-extension://altsightid';
const SENDERS = {
  background: { role: 'background', url: `${ORIGIN}/background.js`, origin: ORIGIN },
  engineHost: { role: 'engine-host', url: `${ORIGIN}/offscreen.html`, origin: ORIGIN },
  popup: { role: 'extension-page', url: `${ORIGIN}/popup.html`, origin: ORIGIN },
  topFrame: { role: 'top-frame-content', tabId: 7, windowId: 1, frameId: 0, url: 'https://news.example/', origin: 'https://news.example' },
  subFrame: { role: 'any-frame-content', tabId: 7, windowId: 1, frameId: 3, url: 'https://ads.example/f', origin: 'https://ads.example' },
} satisfies Record<string, KnownSender>;

const SPECS = { background: BACKGROUND_MESSAGES, engine: ENGINE_MESSAGES, page: PAGE_MESSAGES };

/** A complete handler map that records what reached it and answers with the message name. */
function recording<D extends Destination>(to: D) {
  const calls: { name: string; req: unknown; sender: KnownSender }[] = [];
  const handlers = Object.fromEntries(
    Object.keys(SPECS[to]).map((name) => [
      name,
      async (req: unknown, sender: KnownSender) => {
        calls.push({ name, req, sender });
        return { handled: name };
      },
    ]),
  ) as unknown as Handlers<D>;
  return { handlers, calls };
}

const urlJob = { kind: 'caption', source: { kind: 'url', url: 'https://news.example/a.png' } } as const;
const pixelsJob = {
  kind: 'read-text',
  source: { kind: 'pixels', pngDataUrl: 'data:image/png;base64,iVBORw0KGgo=', originalUrl: 'blob:https://news.example/1' },
} as const;
const config = {
  modelId: 'Mozilla/distilvit',
  handwritingModelId: 'Xenova/trocr-small-handwritten',
  modelHost: 'https://huggingface.co/',
  backend: 'auto',
  wasmThreads: 0,
  releaseAfterIdleSeconds: 300,
  deadlines: { fetchMs: 30_000, decodeMs: 15_000, modelRunMs: 120_000 },
  chatEngine: 'model',
  chatModelId: 'HuggingFaceTB/SmolVLM-256M-Instruct',
} as const;
const engineRun = {
  jobId: 'j1',
  job: { ...urlJob, requester: { frameOrigin: 'https://news.example', userAsked: false } },
  priority: 'visible',
  config,
} as const;

describe('message protocol: senders', () => {
  it.each<{ role: SenderRole; allowed: SenderRole[]; want: boolean }>([
    { role: 'top-frame-content', allowed: ['any-frame-content'], want: true }, // the top frame is a frame
    { role: 'top-frame-content', allowed: ['top-frame-content'], want: true },
    { role: 'any-frame-content', allowed: ['top-frame-content'], want: false },
    { role: 'any-frame-content', allowed: ['any-frame-content', 'extension-page'], want: true },
    { role: 'extension-page', allowed: ['any-frame-content'], want: false },
    { role: 'engine-host', allowed: ['background'], want: false },
    { role: 'background', allowed: ['background', 'extension-page'], want: true },
    { role: 'background', allowed: [], want: false },
  ])('$role may call a message from $allowed: $want', ({ role, allowed, want }) => {
    expect(senderMayCall(role, allowed)).toBe(want);
  });

  it.each([
    { case: 'a content script running the engine', to: 'engine', name: 'engine.run', payload: engineRun, sender: SENDERS.topFrame },
    { case: 'an extension page running the engine', to: 'engine', name: 'engine.run', payload: engineRun, sender: SENDERS.popup },
    { case: 'a content script writing through the engine’s clipboard', to: 'engine', name: 'engine.clipboard', payload: { text: 'x' }, sender: SENDERS.subFrame },
    { case: 'a content script pretending the engine is idle', to: 'background', name: 'engine.idle', payload: {}, sender: SENDERS.topFrame },
    { case: 'a frame pretending the engine is stuck', to: 'background', name: 'engine.stuck', payload: {}, sender: SENDERS.subFrame },
    { case: 'an extension page recycling the engine', to: 'background', name: 'engine.stuck', payload: {}, sender: SENDERS.popup },
    { case: 'a sub-frame capturing a region of the tab', to: 'background', name: 'region.capture', payload: { rect: { x: 0, y: 0, width: 10, height: 10 }, viewportWidthCss: 800 }, sender: SENDERS.subFrame },
    { case: 'a sub-frame reading a capture', to: 'background', name: 'region.read', payload: { captureId: 'c1' }, sender: SENDERS.subFrame },
    { case: 'an extension page capturing a tab', to: 'background', name: 'region.capture', payload: { rect: { x: 0, y: 0, width: 10, height: 10 }, viewportWidthCss: 800 }, sender: SENDERS.popup },
    { case: 'a content script asking for engine status', to: 'background', name: 'engine.status', payload: {}, sender: SENDERS.topFrame },
    { case: 'an extension page cancelling a frame’s jobs', to: 'background', name: 'job.cancel', payload: { requestIds: ['r1'] }, sender: SENDERS.popup },
    { case: 'the engine host asking for a job', to: 'background', name: 'job.request', payload: { job: urlJob, priority: 'user', requestId: 'r1' }, sender: SENDERS.engineHost },
    { case: 'an extension page showing a panel in a page', to: 'page', name: 'page.showPanel', payload: { srcUrl: 'https://news.example/a.png', kind: 'caption' }, sender: SENDERS.popup },
    { case: 'one frame driving another', to: 'page', name: 'page.describeAll', payload: {}, sender: SENDERS.topFrame },
    { case: 'a sender that is not ours', to: 'background', name: 'job.request', payload: { job: urlJob, priority: 'user', requestId: 'r1' }, sender: null },
  ] as const)('refuses $case before the handler runs', async ({ to, name, payload, sender }) => {
    const { handlers, calls } = recording(to);
    const reply = await dispatch(to, handlers, envelope(to, name as never, payload as never), sender);
    expect(reply).toMatchObject({ ok: false, error: expect.stringMatching(/is not accepted from/) });
    expect(calls).toEqual([]);
  });

  it('names the refused role in the error', async () => {
    const { handlers } = recording('background');
    const reply = await dispatch('background', handlers, envelope('background', 'engine.stuck', {}), SENDERS.subFrame);
    expect(reply).toEqual({ ok: false, error: '"engine.stuck" is not accepted from any frame content.' });
  });
});

describe('message protocol: payloads', () => {
  const longUrl = `https://news.example/${'a'.repeat(8200)}.png`;
  it.each([
    { case: 'an unknown priority', name: 'job.request', payload: { job: urlJob, priority: 'urgent', requestId: 'r1' } },
    { case: 'a missing request id', name: 'job.request', payload: { job: urlJob, priority: 'user' } },
    { case: 'a numeric request id', name: 'job.request', payload: { job: urlJob, priority: 'user', requestId: 1 } },
    { case: 'a request id over 64 chars', name: 'job.request', payload: { job: urlJob, priority: 'user', requestId: 'r'.repeat(65) } },
    // Who asks comes from the sender: a content script can't claim the user asked.
    { case: 'an extra requester key', name: 'job.request', payload: { job: urlJob, priority: 'user', requestId: 'r1', requester: { frameOrigin: 'https://bank.example', userAsked: true } } },
    { case: 'an extra key inside the job', name: 'job.request', payload: { job: { ...urlJob, userAsked: true }, priority: 'user', requestId: 'r1' } },
    { case: 'an unknown job kind', name: 'job.request', payload: { job: { ...urlJob, kind: 'translate' }, priority: 'user', requestId: 'r1' } },
    { case: 'an unknown source kind', name: 'job.request', payload: { job: { kind: 'caption', source: { kind: 'file', url: 'file:///etc/passwd' } }, priority: 'user', requestId: 'r1' } },
    { case: 'a URL over the length cap', name: 'job.request', payload: { job: { kind: 'caption', source: { kind: 'url', url: longUrl } }, priority: 'user', requestId: 'r1' } },
    { case: 'pixels that are a JPEG', name: 'job.request', payload: { job: { kind: 'caption', source: { ...pixelsJob.source, pngDataUrl: 'data:image/jpeg;base64,/9j/' } }, priority: 'user', requestId: 'r1' } },
    { case: 'pixels that are a URL', name: 'job.request', payload: { job: { kind: 'caption', source: { ...pixelsJob.source, pngDataUrl: 'https://news.example/a.png' } }, priority: 'user', requestId: 'r1' } },
    { case: 'pixels that are SVG', name: 'job.request', payload: { job: { kind: 'caption', source: { ...pixelsJob.source, pngDataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' } }, priority: 'user', requestId: 'r1' } },
    { case: 'pixels without their original URL', name: 'job.request', payload: { job: { kind: 'caption', source: { kind: 'pixels', pngDataUrl: pixelsJob.source.pngDataUrl } }, priority: 'user', requestId: 'r1' } },
    { case: 'too many request ids', name: 'job.cancel', payload: { requestIds: Array.from({ length: 1001 }, (_, i) => `r${i}`) } },
    { case: 'a request id list of numbers', name: 'job.cancel', payload: { requestIds: [1, 2] } },
    { case: 'a NaN rect', name: 'region.capture', payload: { rect: { x: 0, y: 0, width: Number.NaN, height: 10 }, viewportWidthCss: 800 } },
    { case: 'an infinite rect', name: 'region.capture', payload: { rect: { x: Infinity, y: 0, width: 10, height: 10 }, viewportWidthCss: 800 } },
    { case: 'a negative width', name: 'region.capture', payload: { rect: { x: 0, y: 0, width: -1, height: 10 }, viewportWidthCss: 800 } },
    { case: 'a zero viewport', name: 'region.capture', payload: { rect: { x: 0, y: 0, width: 10, height: 10 }, viewportWidthCss: 0 } },
    { case: 'a rect as a string', name: 'region.capture', payload: { rect: '0,0,10,10', viewportWidthCss: 800 } },
    { case: 'a rect sent to read (pixels stay in the background)', name: 'region.read', payload: { rect: { x: 0, y: 0, width: 10, height: 10 }, viewportWidthCss: 800 } },
    { case: 'a capture id and a rect', name: 'region.read', payload: { captureId: 'c1', rect: { x: 0, y: 0, width: 10, height: 10 } } },
    { case: 'a capture id over 64 chars', name: 'region.read', payload: { captureId: 'c'.repeat(65) } },
    { case: 'an extra key on an empty request', name: 'autofill.config', payload: { hostname: 'bank.example' } },
    { case: 'no payload', name: 'autofill.config', payload: undefined },
    { case: 'null', name: 'clipboard.write', payload: null },
    { case: 'clipboard text that is not a string', name: 'clipboard.write', payload: { text: 42 } },
    { case: 'clipboard text over a million chars', name: 'clipboard.write', payload: { text: 'x'.repeat(1_000_001) } },
  ] as const)('refuses $case before the handler runs', async ({ name, payload }) => {
    const { handlers, calls } = recording('background');
    const reply = await dispatch('background', handlers, envelope('background', name, payload as never), SENDERS.topFrame);
    expect(reply).toMatchObject({ ok: false, error: expect.stringMatching(new RegExp(`^"${name}" had an invalid payload: .+`)) });
    expect(calls).toEqual([]);
  });

  it.each([
    { case: 'a model host that is not a URL', payload: { ...engineRun, config: { ...config, modelHost: 'huggingface' } } },
    { case: 'a fractional thread count', payload: { ...engineRun, config: { ...config, wasmThreads: 1.5 } } },
    { case: 'a zero deadline', payload: { ...engineRun, config: { ...config, deadlines: { ...config.deadlines, fetchMs: 0 } } } },
    { case: 'no deadlines', payload: { ...engineRun, config: { ...config, deadlines: undefined } } },
    { case: 'a requester without userAsked', payload: { ...engineRun, job: { ...urlJob, requester: { frameOrigin: 'https://news.example' } } } },
    { case: 'no requester', payload: { ...engineRun, job: urlJob } },
  ])('refuses an engine.run with $case', async ({ payload }) => {
    const { handlers, calls } = recording('engine');
    const reply = await dispatch('engine', handlers, envelope('engine', 'engine.run', payload as never), SENDERS.background);
    expect(reply).toMatchObject({ ok: false, error: expect.stringMatching(/^"engine.run" had an invalid payload/) });
    expect(calls).toEqual([]);
  });

  it.each([
    { case: 'a URL job from a sub-frame', to: 'background', name: 'job.request', payload: { job: urlJob, priority: 'visible', requestId: 'r1' }, sender: SENDERS.subFrame },
    { case: 'a pixels job from the popup', to: 'background', name: 'job.request', payload: { job: pixelsJob, priority: 'user', requestId: 'r2' }, sender: SENDERS.popup },
    { case: 'a region capture from the top frame', to: 'background', name: 'region.capture', payload: { rect: { x: -5, y: 2.5, width: 0, height: 10 }, viewportWidthCss: 1280 }, sender: SENDERS.topFrame },
    { case: 'a capture read from the top frame', to: 'background', name: 'region.read', payload: { captureId: 'c1', kind: 'read-handwriting' }, sender: SENDERS.topFrame },
    { case: 'a retry of failed images from the popup', to: 'page', name: 'page.retryFailed', payload: {}, sender: SENDERS.popup },
    { case: 'a cancel from the top frame (any frame may)', to: 'background', name: 'job.cancel', payload: { requestIds: [] }, sender: SENDERS.topFrame },
    { case: 'the engine host going idle', to: 'background', name: 'engine.idle', payload: {}, sender: SENDERS.engineHost },
    { case: 'an engine run from the background', to: 'engine', name: 'engine.run', payload: engineRun, sender: SENDERS.background },
    { case: 'engine status from the popup', to: 'engine', name: 'engine.status', payload: {}, sender: SENDERS.popup },
    { case: 'a panel shown by the background', to: 'page', name: 'page.showPanel', payload: { srcUrl: 'https://news.example/a.png', kind: 'read-text' }, sender: SENDERS.background },
  ] as const)('hands $case to its handler with the parsed payload and the sender', async ({ to, name, payload, sender }) => {
    const { handlers, calls } = recording(to);
    const reply = await dispatch(to, handlers, envelope(to, name as never, payload as never), sender);
    expect(reply).toEqual({ ok: true, value: { handled: name } });
    expect(calls).toEqual([{ name, req: payload, sender }]);
  });
});

describe('message protocol: replies and silence', () => {
  const pageHandlers: Handlers<'page'> = {
    'page.findFocusedImage': async () => ({ image: null }),
    'page.showNotice': async () => ({ shown: true }),
    'page.describeAll': async () => ({ queued: 3 }),
    'page.retryFailed': async () => ({ retried: 1 }),
    'page.undoAll': async () => {
      throw new Error('nothing to undo');
    },
    'page.report': async () => ({ images: [] }),
    'page.showPanel': async () => ({ shown: true }),
    'page.selectRegion': async () => ({ started: true }),
    'page.readVisible': async () => Promise.reject('not now'),
    'page.answerProgress': async () => ({ shown: false }),
  };

  it('a handler map missing a message does not compile', () => {
    // @ts-expect-error: 'page.readVisible' has no handler
    const incomplete: Handlers<'page'> = {
      'page.describeAll': pageHandlers['page.describeAll'],
      'page.retryFailed': pageHandlers['page.retryFailed'],
      'page.undoAll': pageHandlers['page.undoAll'],
      'page.report': pageHandlers['page.report'],
      'page.showPanel': pageHandlers['page.showPanel'],
      'page.selectRegion': pageHandlers['page.selectRegion'],
    };
    // …and at run time a name without a handler stays unanswered rather than throwing.
    expect(dispatch('page', incomplete, envelope('page', 'page.readVisible', {}), SENDERS.background)).toBeUndefined();
  });

  it('answers with the handler’s value', async () => {
    const reply = await dispatch('page', pageHandlers, envelope('page', 'page.describeAll', {}), SENDERS.popup);
    expect(reply).toEqual({ ok: true, value: { queued: 3 } });
    expect(unwrapReply(reply, 'page.describeAll')).toEqual({ queued: 3 });
  });

  it('carries a handler’s error back as data, rethrown by the sender', async () => {
    const reply = await dispatch('page', pageHandlers, envelope('page', 'page.undoAll', {}), SENDERS.popup);
    expect(reply).toEqual({ ok: false, error: 'nothing to undo' });
    expect(() => unwrapReply(reply, 'page.undoAll')).toThrow('nothing to undo');
  });

  it('carries a non-Error rejection as its string', async () => {
    expect(await dispatch('page', pageHandlers, envelope('page', 'page.readVisible', {}), SENDERS.popup)).toEqual({ ok: false, error: 'not now' });
  });

  it.each([
    { case: 'a message for another context', message: envelope('engine', 'engine.ping', {}) },
    { case: 'an unknown name', message: { altsight: 1, to: 'page', name: 'page.deleteEverything', payload: {} } },
    { case: 'an inherited property name', message: { altsight: 1, to: 'page', name: 'constructor', payload: {} } },
    { case: 'another inherited name', message: { altsight: 1, to: 'page', name: 'toString', payload: {} } },
    { case: 'a look-alike without our marker', message: { to: 'page', name: 'page.report', payload: {} } },
    { case: 'a look-alike with another marker', message: { altsight: 2, to: 'page', name: 'page.report', payload: {} } },
    { case: 'a look-alike with a string marker', message: { altsight: '1', to: 'page', name: 'page.report', payload: {} } },
    { case: 'a numeric name', message: { altsight: 1, to: 'page', name: 1, payload: {} } },
    { case: 'a string', message: 'page.report' },
    { case: 'null', message: null },
    { case: 'undefined', message: undefined },
  ])('stays silent for $case, even from a sender that is not ours', ({ message }) => {
    expect(dispatch('page', pageHandlers, message, SENDERS.background)).toBeUndefined();
    expect(dispatch('page', pageHandlers, message, null)).toBeUndefined();
  });

  it('says clearly when nobody answered', () => {
    expect(() => unwrapReply(undefined, 'engine.status')).toThrow(/No AltSight handler answered "engine.status"/);
    expect(() => unwrapReply(null, 'engine.status')).toThrow(/No AltSight handler answered "engine.status"/);
  });
});

describe('message protocol: handlers that load later', () => {
  it('answers every message once the real handlers are ready, and what arrived meanwhile waits for them', async () => {
    const { handlers, calls } = recording('engine');
    let ready!: (h: Handlers<'engine'>) => void;
    const deferred = deferredHandlers('engine', new Promise<Handlers<'engine'>>((r) => (ready = r)));
    expect(Object.keys(deferred).sort()).toEqual(Object.keys(ENGINE_MESSAGES).sort());
    const early = dispatch('engine', deferred, envelope('engine', 'engine.ping', {}), SENDERS.background);
    expect(calls).toEqual([]);
    ready(handlers);
    expect(await early).toEqual({ ok: true, value: { handled: 'engine.ping' } });
    expect(await dispatch('engine', deferred, envelope('engine', 'engine.status', {}), SENDERS.background)).toEqual({ ok: true, value: { handled: 'engine.status' } });
    expect(calls.map((c) => c.name)).toEqual(['engine.ping', 'engine.status']);
  });

  it('still checks who may call: a content script gets no engine call through', async () => {
    const { handlers, calls } = recording('engine');
    const deferred = deferredHandlers('engine', Promise.resolve(handlers));
    const reply = await dispatch('engine', deferred, envelope('engine', 'engine.ping', {}), SENDERS.topFrame);
    expect(reply).toMatchObject({ ok: false });
    expect(calls).toEqual([]);
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
