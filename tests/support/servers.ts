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
export const OCR_ACCENTS_DIR = join(ROOT, 'tests/fixtures/ocr-accents');
/** Synthetic handwriting lines and pages for the handwriting reader (scripts/handwriting-model). */
export const HANDWRITING_DIR = join(ROOT, 'tests/fixtures/handwriting');

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

export interface ModelHostOptions {
  /** Serves other bytes than the file on disk (e.g. a tampered copy, made in memory); `file` is the repo path. */
  alterFile?: (file: string, body: Buffer) => Buffer;
}

/** GET /{owner}/{repo}/resolve/{revision}/{file…} from tests/fixtures/models/{owner}/{repo}/{file…}. */
export async function startModelHost(modelsDirs: string[] = [MODELS_DIR], options: ModelHostOptions = {}): Promise<ModelHost> {
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
      const { alterFile } = options;
      if (alterFile && req.method !== 'HEAD') {
        const body = await readFile(path).catch(() => null);
        if (!body) return void res.writeHead(404, cors).end();
        const altered = alterFile(m[3]!, body);
        return void res.writeHead(200, { ...cors, 'content-length': String(altered.length), 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(altered);
      }
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
    // Slow enough for a test to act while the engine is mid-job; ?delayMs= asks for longer (a minute at most).
    const delayMs = Math.min(60_000, Number(url.searchParams.get('delayMs')) || SLOW_IMAGE_DELAY_MS);
    await new Promise((r) => setTimeout(r, delayMs));
    return sendFile(res, join(IMAGES_DIR, path.slice('/slow/'.length)), corp);
  }
  if (path.startsWith('/slow-copy/')) {
    // The page's own <img> gets the image at once; any other request for it (the engine's fetch, whose
    // Sec-Fetch-Dest is "empty") waits ?delayMs= (a minute at most): a job slow on the engine's side alone.
    if (req.headers['sec-fetch-dest'] !== 'image') {
      await new Promise((r) => setTimeout(r, Math.min(60_000, Number(url.searchParams.get('delayMs')) || SLOW_IMAGE_DELAY_MS)));
    }
    return sendFile(res, join(IMAGES_DIR, normalize(path.slice('/slow-copy/'.length))), corp);
  }
  if (path === '/generated/slow-copy.html') {
    const src = `/slow-copy/red-circle.png?delayMs=${Number(url.searchParams.get('delayMs')) || SLOW_IMAGE_DELAY_MS}`;
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>One image</title></head><body><img src="${src}" width="96" height="96"></body></html>`);
    return;
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
  if (path.startsWith('/ocr-accents/')) return sendFile(res, join(OCR_ACCENTS_DIR, normalize(path.slice('/ocr-accents/'.length))), corp);
  if (path.startsWith('/handwriting/')) return sendFile(res, join(HANDWRITING_DIR, normalize(path.slice('/handwriting/'.length))), corp);
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

// ---------------------------------------------------------------------------------------------------
// Trust (issue 8): three "public" sites — news.example, bank.example, cdn.example — that Chromium
// reaches on loopback through --host-resolver-rules (see trustHostResolverRules), each logging every
// request with the headers that tell who made it and whether it carried the site's cookie.
// ---------------------------------------------------------------------------------------------------

export const TRUST_SITE_NAMES = ['news', 'bank', 'cdn'] as const;
export type TrustSiteName = (typeof TRUST_SITE_NAMES)[number];
export const TRUST_DIR = join(SITE_DIR, 'trust');
/** Bytes a /trickle/ response sends before it slows to one byte a second. */
export const TRICKLE_INTERVAL_MS = 1000;

export interface LoggedRequest {
  site: TrustSiteName;
  /** The Host header: "bank.example:41234", or "127.0.0.1:41234" when reached by address. */
  host: string;
  /** Path and query, as requested. */
  path: string;
  /** Carried this site's session cookie (set by its /login). */
  cookie: boolean;
  origin: string | null;
  referer: string | null;
  secFetchSite: string | null;
  secFetchMode: string | null;
  secFetchDest: string | null;
  /**
   * Made by the extension rather than by a page. Over plain http Chromium sends no Sec-Fetch-* headers,
   * so this reads what is left: the engine's fetches come from a chrome-extension:// document, which
   * leaves no Referer on an http request (a secure-to-insecure downgrade), while a page's subresource
   * requests carry the page as Referer, and navigations (typed URLs, page.goto) ask for HTML.
   */
  fromExtension: boolean;
  at: number;
  /** Every header as received, for a failing test's message. */
  headers: IncomingMessage['headers'];
}

export interface TrickleConnection {
  site: TrustSiteName;
  path: string;
  fromExtension: boolean;
  /** False once the client closed the connection (or the server was closed). */
  open: boolean;
  openedAt: number;
  closedAt: number | null;
  bytesSent: number;
}

export interface TrustSite {
  name: TrustSiteName;
  /** e.g. "http://news.example:41234" */
  origin: string;
  port: number;
  /** This site's requests, in arrival order. */
  requests: LoggedRequest[];
}

export interface TrustSites {
  news: TrustSite;
  bank: TrustSite;
  cdn: TrustSite;
  /**
   * The cdn server by its loopback address (http://127.0.0.1:PORT): an address a page on the public
   * web must never make the engine fetch. Its requests are logged under cdn, with host "127.0.0.1:PORT".
   */
  loopbackOrigin: string;
  /** For launchWithExtension({ hostResolverRules }). */
  hostResolverRules: string;
  /** Every request to any of the three, in arrival order. */
  requests: LoggedRequest[];
  /** Every /trickle/ response, open or closed. */
  trickles: TrickleConnection[];
  /** Hangs up every /trickle/ response still open (so a stuck client can't hold up what comes next). */
  endTrickles(): void;
  close(): Promise<void>;
}

/** The cookie each site's /login sets (SameSite=Lax, HttpOnly) and its /private/ images require. */
export function trustCookie(site: TrustSiteName): string {
  return `trust_session=${site}-signed-in`;
}

export function trustHostResolverRules(): string {
  return TRUST_SITE_NAMES.map((n) => `MAP ${n}.example 127.0.0.1`).join(', ');
}

/**
 * Starts news.example, bank.example and cdn.example on loopback, each on its own port. Every site serves:
 * - `/login`: sets `trust_session=<site>-signed-in; SameSite=Lax; HttpOnly`;
 * - `/private/<fixture image>`: the image with that cookie, 401 without;
 * - `/images/<fixture image>`: the image to anyone (CORP cross-origin, no-store);
 * - `/trickle/<name>.png`: a PNG signature and header (120×120), then one byte a second forever;
 * - `/trust/<page>.html`: pages from tests/e2e/site/trust, with `{{news}}`, `{{bank}}`, `{{cdn}}` and
 *   `{{loopback}}` replaced by those origins;
 * - `/trust/many-frames.html?count=N&tag=T&size=S`: N same-origin iframes, each `/trust/framed.html` holding
 *   one S×S image `/images/…?T=i` (see manyFramesPage);
 * - `/trust/framed.html?src=<url>&size=S`: a page with one S×S image (120 by default).
 */
export async function startTrustSites(): Promise<TrustSites> {
  const requests: LoggedRequest[] = [];
  const trickles: TrickleConnection[] = [];
  const hangUps = new Map<TrickleConnection, () => void>();
  const origins = {} as Record<TrustSiteName | 'loopback', string>;
  const servers: Server[] = [];
  const sites = {} as Record<TrustSiteName, TrustSite>;
  for (const name of TRUST_SITE_NAMES) {
    const site: TrustSite = { name, origin: '', port: 0, requests: [] };
    const server = createServer((req, res) => {
      const entry = logRequest(name, req);
      requests.push(entry);
      site.requests.push(entry);
      void routeTrust(name, entry, req, res, origins, trickles, hangUps).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    servers.push(server);
    site.origin = await listen(server, `${name}.example`);
    site.port = Number(new URL(site.origin).port);
    sites[name] = site;
    origins[name] = site.origin;
  }
  origins.loopback = `http://127.0.0.1:${sites.cdn.port}`;
  return {
    ...sites,
    loopbackOrigin: origins.loopback,
    hostResolverRules: trustHostResolverRules(),
    requests,
    trickles,
    endTrickles() {
      for (const hangUp of hangUps.values()) hangUp();
    },
    async close() {
      await Promise.all(servers.map((s) => closer(s)()));
    },
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? null);
}

function logRequest(site: TrustSiteName, req: IncomingMessage): LoggedRequest {
  const origin = header(req, 'origin');
  const referer = header(req, 'referer');
  const secFetchSite = header(req, 'sec-fetch-site');
  const secFetchDest = header(req, 'sec-fetch-dest');
  const navigation = header(req, 'upgrade-insecure-requests') !== null || (header(req, 'accept') ?? '').startsWith('text/html');
  const fromExtension =
    /^(chrome|moz)-extension:\/\//.test(origin ?? '') ||
    /^(chrome|moz)-extension:\/\//.test(referer ?? '') ||
    (referer === null && !navigation && (origin === null || origin === 'null'));
  return {
    site,
    host: header(req, 'host') ?? '',
    path: req.url ?? '/',
    cookie: (req.headers.cookie ?? '').includes(trustCookie(site)),
    origin,
    referer,
    secFetchSite,
    secFetchMode: header(req, 'sec-fetch-mode'),
    secFetchDest,
    fromExtension,
    at: Date.now(),
    headers: req.headers,
  };
}

async function routeTrust(
  site: TrustSiteName,
  entry: LoggedRequest,
  req: IncomingMessage,
  res: ServerResponse,
  origins: Record<TrustSiteName | 'loopback', string>,
  trickles: TrickleConnection[],
  hangUps: Map<TrickleConnection, () => void>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = decodeURIComponent(url.pathname);
  const corp = { 'cross-origin-resource-policy': 'cross-origin', 'cache-control': 'no-store' };
  const html = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
  if (path === '/login') {
    res
      .writeHead(200, { 'set-cookie': `${trustCookie(site)}; Path=/; HttpOnly; SameSite=Lax`, 'content-type': 'text/plain', 'cache-control': 'no-store' })
      .end(`signed in to ${site}`);
    return;
  }
  if (path.startsWith('/private/')) {
    if (!entry.cookie) return void res.writeHead(401, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('sign in first');
    return sendFile(res, join(IMAGES_DIR, normalize(path.slice('/private/'.length))), corp);
  }
  if (path.startsWith('/handwriting/')) return sendFile(res, join(HANDWRITING_DIR, normalize(path.slice('/handwriting/'.length))), corp);
  if (path.startsWith('/images/')) return sendFile(res, join(IMAGES_DIR, normalize(path.slice('/images/'.length))), corp);
  if (path.startsWith('/trickle/')) return trickle(site, entry, req, res, trickles, hangUps);
  if (path === '/trust/many-frames.html') {
    const count = Math.min(1000, Number(url.searchParams.get('count') ?? 200));
    const size = Number(url.searchParams.get('size') ?? 60);
    return void res.writeHead(200, html).end(manyFramesPage(count, url.searchParams.get('tag') ?? 'f', Number.isFinite(size) && size > 0 ? size : 60));
  }
  if (path === '/trust/framed.html') {
    const size = Number(url.searchParams.get('size') ?? 120);
    return void res.writeHead(200, html).end(framedImagePage(url.searchParams.get('src') ?? '', Number.isFinite(size) && size > 0 ? size : 120));
  }
  if (path.startsWith('/trust/')) {
    const file = join(TRUST_DIR, normalize(path.slice('/trust/'.length)));
    if (!file.startsWith(TRUST_DIR + '/')) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    if (!file.endsWith('.html')) return sendFile(res, file, corp);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const filled = text.replace(/\{\{(news|bank|cdn|loopback)\}\}/g, (_, k: TrustSiteName | 'loopback') => origins[k]);
    return void res.writeHead(200, html).end(filled);
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}

/** A PNG that never finishes: signature and a 120×120 IHDR at once, then one byte a second. */
function trickle(
  site: TrustSiteName,
  entry: LoggedRequest,
  req: IncomingMessage,
  res: ServerResponse,
  trickles: TrickleConnection[],
  hangUps: Map<TrickleConnection, () => void>,
): void {
  const conn: TrickleConnection = {
    site,
    path: entry.path,
    fromExtension: entry.fromExtension,
    open: true,
    openedAt: Date.now(),
    closedAt: null,
    bytesSent: 0,
  };
  trickles.push(conn);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(120, 0);
  ihdr.writeUInt32BE(120, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(13);
  const head = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), len, Buffer.from('IHDR'), ihdr, Buffer.alloc(4)]);
  res.writeHead(200, { 'content-type': 'image/png', 'cross-origin-resource-policy': 'cross-origin', 'cache-control': 'no-store' });
  res.write(head);
  conn.bytesSent = head.length;
  const timer = setInterval(() => {
    if (res.destroyed || res.writableEnded) return;
    res.write(Buffer.from([0]));
    conn.bytesSent++;
  }, TRICKLE_INTERVAL_MS);
  const closed = () => {
    clearInterval(timer);
    hangUps.delete(conn);
    if (conn.open) Object.assign(conn, { open: false, closedAt: Date.now() });
  };
  hangUps.set(conn, () => res.destroy());
  res.on('close', closed);
  req.socket.on('close', closed);
}

/**
 * A page of `count` same-origin iframes, each with one image of its own (distinct URLs: nothing
 * deduplicates). Frames are small (`sizePx` + 4, images `sizePx`, 60 by default: above the size
 * auto-fill skips), so a 1200×900 window shows about 200 of them at once: all "visible" work.
 */
export function manyFramesPage(count: number, tag = 'f', sizePx = 60): string {
  const files = ['red-circle.png', 'blue-square.jpg', 'green-triangle.png', 'yellow-circle.webp'];
  const frames: string[] = [];
  for (let i = 0; i < count; i++) {
    const src = `/images/${files[i % files.length]}?${encodeURIComponent(tag)}=${i}`;
    frames.push(
      `<iframe title="Frame ${i}" src="/trust/framed.html?size=${sizePx}&amp;src=${encodeURIComponent(src)}" width="${sizePx + 4}" height="${sizePx + 4}"></iframe>`,
    );
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${count} frames</title>
<style>body{margin:2px;line-height:0}iframe{border:0;margin:0}</style></head><body>${frames.join('')}</body></html>`;
}

/**
 * Run in a manyFramesPage tab (`page.evaluate(framesCaptioned)`): how many of its frames' images auto-fill
 * has given a generated alt so far.
 */
export function framesCaptioned(): number {
  return [...document.querySelectorAll('iframe')].filter((f) => f.contentDocument?.querySelector('img')?.getAttribute('data-altsight') === 'generated').length;
}

/** One image (`sizePx` square, 120 by default) in a page of its own: a frame, or a page for a tab. */
export function framedImagePage(src: string, sizePx = 120): string {
  const safe = src.replace(/[<>"&]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Framed image</title></head>
<body style="margin:0"><img style="width:${sizePx}px;height:${sizePx}px" src="${safe}"></body></html>`;
}

/** The fixture captioner (tests/fixtures/models) both trust suites caption with. */
export const TRUST_MODEL_ID = 'altsight-test/tiny-shapes-captioner';

/**
 * The settings both trust suites run on: the fixture captioner, captions only ("Image text:" has its own
 * tests, and reading text first would slow every job), auto-fill on news.example alone.
 */
export function trustSettings(modelHostOrigin: string, backend: string, fetchTimeoutS: number): Record<string, unknown> {
  return {
    modelHost: `${modelHostOrigin}/`,
    modelId: TRUST_MODEL_ID,
    backend,
    preferImageText: false,
    autoFillEverywhere: false,
    autoFillSites: ['news.example'],
    imageFetchTimeoutSeconds: fetchTimeoutS,
  };
}

/** Stored settings as a bug or an old version could leave them; all but autoFillEverywhere (on) are invalid. */
export const CORRUPTED_SETTINGS: Readonly<Record<string, unknown>> = {
  autoFillSites: 'news', // not a list
  autoFillEverywhere: true, // valid: makes auto-fill run on cdn.example
  wasmThreads: 'lots',
  altPrefix: 42,
  releaseEngineAfterIdleSeconds: 'never',
  imageFetchTimeoutSeconds: { seconds: 5 },
};

/**
 * What a page's content script (any frame's, as every frame has one) may send but must be refused, as
 * protocol envelopes: `engineRun` is a well-formed engine job (for cdn.example's `?forged-run` image,
 * claiming the user asked), so only its sender can be why it is refused; `forgedRequester` claims
 * bank.example's origin and the user's consent for bank.example's `?forged-requester` private image, and
 * `claimedUser` asks for that image at the user's priority without the menu's grant; `engineIdle` is the
 * engine host's to say; `regionCapture` is the top frame's, while its tab is the one on screen.
 */
export function forbiddenContentScriptMessages(sites: TrustSites, engine: { modelHostOrigin: string; backend: string }) {
  const envelope = (to: 'background' | 'engine', name: string, payload: object) => ({ altsight: 1, to, name, payload });
  const bankImage = `${sites.bank.origin}/private/yellow-circle.webp?forged-requester`;
  return {
    engineRun: envelope('engine', 'engine.run', {
      jobId: 'forged-by-a-page',
      priority: 'user',
      job: {
        kind: 'caption',
        source: { kind: 'url', url: `${sites.cdn.origin}/images/green-triangle.png?forged-run` },
        requester: { frameOrigin: sites.cdn.origin, userAsked: true },
      },
      config: {
        modelId: TRUST_MODEL_ID,
        handwritingModelId: TRUST_MODEL_ID,
        modelHost: `${engine.modelHostOrigin}/`,
        backend: engine.backend,
        wasmThreads: 0,
        releaseAfterIdleSeconds: 300,
        deadlines: { fetchMs: 30_000, decodeMs: 15_000, modelRunMs: 120_000 },
        chatEngine: 'model',
        chatModelId: TRUST_MODEL_ID,
      },
    }),
    forgedRequester: envelope('background', 'job.request', {
      job: { kind: 'caption', source: { kind: 'url', url: bankImage }, requester: { frameOrigin: sites.bank.origin, userAsked: true } },
      priority: 'user',
      requestId: 'forged-requester',
    }),
    claimedUser: envelope('background', 'job.request', {
      job: { kind: 'caption', source: { kind: 'url', url: bankImage } },
      priority: 'user',
      requestId: 'claims-user',
    }),
    engineIdle: envelope('background', 'engine.idle', {}),
    regionCapture: envelope('background', 'region.capture', { rect: { x: 0, y: 0, width: 300, height: 200 }, viewportWidthCss: 1200 }),
  };
}
