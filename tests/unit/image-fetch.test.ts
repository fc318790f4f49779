import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchImageBytes, loadImageForModel, type ImageFetchOptions } from '@/lib/images/load';
import { MAX_IMAGE_BYTES } from '@/lib/images/limits';
import type { ImageRequester } from '@/lib/engine/jobs';

const NEWS: ImageRequester = { frameOrigin: 'https://news.example', userAsked: false };
const NEWS_USER_ASKED: ImageRequester = { frameOrigin: 'https://news.example', userAsked: true };

/** A PNG's signature and header (120×120): enough for the sniffer, not for a decoder. */
const PNG_HEAD = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 120, 0, 0, 0, 120, 8, 6, 0, 0, 0, 0, 0, 0, 0,
]);

interface FetchCall {
  url: string;
  credentials: RequestCredentials | undefined;
  redirect: RequestRedirect | undefined;
  signal: AbortSignal | null | undefined;
}

/** A fake network that ignores abort signals, so the code under test has to stop waiting on its own. */
function fakeNetwork(answer: (url: string, call: FetchCall) => Response | Promise<Response>) {
  const calls: FetchCall[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), credentials: init?.credentials, redirect: init?.redirect, signal: init?.signal };
    calls.push(call);
    return answer(String(input), call);
  }) as typeof fetch;
  return { fetchImpl, calls };
}

/** Constructed Responses have no url; a followed redirect would give the final one. */
function at(url: string, response: Response): Response {
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

function trackedBody(source: UnderlyingDefaultSource<Uint8Array>) {
  const state = { cancelled: false, pulls: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      start: source.start?.bind(source),
      pull: source.pull
        ? (controller) => {
            state.pulls++;
            return source.pull!(controller);
          }
        : undefined,
      cancel: (reason) => {
        state.cancelled = true;
        return source.cancel?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** A PNG header, then one byte every `intervalMs`, forever. */
function tricklingBody(intervalMs: number) {
  let timer: ReturnType<typeof setInterval> | undefined;
  const tracked = trackedBody({
    start(controller) {
      controller.enqueue(PNG_HEAD);
      timer = setInterval(() => controller.enqueue(new Uint8Array([0])), intervalMs);
    },
    cancel() {
      clearInterval(timer);
    },
  });
  cleanups.push(() => clearInterval(timer));
  return tracked;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((f) => f());
  vi.unstubAllGlobals();
});

const options = (fetchImpl: typeof fetch, overrides: Partial<ImageFetchOptions> = {}): ImageFetchOptions => ({
  signal: new AbortController().signal,
  fetchMs: 5_000,
  fetchImpl,
  ...overrides,
});

describe('fetchImageBytes: cookies and redirects', () => {
  it('sends cookies to the frame’s own origin, without following redirects', async () => {
    const net = fakeNetwork((url) => at(url, new Response(PNG_HEAD)));
    const got = await fetchImageBytes('https://news.example/a.png', NEWS, options(net.fetchImpl));
    expect(got).toMatchObject({ ok: true });
    if (got.ok) expect([...got.bytes]).toEqual([...PNG_HEAD]);
    expect(net.calls).toMatchObject([{ credentials: 'include', redirect: 'manual' }]);
  });

  it('omits cookies cross-origin and follows redirects', async () => {
    const net = fakeNetwork((url) => at(url, new Response(PNG_HEAD, { headers: { 'content-type': 'image/png' } })));
    const got = await fetchImageBytes('https://cdn.example/a.png', NEWS, options(net.fetchImpl));
    expect(got).toMatchObject({ ok: true, contentType: 'image/png' });
    expect(net.calls).toMatchObject([{ credentials: 'omit', redirect: 'follow' }]);
  });

  it('sends cookies cross-origin when the user asked about this image', async () => {
    const net = fakeNetwork((url) => at(url, new Response(PNG_HEAD)));
    await fetchImageBytes('https://bank.example/a.png', NEWS_USER_ASKED, options(net.fetchImpl));
    expect(net.calls).toMatchObject([{ credentials: 'include', redirect: 'manual' }]);
  });

  it('asks again without cookies when a credentialed request is redirected', async () => {
    const net = fakeNetwork((url, call) =>
      call.credentials === 'include'
        ? new Response(null, { status: 302, headers: { location: 'https://cdn.example/moved.png' } })
        : at('https://cdn.example/moved.png', new Response(PNG_HEAD)),
    );
    const got = await fetchImageBytes('https://news.example/a.png', NEWS, options(net.fetchImpl));
    expect(got).toMatchObject({ ok: true });
    expect(net.calls).toMatchObject([
      { url: 'https://news.example/a.png', credentials: 'include', redirect: 'manual' },
      { url: 'https://news.example/a.png', credentials: 'omit', redirect: 'follow' },
    ]);
  });

  it('treats a browser’s opaque redirect (no visible target) the same way', async () => {
    const opaque = new Response(null, { status: 200 });
    Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' });
    Object.defineProperty(opaque, 'status', { value: 0 });
    Object.defineProperty(opaque, 'ok', { value: false });
    const net = fakeNetwork((url, call) => (call.credentials === 'include' ? opaque : at(url, new Response(PNG_HEAD))));
    expect(await fetchImageBytes('https://news.example/a.png', NEWS, options(net.fetchImpl))).toMatchObject({ ok: true });
    expect(net.calls.map((c) => c.credentials)).toEqual(['include', 'omit']);
  });

  it('refuses a visible credentialed redirect to a private address without asking again', async () => {
    const net = fakeNetwork(() => new Response(null, { status: 302, headers: { location: 'http://127.0.0.1/admin.png' } }));
    const got = await fetchImageBytes('https://news.example/a.png', NEWS, options(net.fetchImpl));
    expect(got).toMatchObject({ ok: false, reason: 'private-network' });
    expect(net.calls).toHaveLength(1);
  });

  it('refuses to read a followed redirect that landed on 127.0.0.1, and cancels its body', async () => {
    const body = trackedBody({ pull: (c) => c.enqueue(PNG_HEAD) });
    const net = fakeNetwork(() => at('http://127.0.0.1:8080/router.png', new Response(body.stream)));
    const got = await fetchImageBytes('https://cdn.example/a.png', NEWS, options(net.fetchImpl));
    expect(got).toMatchObject({ ok: false, reason: 'private-network' });
    expect(body.state.cancelled).toBe(true);
  });

  it('never fetches what the policy refuses', async () => {
    const net = fakeNetwork(() => new Response(PNG_HEAD));
    for (const url of ['http://192.168.1.1/a.png', 'http://2130706433/a.png', 'file:///etc/passwd']) {
      expect(await fetchImageBytes(url, NEWS_USER_ASKED, options(net.fetchImpl))).toMatchObject({ ok: false });
    }
    expect(net.calls).toHaveLength(0);
  });
});

describe('fetchImageBytes: answers', () => {
  it('calls a cross-origin 401 without cookies “needs sign-in”, in plain words', async () => {
    const net = fakeNetwork((url) => at(url, new Response('no', { status: 401 })));
    const got = await fetchImageBytes('https://bank.example/statement.png', NEWS, options(net.fetchImpl));
    expect(got).toMatchObject({ ok: false, reason: 'needs-sign-in' });
    if (!got.ok) expect(got.message).toMatch(/signed-in users.*doesn’t send your cookies to other sites/);
  });

  it.each([
    { status: 403, url: 'https://news.example/a.png', requester: NEWS, reason: 'forbidden' },
    { status: 401, url: 'https://bank.example/a.png', requester: NEWS_USER_ASKED, reason: 'forbidden' },
    { status: 404, url: 'https://cdn.example/a.png', requester: NEWS, reason: 'not-found' },
    { status: 410, url: 'https://cdn.example/a.png', requester: NEWS, reason: 'not-found' },
    { status: 500, url: 'https://cdn.example/a.png', requester: NEWS, reason: 'network' },
  ])('HTTP $status for $url → $reason', async ({ status, url, requester, reason }) => {
    const net = fakeNetwork((u) => at(u, new Response('x', { status })));
    expect(await fetchImageBytes(url, requester, options(net.fetchImpl))).toMatchObject({ ok: false, reason });
  });

  it('reports a network error in words', async () => {
    const net = fakeNetwork(() => Promise.reject(new TypeError('Failed to fetch')));
    const got = await fetchImageBytes('https://cdn.example/a.png', NEWS, options(net.fetchImpl));
    expect(got).toEqual({ ok: false, reason: 'network', message: 'The image could not be downloaded (network error or blocked).' });
  });
});

describe('fetchImageBytes: byte cap', () => {
  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const body = trackedBody({ pull: (c) => c.enqueue(new Uint8Array(1024)) });
    const headers = { 'content-length': String(MAX_IMAGE_BYTES + 1) };
    const net = fakeNetwork((url) => at(url, new Response(body.stream, { headers })));
    expect(await fetchImageBytes('https://cdn.example/a.png', NEWS, options(net.fetchImpl))).toMatchObject({ ok: false, reason: 'too-large' });
    expect(body.state.pulls).toBe(0);
    expect(body.state.cancelled).toBe(true);
  });

  it('stops reading an endless body with no Content-Length just past the cap', async () => {
    const chunkBytes = 1024 * 1024;
    const body = trackedBody({ pull: (c) => c.enqueue(new Uint8Array(chunkBytes)) });
    const net = fakeNetwork((url) => at(url, new Response(body.stream)));
    const got = await fetchImageBytes('https://cdn.example/a.png', NEWS, options(net.fetchImpl));
    expect(got).toMatchObject({ ok: false, reason: 'too-large' });
    expect(body.state.cancelled).toBe(true);
    expect(body.state.pulls).toBeLessThanOrEqual(MAX_IMAGE_BYTES / chunkBytes + 2);
  });
});

describe('fetchImageBytes: deadlines', () => {
  it('ends a body that trickles at the deadline, and cancels it', async () => {
    const body = tricklingBody(30);
    const net = fakeNetwork((url) => at(url, new Response(body.stream)));
    const started = Date.now();
    const got = await fetchImageBytes('https://cdn.example/trickle.png', NEWS, options(net.fetchImpl, { fetchMs: 200 }));
    expect(got).toEqual({ ok: false, reason: 'timed-out', message: 'The image took too long to download (over 0.2 s).' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(body.state.cancelled).toBe(true);
    expect(net.calls[0]!.signal?.aborted).toBe(true);
  });

  it('ends a request whose headers never come', async () => {
    const net = fakeNetwork(() => new Promise<Response>(() => {}));
    const got = await fetchImageBytes('https://cdn.example/a.png', NEWS, options(net.fetchImpl, { fetchMs: 100 }));
    expect(got).toMatchObject({ ok: false, reason: 'timed-out' });
  });

  it('says “cancelled” when the job is aborted mid-body', async () => {
    const body = tricklingBody(30);
    const net = fakeNetwork((url) => at(url, new Response(body.stream)));
    const job = new AbortController();
    setTimeout(() => job.abort(), 80);
    const got = await fetchImageBytes('https://cdn.example/a.png', NEWS, options(net.fetchImpl, { signal: job.signal, fetchMs: 10_000 }));
    expect(got).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(body.state.cancelled).toBe(true);
  });

  it('says “cancelled” for a job aborted before it starts', async () => {
    const net = fakeNetwork((url) => at(url, new Response(PNG_HEAD)));
    const got = await fetchImageBytes('https://cdn.example/a.png', NEWS, options(net.fetchImpl, { signal: AbortSignal.abort() }));
    expect(got).toMatchObject({ ok: false, reason: 'cancelled' });
  });
});

describe('loadImageForModel (network and limits; decoding is stubbed)', () => {
  const loadOptions = (signal = new AbortController().signal) => ({
    maxSidePx: 512,
    requester: NEWS,
    signal,
    deadlines: { fetchMs: 5_000, decodeMs: 150 },
  });
  const serve = (bytes: Uint8Array<ArrayBuffer>, contentType = 'image/png') =>
    vi.stubGlobal('fetch', (async (input: RequestInfo | URL) => at(String(input), new Response(bytes, { headers: { 'content-type': contentType } }))) as typeof fetch);

  it('refuses an HTML page, naming the type the server claimed', async () => {
    serve(new TextEncoder().encode('<!doctype html><p>hi'), 'text/html');
    expect(await loadImageForModel({ kind: 'url', url: 'https://cdn.example/a.png' }, loadOptions())).toEqual({
      ok: false,
      reason: 'not-an-image',
      message: 'The address returned something that is not an image (text/html).',
    });
  });

  it('refuses a decompression bomb before decoding it', async () => {
    const bomb = PNG_HEAD.slice();
    bomb.set([0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30], 16); // 30000 × 30000
    serve(bomb);
    const decode = vi.fn();
    vi.stubGlobal('createImageBitmap', decode);
    expect(await loadImageForModel({ kind: 'url', url: 'https://cdn.example/a.png' }, loadOptions())).toMatchObject({ ok: false, reason: 'too-large' });
    expect(decode).not.toHaveBeenCalled();
  });

  it('reads page pixels only from a data: URL', async () => {
    const got = await loadImageForModel({ kind: 'pixels', pngDataUrl: 'http://192.168.1.1/a.png', originalUrl: 'blob:x' }, loadOptions());
    expect(got).toMatchObject({ ok: false, reason: 'unsupported-source' });
  });

  it('stops waiting for a decoder past the decode deadline, and closes the bitmap that comes late', async () => {
    serve(PNG_HEAD);
    const close = vi.fn();
    vi.stubGlobal('createImageBitmap', () => new Promise((resolve) => setTimeout(() => resolve({ width: 120, height: 120, close }), 400)));
    const got = await loadImageForModel({ kind: 'url', url: 'https://cdn.example/a.png' }, loadOptions());
    expect(got).toEqual({ ok: false, reason: 'timed-out', message: 'The image took too long to decode (over 0.15 s).' });
    await vi.waitFor(() => expect(close).toHaveBeenCalled(), { timeout: 2_000 });
  });

  it('says “cancelled” when the job is aborted during decode', async () => {
    serve(PNG_HEAD);
    vi.stubGlobal('createImageBitmap', () => new Promise(() => {}));
    const job = new AbortController();
    setTimeout(() => job.abort(), 20);
    const got = await loadImageForModel({ kind: 'url', url: 'https://cdn.example/a.png' }, { ...loadOptions(job.signal), deadlines: { fetchMs: 5_000, decodeMs: 10_000 } });
    expect(got).toMatchObject({ ok: false, reason: 'cancelled' });
  });

  it('reports a decoder error in plain words', async () => {
    serve(PNG_HEAD);
    vi.stubGlobal('createImageBitmap', () => Promise.reject(new DOMException('The source image could not be decoded.', 'InvalidStateError')));
    const got = await loadImageForModel({ kind: 'url', url: 'https://cdn.example/a.png' }, loadOptions());
    expect(got).toMatchObject({ ok: false, reason: 'decode-failed' });
    if (!got.ok) expect(got.message).not.toMatch(/InvalidStateError/);
  });
});
