import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { envelope, type Handlers, type KnownSender } from '@/lib/messages';
import type { RawSender } from '@/lib/senders';
import { PORT_CLOSED_MESSAGE } from '@/lib/port-rpc';
import { acceptEngineHostPort, listen, offerEngineToBackground, ownExtension, sendToBackground, sendToPage } from '@/lib/transport';
import { fakePortNetwork, RECEIVING_END_MISSING } from '../support/fake-ports';

/** Node's URL gives extension schemes an opaque ("null") origin; Chromium and Firefox give them a real one. */
class BrowserURL extends URL {
  override get origin(): string {
    return /^(chrome|moz)-extension:$/.test(this.protocol) ? `${this.protocol}//${this.host}` : super.origin;
  }
}

// fakeBrowser's runtime.id; its runtime.sendMessage hands listeners an empty sender ({}).
const ID = 'test-extension-id';
const ORIGIN = `chrome-extension://${ID}`;
const RAW = {
  popup: { id: ID, url: `${ORIGIN}/popup.html` },
  offscreen: { id: ID, url: `${ORIGIN}/offscreen.html` },
  topFrame: { id: ID, url: 'https://news.example/story', origin: 'https://news.example', tab: { id: 4, windowId: 1 }, frameId: 0 },
  subFrame: { id: ID, url: 'https://ads.example/f', origin: 'https://ads.example', tab: { id: 4, windowId: 1 }, frameId: 6 },
  otherExtension: { id: 'other', url: 'chrome-extension://other/popup.html' },
} satisfies Record<string, RawSender>;

const caption = { ok: true as const, result: 'caption' as const, text: 'a red circle', modelId: 'm' };

/** Background handlers that record each call; individual ones can be replaced. */
function backgroundHandlers(overrides: Partial<Handlers<'background'>> = {}) {
  const calls: { name: string; req: unknown; sender: KnownSender }[] = [];
  const record =
    <T>(name: string, value: T) =>
    async (req: unknown, sender: KnownSender) => {
      calls.push({ name, req, sender });
      return value;
    };
  const handlers: Handlers<'background'> = {
    'job.request': record('job.request', caption),
    'job.cancel': record('job.cancel', { cancelled: 0 }),
    'region.capture': record('region.capture', { ok: true as const, captureId: 'c1' }),
    'region.read': record('region.read', caption),
    'autofill.config': record('autofill.config', { on: false, altPrefix: '', jobKind: 'caption' as const }),
    'clipboard.write': record('clipboard.write', { copied: true }),
    'engine.status': record('engine.status', { state: 'idle' } as never),
    'engine.idle': record('engine.idle', { released: true }),
    'engine.stuck': record('engine.stuck', { recycled: true }),
    'models.download': record('models.download', { ok: true as const }),
    'models.cancelDownload': record('models.cancelDownload', { cancelled: false }),
    'engine.release': record('engine.release', { released: true }),
    'ask.request': record('ask.request', { ok: true as const, result: 'answer' as const, text: 'red', modelId: 'm' }),
    'ask.modelState': record('ask.modelState', { engine: 'model' as const, label: 'm', needsDownload: false, approxDownloadBytes: null }),
    'engine.answerProgress': record('engine.answerProgress', { delivered: true }),
    'popup.askAboutImage': record('popup.askAboutImage', { shown: true }),
    'engine.warm': record('engine.warm', { warming: true }),
    ...overrides,
  };
  return { handlers, calls };
}

/** What runtime.onMessage listeners answered, as the browser would pass `sender`. */
const deliver = (message: unknown, sender: RawSender) =>
  fakeBrowser.runtime.onMessage.trigger(message, sender as Parameters<typeof fakeBrowser.runtime.onMessage.trigger>[1]);

/** Engine handlers with a ping that records who called; the rest are never called here. */
function engineHandlers() {
  const pings: KnownSender[] = [];
  const handlers: Handlers<'engine'> = {
    'engine.run': vi.fn(),
    'engine.cancel': vi.fn(),
    'engine.preload': vi.fn(),
    'engine.cancelLoad': vi.fn(),
    'engine.status': vi.fn(),
    'engine.ping': async (_req, sender) => {
      pings.push(sender);
      return { alive: true as const };
    },
    'engine.memory': vi.fn(),
    'engine.clipboard': vi.fn(),
    'engine.chatModelState': vi.fn(),
  };
  return { handlers, pings };
}

describe('transport over the (fake) runtime', () => {
  let ports: ReturnType<typeof fakePortNetwork>;
  /** Later connects come from this context, as the browser would report it to the other side. */
  const connectFrom = (sender: RawSender | undefined) => vi.spyOn(fakeBrowser.runtime, 'connect').mockImplementation(ports.connectAs(sender) as never);

  beforeAll(() => vi.stubGlobal('URL', BrowserURL));
  afterAll(() => vi.unstubAllGlobals());
  beforeEach(() => {
    fakeBrowser.reset();
    ports = fakePortNetwork(fakeBrowser.runtime as { lastError?: { message?: string } });
    vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation(ports.onConnect.addListener as never);
    vi.spyOn(fakeBrowser.runtime.onConnect, 'removeListener').mockImplementation(ports.onConnect.removeListener as never);
    connectFrom(RAW.popup);
  });
  afterEach(() => {
    // The transport keeps its port to the background between calls: close it, as a stopped worker would.
    ports.closeAll();
    vi.restoreAllMocks();
  });

  it('knows our extension by its id, origin and documents', () => {
    expect(ownExtension()).toMatchObject({ id: ID, origin: ORIGIN, engineHostPaths: ['/offscreen.html'] });
    expect(ownExtension().backgroundPaths).toContain('/background.js');
  });

  it('a round trip: sendToBackground reaches the listener over a port, which answers with the handler’s value', async () => {
    const { handlers, calls } = backgroundHandlers();
    listen('background', handlers);
    const req = { job: { kind: 'caption' as const, source: { kind: 'url' as const, url: 'https://x.example/a.png' } }, priority: 'user' as const, requestId: 'r1' };
    expect(await sendToBackground('job.request', req)).toEqual(caption);
    expect(calls).toEqual([{ name: 'job.request', req, sender: { role: 'extension-page', url: RAW.popup.url, origin: ORIGIN } }]);
  });

  it('rethrows a handler’s failure at the sender with its message', async () => {
    const { handlers } = backgroundHandlers({
      'engine.status': async () => {
        throw new Error('engine unavailable');
      },
    });
    listen('background', handlers);
    await expect(sendToBackground('engine.status', {})).rejects.toThrow('engine unavailable');
  });

  it('refuses a message the browser reports without a sender it can place', async () => {
    connectFrom(undefined);
    const { handlers, calls } = backgroundHandlers();
    listen('background', handlers);
    await expect(sendToBackground('engine.status', {})).rejects.toThrow('"engine.status" is not accepted from this sender.');
    expect(calls).toEqual([]);
  });

  it('places a content script from the browser’s sender: role, tab, frame and origin', async () => {
    const { handlers, calls } = backgroundHandlers();
    listen('background', handlers);
    const answers = await deliver(envelope('background', 'autofill.config', {}), RAW.subFrame);
    expect(answers).toEqual([{ ok: true, value: { on: false, altPrefix: '', jobKind: 'caption' } }]);
    expect(calls[0]?.sender).toEqual({ role: 'any-frame-content', tabId: 4, windowId: 1, frameId: 6, url: RAW.subFrame.url, origin: 'https://ads.example' });
  });

  it.each([
    { case: 'a sub-frame capturing a region', sender: RAW.subFrame, message: envelope('background', 'region.capture', { rect: { x: 0, y: 0, width: 1, height: 1 }, viewportWidthCss: 100 }) },
    { case: 'a content script claiming the engine is stuck', sender: RAW.topFrame, message: envelope('background', 'engine.stuck', {}) },
    { case: 'another extension', sender: RAW.otherExtension, message: envelope('background', 'engine.status', {}) },
    { case: 'the engine host asking for status', sender: RAW.offscreen, message: envelope('background', 'engine.status', {}) },
  ])('refuses $case without running a handler', async ({ sender, message }) => {
    const { handlers, calls } = backgroundHandlers();
    listen('background', handlers);
    const [answer] = await deliver(message, sender);
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/not accepted/) });
    expect(calls).toEqual([]);
  });

  it('lets the engine host report itself idle', async () => {
    const { handlers, calls } = backgroundHandlers();
    listen('background', handlers);
    expect(await deliver(envelope('background', 'engine.idle', {}), RAW.offscreen)).toEqual([{ ok: true, value: { released: true } }]);
    expect(calls.map((c) => c.sender.role)).toEqual(['engine-host']);
  });

  it('leaves messages for other contexts to their listeners', async () => {
    const engine = engineHandlers();
    listen('engine', engine.handlers);
    const { handlers, calls } = backgroundHandlers();
    listen('background', handlers);
    // The engine refuses the popup's ping; the background listener stays silent either way.
    expect(await deliver(envelope('engine', 'engine.ping', {}), RAW.popup)).toEqual([
      { ok: false, error: '"engine.ping" is not accepted from extension page.' },
      undefined,
    ]);
    expect(await deliver(envelope('engine', 'engine.ping', {}), { id: ID, url: `${ORIGIN}/background.js` })).toEqual([
      { ok: true, value: { alive: true } },
      undefined,
    ]);
    expect(engine.pings).toHaveLength(1);
    expect(calls).toEqual([]);
  });

  it('stops answering once the returned function is called', async () => {
    const { handlers, calls } = backgroundHandlers();
    const stop = listen('background', handlers);
    stop();
    expect(await deliver(envelope('background', 'engine.status', {}), RAW.popup)).toEqual([]);
    await expect(sendToBackground('engine.status', {})).rejects.toThrow(RECEIVING_END_MISSING);
    expect(calls).toEqual([]);
  });

  it('opens one port for many calls, and a new one after the background went away', async () => {
    const { handlers, calls } = backgroundHandlers();
    listen('background', handlers);
    await Promise.all([sendToBackground('engine.status', {}), sendToBackground('engine.release', {})]);
    expect(ports.receivers).toHaveLength(1);
    ports.closeAll();
    await Promise.resolve();
    expect(await sendToBackground('engine.status', {})).toEqual({ state: 'idle' });
    expect(ports.receivers).toHaveLength(2);
    expect(calls.map((c) => c.name)).toEqual(['engine.status', 'engine.release', 'engine.status']);
  });

  it('asks once more on a new port when the background went away before answering, and gets that answer', async () => {
    const answers: (() => void)[] = [];
    const { handlers } = backgroundHandlers({ 'engine.status': () => new Promise((resolve) => answers.push(() => resolve({ state: 'idle' } as never))) });
    listen('background', handlers);
    const call = sendToBackground('engine.status', {});
    await new Promise((r) => setTimeout(r, 0));
    ports.closeAll(); // the worker stopped, or its process crashed, with the request out
    await new Promise((r) => setTimeout(r, 0));
    expect(ports.receivers).toHaveLength(2);
    answers[0]!(); // the first background's answer has no port to go back on
    answers[1]!();
    expect(await call).toEqual({ state: 'idle' });
    expect(answers).toHaveLength(2); // asked once per background
  });

  it('fails a call whose second port closes before the answer too, in the words the engine’s crash check knows', async () => {
    const { handlers } = backgroundHandlers({ 'engine.status': () => new Promise(() => undefined) });
    listen('background', handlers);
    const call = sendToBackground('engine.status', {});
    await new Promise((r) => setTimeout(r, 0));
    ports.closeAll();
    await new Promise((r) => setTimeout(r, 0));
    ports.closeAll();
    await expect(call).rejects.toThrow(PORT_CLOSED_MESSAGE);
    expect(ports.receivers).toHaveLength(2);
  });

  it('answers on a port only for the background: an engine host listens for runtime messages alone', async () => {
    listen('engine', engineHandlers().handlers);
    await expect(sendToBackground('engine.status', {})).rejects.toThrow(RECEIVING_END_MISSING);
  });

  it('the engine host’s port: the background accepts it from the engine host only, and calls over it', async () => {
    const hostPort = acceptEngineHostPort();
    const { handlers, pings } = engineHandlers();
    connectFrom(RAW.popup);
    offerEngineToBackground(handlers);
    expect(hostPort.isOpen).toBe(false);
    connectFrom(RAW.offscreen);
    offerEngineToBackground(handlers);
    expect(hostPort.isOpen).toBe(true);
    expect(await hostPort.send('engine.ping', {})).toEqual({ alive: true });
    // On the host's own port the caller is the background: only it listens for connections.
    expect(pings).toEqual([{ role: 'background' }]);
  });

  it('the engine host’s port closes with the host, failing what is out', async () => {
    const hostPort = acceptEngineHostPort();
    const { handlers } = engineHandlers();
    const connect = connectFrom(RAW.offscreen);
    offerEngineToBackground(handlers);
    const ping = hostPort.send('engine.ping', {});
    (connect.mock.results[0]!.value as { disconnect(): void }).disconnect(); // the host document closed
    await expect(ping).rejects.toThrow(PORT_CLOSED_MESSAGE);
    expect(hostPort.isOpen).toBe(false);
  });

  it('the engine host offers its port again when a new background first calls it by message', async () => {
    const { handlers } = engineHandlers();
    acceptEngineHostPort();
    const connect = connectFrom(RAW.offscreen);
    offerEngineToBackground(handlers);
    ports.closeAll(); // the service worker stopped
    await Promise.resolve();
    // Another extension page's message does not bring it back; the background's does.
    await deliver(envelope('engine', 'engine.ping', {}), RAW.popup);
    expect(connect).toHaveBeenCalledTimes(1);
    await deliver(envelope('engine', 'engine.ping', {}), { id: ID, url: `${ORIGIN}/background.js` });
    expect(connect).toHaveBeenCalledTimes(2);
  });

  it.each([
    { frameId: undefined, options: undefined },
    { frameId: 0, options: { frameId: 0 } }, // the top frame, not "every frame"
    { frameId: 5, options: { frameId: 5 } },
  ])('sendToPage addresses frame $frameId of the tab', async ({ frameId, options }) => {
    const send = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ ok: true, value: { shown: true } });
    const req = { srcUrl: 'https://news.example/a.png', kind: 'caption' as const };
    expect(await sendToPage(12, 'page.showPanel', req, frameId)).toEqual({ shown: true });
    expect(send).toHaveBeenCalledWith(12, envelope('page', 'page.showPanel', req), options);
  });

  it('sendToPage says so when no content script answered', async () => {
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue(undefined);
    await expect(sendToPage(12, 'page.report', {})).rejects.toThrow(/No AltSight handler answered "page.report"/);
  });
});
