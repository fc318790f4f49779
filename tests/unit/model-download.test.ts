/**
 * The model-file fetch on its own, against a scripted network: deadlines for the answer and for each
 * stretch of body bytes, sha256 checks, and failures that name the host, the file and what happened.
 */
import { describe, expect, it } from 'vitest';
import { modelDownloads, sha256Hex, type ModelDownloadFailure, type ModelDownloadOptions, type ModelFileProgress } from '@/lib/engine/model-download';

const BASE = 'https://models.example/acme/captioner/resolve/abc123/';
const HOST = 'models.example';
const SHORT_DEADLINE_MS = 40;
const encoder = new TextEncoder();

/** A body that sends `chunks` and then, unless `end`, goes quiet for good without closing. */
function bodyOf(chunks: string[], { end }: { end: boolean }): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) return controller.enqueue(encoder.encode(chunks[next++]!));
      if (end) return controller.close();
      return new Promise<void>(() => undefined); // stalled: no bytes, no end
    },
  });
}

function downloadsWith(respond: (url: string, init?: RequestInit) => Promise<Response>, options: Partial<ModelDownloadOptions> = {}) {
  const progress: ModelFileProgress[] = [];
  const downloads = modelDownloads({
    repoBaseUrl: BASE,
    revision: 'abc123',
    fetch: (input, init) => respond(String(input), init),
    onFileProgress: (p) => progress.push(p),
    ...options,
  });
  return { downloads, progress };
}

async function failureOf(promise: Promise<unknown>): Promise<ModelDownloadFailure> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toHaveProperty('failure');
  return (err as { failure: ModelDownloadFailure }).failure;
}

describe('sha256Hex', () => {
  it('prints what sha256sum prints', async () => {
    expect(await sha256Hex(encoder.encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('the stall watchdog', () => {
  it('gives up when the body stops arriving, and says how far it got', async () => {
    const { downloads } = downloadsWith(async () => new Response(bodyOf(['{"a":', '1'], { end: false }), { headers: { 'content-length': '2000' } }), {
      stallDeadlineMs: SHORT_DEADLINE_MS,
    });
    const response = await downloads.fetch(`${BASE}config.json`);
    const failure = await failureOf(response.arrayBuffer());
    expect(failure).toEqual({
      kind: 'stalled',
      host: HOST,
      file: 'config.json',
      message: `${HOST} sent no data for config.json for ${SHORT_DEADLINE_MS} ms (after 6 bytes of 2 kB).`,
    });
  });

  it('also watches files it hashes before handing them over', async () => {
    const { downloads } = downloadsWith(async () => new Response(bodyOf(['xx'], { end: false })), {
      stallDeadlineMs: SHORT_DEADLINE_MS,
      sha256ByFile: { 'onnx/model.onnx': '00'.repeat(32) },
    });
    const failure = await failureOf(downloads.fetch(`${BASE}onnx/model.onnx`));
    expect(failure.kind).toBe('stalled');
    expect(failure.message).toBe(`${HOST} sent no data for onnx/model.onnx for ${SHORT_DEADLINE_MS} ms (after 2 bytes).`);
  });

  it('does not count time the reader takes between reads', async () => {
    const { downloads } = downloadsWith(async () => new Response(bodyOf(['a', 'b', 'c'], { end: true })), { stallDeadlineMs: SHORT_DEADLINE_MS });
    const reader = (await downloads.fetch(`${BASE}tokenizer.json`)).body!.getReader();
    let text = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      text += new TextDecoder().decode(r.value);
      await new Promise((resolve) => setTimeout(resolve, SHORT_DEADLINE_MS * 2)); // a slow consumer
    }
    expect(text).toBe('abc');
  });

  it('gives up on a host that never answers, even through a fetch that ignores its signal', async () => {
    const { downloads } = downloadsWith(() => new Promise<Response>(() => undefined), { responseDeadlineMs: SHORT_DEADLINE_MS });
    const failure = await failureOf(downloads.fetch(`${BASE}onnx/encoder_model.onnx`));
    expect(failure).toEqual({
      kind: 'stalled',
      host: HOST,
      file: 'onnx/encoder_model.onnx',
      message: `${HOST} did not answer the request for onnx/encoder_model.onnx within ${SHORT_DEADLINE_MS} ms.`,
    });
  });
});

describe('integrity', () => {
  const genuine = 'the genuine weights';

  it('hands over a file whose sha256 matches, with its size, and reports it done', async () => {
    const { downloads, progress } = downloadsWith(async () => new Response(bodyOf(['the genuine ', 'weights'], { end: true })), {
      sha256ByFile: { 'onnx/model.onnx': await sha256Hex(encoder.encode(genuine)) },
    });
    const response = await downloads.fetch(`${BASE}onnx/model.onnx`);
    expect(await response.text()).toBe(genuine);
    expect(response.headers.get('content-length')).toBe(String(genuine.length));
    expect(progress.at(-1)).toEqual({ file: 'onnx/model.onnx', loadedBytes: genuine.length, totalBytes: genuine.length, done: true });
  });

  it('refuses a file whose sha256 differs, naming file and host', async () => {
    const { downloads } = downloadsWith(async () => new Response('the tampered weights'), {
      sha256ByFile: { 'onnx/decoder_model_merged.onnx': await sha256Hex(encoder.encode(genuine)) },
    });
    const failure = await failureOf(downloads.fetch(`${BASE}onnx/decoder_model_merged.onnx`));
    expect(failure).toEqual({
      kind: 'integrity',
      host: HOST,
      file: 'onnx/decoder_model_merged.onnx',
      message: `onnx/decoder_model_merged.onnx from ${HOST} does not match the file AltSight expects; it was not used.`,
    });
  });

  it('streams files it has no hash for, reporting progress as bytes arrive', async () => {
    const { downloads, progress } = downloadsWith(async () => new Response(bodyOf(['ab', 'cd'], { end: true }), { headers: { 'content-length': '4' } }));
    expect(await (await downloads.fetch(`${BASE}tokenizer.json`)).text()).toBe('abcd');
    expect(progress).toEqual([
      { file: 'tokenizer.json', loadedBytes: 2, totalBytes: 4, done: false },
      { file: 'tokenizer.json', loadedBytes: 4, totalBytes: 4, done: false },
      { file: 'tokenizer.json', loadedBytes: 4, totalBytes: 4, done: true },
    ]);
  });
});

describe('what a failure looks like', () => {
  it('passes a 404 through (transformers.js knows which files are optional) and names it when it was needed', async () => {
    const { downloads } = downloadsWith(async () => new Response('Entry not found', { status: 404 }));
    const url = `${BASE}generation_config.json`;
    expect((await downloads.fetch(url)).status).toBe(404);
    // What transformers.js throws for a file it needed.
    expect(downloads.failureBehind(new Error(`Could not locate file: "${url}".`))).toEqual({
      kind: 'missing',
      host: HOST,
      file: 'generation_config.json',
      message: `The model host ${HOST} has no file generation_config.json at revision abc123.`,
    });
    expect(downloads.failureBehind(new Error('Gather: idx out of range'))).toBeNull();
  });

  it.each([
    [403, 'blocked', `${HOST} refused config.json (HTTP 403): the model may be private, gated or not allowed here.`],
    [503, 'http', `${HOST} answered HTTP 503 for config.json.`],
  ])('HTTP %i is %s', async (status, kind, message) => {
    const { downloads } = downloadsWith(async () => new Response('no', { status }));
    expect(await failureOf(downloads.fetch(`${BASE}config.json`))).toEqual({ kind, host: HOST, file: 'config.json', message });
  });

  it('says offline when the device is, blocked when the device is online', async () => {
    const refuse = async () => Promise.reject(new TypeError('Failed to fetch'));
    const offline = downloadsWith(refuse, { isOnline: () => false }).downloads;
    expect(await failureOf(offline.fetch(`${BASE}config.json`))).toMatchObject({
      kind: 'offline',
      message: `AltSight could not download config.json from ${HOST}: this device seems to be offline.`,
    });
    const online = downloadsWith(refuse, { isOnline: () => true }).downloads;
    expect(await failureOf(online.fetch(`${BASE}config.json`))).toMatchObject({
      kind: 'blocked',
      message: `AltSight could not reach ${HOST} for config.json: the host refused the connection, or a firewall, proxy, extension or the host's CORS settings blocked it.`,
    });
  });

  it('stops every download of the model when cancelled', async () => {
    const { downloads } = downloadsWith(
      (_url, init) => new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    const pending = downloads.fetch(`${BASE}onnx/decoder_model_merged.onnx`);
    downloads.cancel();
    await expect(pending).rejects.toThrow('aborted');
  });
});
