/**
 * Launches Firefox ESR with the built Firefox extension (`npm run build:test:firefox`), driven by
 * puppeteer-core over WebDriver BiDi, the way tests/support/browser.ts launches Chromium.
 *
 * What differs from Chromium, and how this file gets round it:
 * - BiDi refuses `page.goto('moz-extension://…')`. The extension opens its welcome page (onboarding.html)
 *   in a tab on install; that tab is our handle on the extension: it has the `browser.*` APIs, and
 *   `browser.runtime.getBackgroundPage()` gives the background page's window (the engine host, and the
 *   test build's `altsight.onMenuClicked` hook). Other extension pages (the popup) are opened from there
 *   with `browser.tabs.create` and found among `browser.pages()` by their `location.href` (puppeteer's
 *   `page.url()` stays "about:blank" for them).
 * - BiDi's network events cover tabs and frames only: the background page's requests (the engine's model
 *   downloads and image fetches) never appear there. So the network guard is an HTTP proxy that Firefox
 *   must send everything through (loopback included): it records every request any context makes. BiDi's
 *   session-wide `network.beforeRequestSent` then tells which of them a tab made; the rest came from the
 *   extension's own documents (Firefox's own background traffic is switched off by prefs below, and would
 *   show up in the guard if it weren't).
 * - MV3 host permissions: Firefox ESR 153 grants `<all_urls>` to a temporary install because
 *   `extensions.originControls.grantByDefault` is true by default; it is set here explicitly, so the
 *   tests don't depend on that default (with it false, `permissions.contains({ origins: ['<all_urls>'] })`
 *   is false and no content script runs).
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Browser as WebExtensionApi } from 'webextension-polyfill';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuardedRequest } from './network-guard';
import { waitFor } from '../e2e/extension';
import { ROOT, startModelHost, startTrustSites, trustSettings, type ModelHost, type TrustSites } from './servers';

/**
 * The `browser.*` global of an extension page, where the functions passed to `evaluate` run. Always
 * reached as `globalThis.browser`: a bare `browser` would be rewritten by WXT's auto-imports in vitest.
 */
type ExtensionGlobal = { browser: WebExtensionApi };

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = join(ROOT, process.env.ALTSIGHT_FIREFOX_EXTENSION_DIR ?? '.output-test/firefox-mv3');

export type ImageMenuItem = 'altsight-caption-image' | 'altsight-read-image-text' | 'altsight-ask-about-image';

export interface FirefoxGuardedRequest extends GuardedRequest {
  method: string;
  /** Headers as the proxy received them (for a failing test's message). */
  headers: IncomingMessage['headers'];
  at: number;
}

export interface FirefoxNetworkGuard {
  /**
   * Every request Firefox made, in arrival order, attributed: a tab's (BiDi saw it: "page <context>
   * <document URL>") or the extension's ("extension moz-extension://…": no tab made it). Computed when read.
   */
  readonly requests: FirefoxGuardedRequest[];
  /** Requests that reached the proxy but aren't http(s) to loopback: refused, never forwarded. */
  readonly refused: string[];
  close(): Promise<void>;
}

export interface FirefoxExtensionBrowser {
  browser: Browser;
  /** An extension page (the welcome tab the install opened): `browser.*` APIs, the background page's window. */
  extensionPage: Page;
  /** moz-extension://<uuid> */
  extensionOrigin: string;
  guard: FirefoxNetworkGuard;
  setSettings(values: Record<string, unknown>): Promise<void>;
  /** A new tab at `url`. */
  /** `domcontentloaded` for pages whose load event never comes (an image that trickles forever). */
  openPage(url: string, waitUntil?: 'load' | 'domcontentloaded'): Promise<Page>;
  /** The tab id of the tab showing exactly `url`. */
  tabIdOf(url: string): Promise<number>;
  /** Opens an extension page (e.g. "/popup.html?tab=3") in a new tab, as a user would reach it. */
  openExtensionPage(path: string): Promise<{ page: Page; tabId: number }>;
  /** What a click on one of our image context-menu items does (the test build's background hook). */
  clickImageMenuItem(item: ImageMenuItem, srcUrl: string, tabId: number, frameId?: number): Promise<void>;
  /** Sends one of our protocol's messages to the background from the extension page; the reply (`{ ok, value }`). */
  message<T = unknown>(name: string, payload: object): Promise<{ ok: boolean; value: T }>;
  /** Runs `func` in the extension's content-script world of a tab's frame (browser.scripting), returns its value. */
  inContentScript<T, A extends unknown[]>(tabId: number, func: (...args: A) => T | Promise<T>, args: A, frameId?: number): Promise<T>;
  /**
   * Evaluates `expression` (awaited, its value returned through JSON) in the browser window's chrome document, where
   * `gBrowser`, `PopupNotifications` and `WebExtensionPolicy` live. Needs `browserChrome: true`.
   */
  inBrowserChrome<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

/** Prefs that keep Firefox's own traffic off the network, so what the guard records is ours alone. */
const QUIET_PREFS: Record<string, unknown> = {
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'network.connectivity-service.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.newtabpage.enabled': false,
  'browser.topsites.contile.enabled': false,
  'browser.newtabpage.activity-stream.feeds.topsites': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.search.update': false,
  'app.normandy.enabled': false,
  'app.update.auto': false,
  'app.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false,
  'browser.ping-centre.telemetry': false,
  'network.trr.mode': 5,
  'identity.fxaccounts.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'browser.aboutwelcome.enabled': false,
};

export interface FirefoxLaunchOptions {
  extensionDir?: string;
  prefs?: Record<string, string | number | boolean>;
  /**
   * Lets `inBrowserChrome` reach Firefox's own UI (the toolbar button, the permission doorhanger) through
   * BiDi's chrome scope: Firefox's `--remote-allow-system-access`, which only its remote agent can use.
   */
  browserChrome?: boolean;
}

export async function launchFirefoxWithExtension(options: FirefoxLaunchOptions = {}): Promise<FirefoxExtensionBrowser> {
  const extensionDir = options.extensionDir ?? FIREFOX_EXTENSION_DIR;
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox not found at ${FIREFOX}: run "apt-get install -y firefox-esr" (or set FIREFOX_PATH).`);
  }
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run "npm run build:test:firefox" first.`);
  }
  const proxy = await startRecordingProxy();
  const userDataDir = mkdtempSync(join(tmpdir(), 'altsight-e2e-firefox-'));
  let ff: Browser;
  try {
    ff = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      userDataDir,
      // Release builds honour services.settings.server only with this set (remote settings would otherwise
      // poll firefox.settings.services.mozilla.com).
      env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
      defaultViewport: { width: 1200, height: 900 },
      args: options.browserChrome ? ['--remote-allow-system-access'] : [],
      extraPrefsFirefox: {
        ...QUIET_PREFS,
        // MV3 host permissions granted at install (see the comment at the top).
        'extensions.originControls.grantByDefault': true,
        // Everything through the recording proxy, loopback included.
        'network.proxy.type': 1,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxy.port,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxy.port,
        'network.proxy.share_proxy_settings': true,
        'network.proxy.no_proxies_on': '',
        'network.proxy.allow_hijacking_localhost': true,
        'network.proxy.failover_direct': false,
        // The welcome page is opened in a background tab by some versions; no pop-up blocking in tests.
        'dom.disable_open_during_load': false,
        ...options.prefs,
      },
    });
  } catch (err) {
    await proxy.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }

  // Session-wide BiDi subscription: every tab's and frame's requests, with the context that made them.
  const connection = (ff as unknown as { connection: BidiConnection }).connection;
  const pageRequests: { url: string; method: string; context: string }[] = [];
  const contextUrls = new Map<string, string>();
  connection.on('network.beforeRequestSent', (e: BidiBeforeRequestSent) => {
    pageRequests.push({ url: e.request.url, method: e.request.method, context: e.context ?? '?' });
  });
  connection.on('browsingContext.navigationStarted', (e: { context: string; url: string }) => contextUrls.set(e.context, e.url));
  connection.on('browsingContext.contextCreated', (e: { context: string; url: string }) => contextUrls.set(e.context, e.url));
  await connection.send('session.subscribe', {
    events: ['network.beforeRequestSent', 'browsingContext.navigationStarted', 'browsingContext.contextCreated'],
  });

  let extensionPage: Page | undefined;
  let extensionOrigin = '';
  try {
    await ff.installExtension(extensionDir);
    // The install opens the welcome page in a new tab (entrypoints/background/onboarding.ts).
    const found = await findPage(ff, (href) => href.startsWith('moz-extension://') && new URL(href).pathname === '/onboarding.html', 30_000);
    extensionPage = found.page;
    // (Node's URL gives moz-extension: URLs the origin "null": not a special scheme.)
    extensionOrigin = `moz-extension://${new URL(found.href).host}`;
  } catch (err) {
    await ff.close().catch(() => undefined);
    await proxy.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const ext = extensionPage;
  const origin = extensionOrigin;

  const guard: FirefoxNetworkGuard = {
    get requests() {
      // A proxied request a tab made has a BiDi event with the same method and URL; each event pairs once.
      const unused = [...pageRequests];
      return proxy.log.map((r) => {
        const at = unused.findIndex((p) => p.url === r.url && p.method === r.method);
        const pageRequest = at >= 0 ? unused.splice(at, 1)[0]! : null;
        const documentUrl = pageRequest ? (contextUrls.get(pageRequest.context) ?? '') : '';
        const fromExtensionTab = documentUrl.startsWith('moz-extension://');
        const context = pageRequest ? `page ${pageRequest.context} ${documentUrl}` : `extension ${origin} (no tab made it)`;
        return { ...r, context, fromExtension: !pageRequest || fromExtensionTab };
      });
    },
    get refused() {
      return proxy.refused;
    },
    close: () => proxy.close(),
  };

  return {
    browser: ff,
    extensionPage: ext,
    extensionOrigin: origin,
    guard,
    async setSettings(values) {
      await ext.evaluate((v) => (globalThis as unknown as ExtensionGlobal).browser.storage.local.set(v), values);
    },
    async openPage(url, waitUntil = 'load') {
      const page = await ff.newPage();
      await page.goto(url, { waitUntil });
      return page;
    },
    async tabIdOf(url) {
      return ext.evaluate(async (u) => {
        const tab = (await (globalThis as unknown as ExtensionGlobal).browser.tabs.query({})).find((t) => t.url === u);
        if (tab?.id === undefined) throw new Error(`no tab for ${u}`);
        return tab.id;
      }, url);
    },
    async openExtensionPage(path) {
      const before = new Set(await ff.pages());
      const tabId = await ext.evaluate(async (p) => {
        const api = (globalThis as unknown as ExtensionGlobal).browser;
        return (await api.tabs.create({ url: api.runtime.getURL(p), active: true })).id!;
      }, path);
      const want = `${origin}${path}`;
      const found = await findPage(ff, (href) => href === want, 30_000, (p) => !before.has(p));
      await found.page.waitForFunction(() => document.readyState === 'complete');
      return { page: found.page, tabId };
    },
    async clickImageMenuItem(item, srcUrl, tabId, frameId = 0) {
      await ext.evaluate(
        async (menuItemId, src, tab, frame) => {
          const bg = (await (globalThis as unknown as ExtensionGlobal).browser.runtime.getBackgroundPage()) as unknown as {
            altsight?: { onMenuClicked: (i: object, t: object) => Promise<void> };
          } | null;
          if (!bg?.altsight) throw new Error('no background page, or not a test build (no altsight.onMenuClicked)');
          await bg.altsight.onMenuClicked({ menuItemId, srcUrl: src, frameId: frame }, { id: tab });
        },
        item,
        srcUrl,
        tabId,
        frameId,
      );
    },
    async message(name, payload) {
      return ext.evaluate(
        (n, p) => (globalThis as unknown as ExtensionGlobal).browser.runtime.sendMessage({ altsight: 1, to: 'background', name: n, payload: p }),
        name,
        payload,
      ) as Promise<never>;
    },
    async inContentScript<T, A extends unknown[]>(tabId: number, func: (...args: A) => T | Promise<T>, args: A, frameId = 0): Promise<T> {
      // The function's source becomes a real function in the extension page (BiDi evaluates it there, past
      // the page's CSP); executeScript then runs it in the extension's content-script world of that frame.
      const expression = `(async () => {
        const results = await globalThis.browser.scripting.executeScript({
          target: { tabId: ${JSON.stringify(tabId)}, frameIds: [${JSON.stringify(frameId)}] },
          func: ${func.toString()},
          args: ${JSON.stringify(args)},
        });
        const first = results[0];
        if (!first) throw new Error('executeScript returned nothing');
        if (first.error) throw new Error('content script threw: ' + String(first.error));
        return first.result;
      })()`;
      return (await ext.evaluate(expression)) as T;
    },
    async inBrowserChrome<T>(expression: string): Promise<T> {
      if (!options.browserChrome) throw new Error('inBrowserChrome needs launchFirefoxWithExtension({ browserChrome: true })');
      const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 })) as {
        result: { contexts: { context: string; url: string }[] };
      };
      const window = tree.result.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
      if (!window) throw new Error(`no browser window among the chrome contexts: ${JSON.stringify(tree.result.contexts)}`);
      // Through JSON, so objects come back as values rather than BiDi's remote-value form.
      const wrapped = `(async () => JSON.stringify(await (${expression})) ?? 'null')()`;
      const reply = (await connection.send('script.evaluate', { expression: wrapped, target: { context: window.context }, awaitPromise: true })) as {
        result: { type: string; result?: { value?: unknown }; exceptionDetails?: { text: string } };
      };
      if (reply.result.type !== 'success') throw new Error(`in the browser chrome: ${reply.result.exceptionDetails?.text ?? JSON.stringify(reply.result)}`);
      return JSON.parse(String(reply.result.result?.value)) as T;
    },
    async close() {
      await ff.close().catch(() => undefined);
      await proxy.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The first page (tab) whose document location satisfies `match`; polls, since BiDi reports moz-extension tabs as about:blank. */
async function findPage(
  browser: Browser,
  match: (href: string) => boolean,
  timeoutMs: number,
  candidate: (p: Page) => boolean = () => true,
): Promise<{ page: Page; href: string }> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  for (;;) {
    for (const page of await browser.pages()) {
      if (!candidate(page)) continue;
      const href = await Promise.race([
        page.evaluate(() => location.href).catch(() => ''),
        new Promise<string>((r) => setTimeout(() => r(''), 2000)),
      ]);
      seen.add(href);
      if (href && match(href)) return { page, href };
    }
    if (Date.now() > deadline) throw new Error(`no tab matched; tabs seen: ${[...seen].join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface BidiConnection {
  send(method: string, params: object): Promise<unknown>;
  on(event: string, handler: (e: any) => void): void;
}

interface BidiBeforeRequestSent {
  context: string | null;
  request: { url: string; method: string };
}

interface RecordingProxy {
  port: number;
  log: Omit<FirefoxGuardedRequest, 'context' | 'fromExtension'>[];
  refused: string[];
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/**
 * news.example, bank.example, cdn.example: the trust suite's sites (tests/support/servers.ts), on loopback
 * under public-looking names, as Chromium's --host-resolver-rules gives them; here the proxy maps them.
 */
const isTrustSiteName = (host: string) => /^[a-z]+\.example$/.test(host);

/**
 * A forward proxy on loopback that logs every request and forwards only plain http to loopback servers
 * (the test sites, the trust suite's *.example names, and the model host); anything else (https CONNECT,
 * other hosts) is logged and refused.
 */
async function startRecordingProxy(): Promise<RecordingProxy> {
  const log: RecordingProxy['log'] = [];
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const raw = req.url ?? '';
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      refused.push(`${req.method} ${raw}`);
      return void res.writeHead(400).end();
    }
    log.push({ url: url.href, method: req.method ?? 'GET', headers: req.headers, at: Date.now() });
    if (url.protocol !== 'http:' || !(LOOPBACK.has(url.hostname) || isTrustSiteName(url.hostname))) {
      refused.push(`${req.method} ${url.href}`);
      return void res.writeHead(502, { 'content-type': 'text/plain' }).end('refused by the test proxy');
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      { host: '127.0.0.1', port: Number(url.port || 80), path: `${url.pathname}${url.search}`, method: req.method, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream unreachable');
      else res.destroy();
    });
    // Firefox hanging up (an aborted fetch) hangs up on the server too, as it would without the proxy.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket) => {
    // https (or a websocket tunnel): nothing here needs it; logged as a request so the guard sees it.
    const target = req.url ?? '';
    log.push({ url: `https://${target}/`, method: 'CONNECT', headers: req.headers, at: Date.now() });
    refused.push(`CONNECT ${target}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    log,
    refused,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** The same polling the Chromium suite uses. */
export { waitFor } from '../e2e/extension';

export interface FirefoxOnTrustSites {
  ext: FirefoxExtensionBrowser;
  modelHost: ModelHost;
  sites: TrustSites;
  /** What the extension was given (trustSettings), for a test that changes them to put back. */
  settings: Record<string, unknown>;
  /** Closes Firefox, the model host and the sites. */
  close(): Promise<void>;
}

/**
 * Firefox with the extension on the trust suites' sites (startTrustSites: the recording proxy maps their
 * names) and settings (trustSettings, WASM), the reader signed in to all three sites. Throws when
 * bank.example doesn't serve its private image to the signed-in reader: its cookie is what tests rely on.
 */
export async function launchFirefoxOnTrustSites(fetchTimeoutS: number): Promise<FirefoxOnTrustSites> {
  const [modelHost, sites] = await Promise.all([startModelHost(), startTrustSites()]);
  let ext: FirefoxExtensionBrowser | undefined;
  const close = async () => {
    await ext?.close();
    await Promise.all([modelHost.close(), sites.close()]);
  };
  try {
    ext = await launchFirefoxWithExtension();
    const settings = trustSettings(modelHost.origin, 'wasm', fetchTimeoutS);
    await ext.setSettings(settings);
    const page = await ext.openPage(`${sites.news.origin}/login`);
    for (const site of [sites.bank, sites.cdn]) await page.goto(`${site.origin}/login`);
    const own = await page.goto(`${sites.bank.origin}/private/yellow-circle.webp?precheck`);
    if (own?.status() !== 200) throw new Error(`bank.example answered ${own?.status()} for its private image to a signed-in reader`);
    await page.close();
    return { ext, modelHost, sites, settings, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Reads `read` every `gapMs` until two readings in a row agree (late work has landed: a counter stopped
 * moving), and returns that reading; fails after `timeoutMs`.
 */
export async function waitForSteady<T>(what: string, read: () => Promise<T>, gapMs: number, timeoutMs: number): Promise<T> {
  let last = await read();
  await waitFor(what, async () => {
    await new Promise((r) => setTimeout(r, gapMs));
    const now = await read();
    const steady = now === last;
    last = now;
    return steady;
  }, timeoutMs);
  return last;
}
