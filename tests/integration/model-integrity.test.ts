/**
 * Model downloads as a user meets them, in Node against local Hub-like hosts: files come at the pinned
 * revision, once each, and are checked against their recorded sha256; a tampered copy is refused; a host
 * that is missing a file, never answers, stalls mid-file or refuses the connection fails in time, saying
 * which host, which file and what it looks like.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, RawImage } from '@huggingface/transformers';
import { loadCaptioner, type ModelDownloadDeadlines } from '@/lib/caption/captioner';
import { isModelDownloadError, type ModelDownloadFailure } from '@/lib/engine/model-download';
import { captionModel, type ModelPin } from '@/lib/models';
import { sha256ByFileInFolder } from '@/scripts/model-sha256';
import { IMAGES_DIR, MODELS_DIR, startModelHost, type ModelHost } from '../support/servers';

const MODEL_ID = 'altsight-test/tiny-shapes-captioner';
/** Any commit-like revision: the fixture host serves every revision, so the URLs show the pin is used. */
const FIXTURE_REVISION = '0123456789abcdef0123456789abcdef01234567';
let fixtureSha256ByFile: Record<string, string>;
let revisionsUsed = 0;
/**
 * The fixture pinned at a revision of its own for each test: transformers.js shares in-flight loads by
 * model and revision, and a test must not join a load another test's host is failing.
 */
function fixturePinsAtNewRevision(): Record<string, ModelPin> {
  const revision = (++revisionsUsed).toString(16).padStart(40, 'f');
  return { [MODEL_ID]: { revision, sha256ByFile: fixtureSha256ByFile } };
}
const TAMPERED_FILE = 'onnx/decoder_model_merged.onnx';
/** Short enough to keep the suite fast, long enough for a loaded 2-core machine to answer a local request. */
const TEST_DEADLINE_MS = 1500;

const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  fixtureSha256ByFile = await sha256ByFileInFolder(join(MODELS_DIR, MODEL_ID));
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Points transformers.js at `origin` with an empty cache: every file is a first download. */
function useModelHost(origin: string): string {
  env.remoteHost = `${origin}/`;
  env.allowLocalModels = false;
  env.cacheDir = mkdtempSync(join(tmpdir(), 'altsight-integrity-'));
  return env.cacheDir;
}

async function startHost(options?: Parameters<typeof startModelHost>[1]): Promise<ModelHost> {
  const host = await startModelHost(undefined, options);
  cleanups.push(() => host.close());
  return host;
}

async function failureOfLoading(modelId: string, pins: Record<string, ModelPin>, deadlines?: ModelDownloadDeadlines): Promise<ModelDownloadFailure> {
  const loaded = await loadCaptioner(captionModel(modelId, pins), 'cpu', undefined, deadlines).then(
    async (captioner) => {
      await captioner.dispose();
      return null;
    },
    (err: unknown) => err,
  );
  if (!isModelDownloadError(loaded)) throw new Error(`expected a ModelDownloadError, got ${String(loaded)}`);
  return loaded.failure;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('pinned, verified model files', () => {
  it('loads genuine files at the pinned revision, each requested once, and captions with them', async () => {
    const host = await startHost();
    useModelHost(host.origin);
    const pins = { [MODEL_ID]: { revision: FIXTURE_REVISION, sha256ByFile: fixtureSha256ByFile } };
    const captioner = await loadCaptioner(captionModel(MODEL_ID, pins), 'cpu');
    cleanups.push(() => captioner.dispose());

    expect(host.served.length).toBeGreaterThanOrEqual(7);
    expect(host.served.every((p) => p.startsWith(`/${MODEL_ID}/resolve/${FIXTURE_REVISION}/`))).toBe(true);
    expect(new Set(host.served).size).toBe(host.served.length);
    const image = (await RawImage.read(join(IMAGES_DIR, 'red-circle.png'))).rgba();
    expect(await captioner.caption({ rgba: new Uint8ClampedArray(image.data), widthPx: image.width, heightPx: image.height })).toBe('a red circle');
  });

  it('refuses a copy with one byte changed, and keeps it out of the cache', async () => {
    const host = await startHost({
      alterFile: (file, body) => {
        if (file !== TAMPERED_FILE) return body;
        const tampered = Buffer.from(body);
        tampered[tampered.length >> 1]! ^= 0x01;
        return tampered;
      },
    });
    const cacheDir = useModelHost(host.origin);
    const failure = await failureOfLoading(MODEL_ID, fixturePinsAtNewRevision());

    const hostName = new URL(host.origin).host;
    expect(failure).toEqual({
      kind: 'integrity',
      host: hostName,
      file: TAMPERED_FILE,
      message: `${TAMPERED_FILE} from ${hostName} does not match the file AltSight expects; it was not used.`,
    });
    expect(filesUnder(cacheDir).some((p) => p.endsWith('decoder_model_merged.onnx'))).toBe(false);
  });
});

describe('downloads that fail say what failed, in time', () => {
  it('names a file the host does not have, and the revision', async () => {
    const host = await startHost();
    useModelHost(host.origin);
    const failure = await failureOfLoading('altsight-test/no-such-model', {});
    expect(failure.kind).toBe('missing');
    expect(failure.file).toMatch(/\.json$/);
    expect(failure.message).toBe(`The model host ${new URL(host.origin).host} has no file ${failure.file} at revision main.`);
  });

  it('gives up on a host that accepts the connection and never answers', async () => {
    const silent = await listenTcp(() => undefined);
    useModelHost(silent.origin);
    const started = performance.now();
    const failure = await failureOfLoading(MODEL_ID, fixturePinsAtNewRevision(), { responseDeadlineMs: TEST_DEADLINE_MS });
    expect(performance.now() - started).toBeLessThan(TEST_DEADLINE_MS * 4);
    expect(failure.kind).toBe('stalled');
    expect(failure.message).toBe(`${silent.host} did not answer the request for ${failure.file} within ${TEST_DEADLINE_MS / 1000} s.`);
  });

  it('gives up on a host that stops sending in the middle of a file', async () => {
    const stalling = await listenHttp((_req, res) => {
      res.writeHead(200, { 'content-length': '1000', 'content-type': 'application/json' });
      res.write('{"model_type": '); // …and nothing more
    });
    useModelHost(stalling.origin);
    const failure = await failureOfLoading(MODEL_ID, fixturePinsAtNewRevision(), { stallDeadlineMs: TEST_DEADLINE_MS });
    expect(failure.kind).toBe('stalled');
    expect(failure.message).toBe(`${stalling.host} sent no data for ${failure.file} for ${TEST_DEADLINE_MS / 1000} s (after 15 bytes of 1 kB).`);
  });

  it('says the host refused the connection', async () => {
    const closed = await listenTcp(() => undefined);
    await closed.close(); // nothing listens on that port any more
    useModelHost(closed.origin);
    const failure = await failureOfLoading(MODEL_ID, fixturePinsAtNewRevision());
    expect(failure.kind).toBe('blocked');
    expect(failure.host).toBe(closed.host);
    expect(failure.message).toContain(`could not reach ${closed.host}`);
    expect(failure.message).toContain('ECONNREFUSED');
  });
});

interface Listening {
  origin: string;
  host: string;
  close(): Promise<void>;
}

async function listenTcp(onSocket: (socket: Socket) => void): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    onSocket(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  cleanups.push(close);
  return { origin: `http://${host}`, host, close };
}

async function listenHttp(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const server: HttpServer = createHttpServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  cleanups.push(close);
  return { origin: `http://${host}`, host, close };
}
