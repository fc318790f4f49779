/**
 * Local stand-ins for the outside world: a model host laid out like the Hugging Face Hub, two page
 * origins (for cross-origin images) with the awkward cases a real web has.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

export const ROOT = resolve(import.meta.dirname, '../..');
export const MODELS_DIR = join(ROOT, 'tests/fixtures/models');
export const IMAGES_DIR = join(ROOT, 'tests/fixtures/images');
export const SITE_DIR = join(ROOT, 'tests/e2e/site');
export const OCR_FIXTURES_DIR = join(ROOT, 'tests/fixtures/ocr');
/** Never tuned on: it checks that settings chosen on OCR_FIXTURES_DIR generalise (see scripts/ocr-fixtures). */
export const OCR_VALIDATION_DIR = join(ROOT, 'tests/fixtures/ocr-validation');
export const OCR_SYMBOLS_DIR = join(ROOT, 'tests/fixtures/ocr-symbols');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.onnx': 'application/octet-stream',
};

export interface Running {
  origin: string;
  close(): Promise<void>;
}

async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

const closer = (server: Server) => () =>
  new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });

async function sendFile(res: ServerResponse, path: string, extraHeaders: Record<string, string> = {}): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    const body = await readFile(path);
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'content-length': String(body.length),
      ...extraHeaders,
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

export interface ModelHost extends Running {
  /** Paths of every file served, to assert downloads happen once and then come from the cache. */
  served: string[];
}

/** GET /{owner}/{repo}/resolve/{revision}/{file…} from tests/fixtures/models/{owner}/{repo}/{file…}. */
export async function startModelHost(modelsDirs: string[] = [MODELS_DIR]): Promise<ModelHost> {
  const locate = async (owner: string, repo: string, file: string) => {
    for (const dir of modelsDirs) {
      const path = join(dir, owner, repo, file);
      if (await stat(path).then((s) => s.isFile(), () => false)) return path;
    }
    return join(modelsDirs[0]!, owner, repo, file);
  };
  const served: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(decodeURIComponent(url.pathname));
    // The Hub answers CORS for everyone; so does this.
    const cors = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };
    if (!m || m[3]!.includes('..')) return void res.writeHead(404, cors).end();
    served.push(url.pathname);
    void locate(m[1]!, m[2]!, m[3]!).then(async (path) => {
      if (req.method !== 'HEAD') return sendFile(res, path, cors);
      await stat(path).then(
        (s) => res.writeHead(200, { ...cors, 'content-length': String(s.size) }).end(),
        () => res.writeHead(404, cors).end(),
      );
    });
  });
  const origin = await listen(server, '127.0.0.1');
  return { origin, served, close: closer(server) };
}

/**
 * A test site: the test pages plus fixture images, with the awkward cases a real web has:
 * a 404, HTML served as an image, a decompression bomb, and an image behind a login cookie.
 */
export async function startSite(host: '127.0.0.1' | 'localhost'): Promise<Running> {
  const server = createServer((req, res) => void routeSite(req, res));
  const origin = await listen(server, host);
  return { origin, close: closer(server) };
}

export const SLOW_IMAGE_DELAY_MS = 2000;
const AUTH_COOKIE = 'altsight_session=let-me-in';

async function routeSite(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = decodeURIComponent(url.pathname);
  // Images are embeddable from any origin, as on most CDNs.
  const corp = { 'cross-origin-resource-policy': 'cross-origin', 'cache-control': 'no-store' };
  if (path === '/login') {
    res.writeHead(200, { 'set-cookie': `${AUTH_COOKIE}; Path=/; HttpOnly`, 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (path.startsWith('/slow/')) {
    // Slow enough for a test to act while the engine is mid-job.
    await new Promise((r) => setTimeout(r, SLOW_IMAGE_DELAY_MS));
    return sendFile(res, join(IMAGES_DIR, path.slice('/slow/'.length)), corp);
  }
  if (path.startsWith('/private/')) {
    if (!(req.headers.cookie ?? '').includes(AUTH_COOKIE)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('login required');
      return;
    }
    return sendFile(res, join(IMAGES_DIR, path.slice('/private/'.length)), corp);
  }
  if (path === '/broken/not-an-image.png') {
    res.writeHead(200, { 'content-type': 'text/html', ...corp }).end('<!doctype html><p>Oops, a login page</p>');
    return;
  }
  if (path === '/broken/bomb.png') {
    res.writeHead(200, { 'content-type': 'image/png', ...corp }).end(decompressionBombPng());
    return;
  }
  if (path === '/broken/corrupt.jpg') {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xde, 0xad]);
    res.writeHead(200, { 'content-type': 'image/jpeg', ...corp }).end(bytes);
    return;
  }
  if (path === '/generated/huge-blank.png') {
    // 6000×6000: 36 megapixels to decode, a few kilobytes on the wire.
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#ffffff' } }).png().toBuffer();
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length), ...corp }).end(png);
    return;
  }
  if (path === '/generated/many-images.html') {
    const count = Number(url.searchParams.get('count') ?? 2000);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(manyImagesPage(count));
    return;
  }
  if (path.startsWith('/ocr-fixtures/')) return sendFile(res, join(OCR_FIXTURES_DIR, normalize(path.slice('/ocr-fixtures/'.length))), corp);
  if (path.startsWith('/ocr-validation/')) return sendFile(res, join(OCR_VALIDATION_DIR, normalize(path.slice('/ocr-validation/'.length))), corp);
  if (path.startsWith('/ocr-symbols/')) return sendFile(res, join(OCR_SYMBOLS_DIR, normalize(path.slice('/ocr-symbols/'.length))), corp);
  if (path.startsWith('/images/')) return sendFile(res, join(IMAGES_DIR, normalize(path.slice('/images/'.length))), corp);
  const file = normalize(path === '/' ? '/index.html' : path);
  return sendFile(res, join(SITE_DIR, file), corp);
}

/** A valid PNG header claiming 30000×30000 pixels: decoding it would need 3.6 GB. */
export function decompressionBombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type), data, Buffer.alloc(4)]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(64)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * An image-heavy page like a photo gallery or a shop listing: every fourth image has author alt, some
 * are decorative or tiny, the rest need a caption. Each URL is distinct, so nothing deduplicates.
 */
export function manyImagesPage(count: number): string {
  const files = ['red-circle.png', 'blue-square.jpg', 'green-triangle.png', 'yellow-circle.webp'];
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    const src = `/images/${files[i % files.length]}?n=${i}`;
    const kind = i % 8;
    const attrs =
      kind === 0 ? 'alt="A product photo"' : kind === 1 ? 'alt=""' : kind === 2 ? 'width="16" height="16"' : kind === 3 ? `alt="IMG_${i}.jpg"` : '';
    items.push(`<figure><img src="${src}" ${attrs} loading="lazy" width="${kind === 2 ? 16 : 96}" height="${kind === 2 ? 16 : 96}"><figcaption>Item ${i}</figcaption></figure>`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${count} images</title>
<style>figure{display:inline-block;margin:4px;width:100px;font:11px sans-serif}</style></head><body>${items.join('\n')}</body></html>`;
}
