/** Launches Debian's Chromium with the built extension, the way a user would have it installed. */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startNetworkGuard, type NetworkGuard } from './network-guard';
import { ROOT } from './servers';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = join(ROOT, process.env.ALTSIGHT_EXTENSION_DIR ?? '.output-test/chrome-mv3');

export type E2eBackend = 'wasm' | 'webgpu';

export interface ExtensionBrowser {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  guard: NetworkGuard;
  close(): Promise<void>;
}

export async function launchWithExtension(options: {
  backend: E2eBackend;
  extensionDir?: string;
  /**
   * A screen of this many device pixels per CSS pixel, set in Chromium itself (not emulated by Playwright,
   * which captureVisibleTab would not see).
   */
  deviceScaleFactor?: number;
  /**
   * Chromium's --host-resolver-rules, e.g. "MAP news.example 127.0.0.1, MAP bank.example 127.0.0.1": pages
   * on loopback servers get public-looking names (see trustHostResolverRules in servers.ts).
   */
  hostResolverRules?: string;
  /** Chromium's UI language (e.g. "de"): extension messages, navigator.language and Accept-Language follow it. */
  language?: string;
  /**
   * Attach the network guard (default true). Benchmarks turn it off: DevTools' network instrumentation on
   * every target costs each request several milliseconds (a caption of the tiny fixture 22.0 against 17.1
   * ms median), which users don't pay.
   */
  networkGuard?: boolean;
}): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run "apt-get install -y chromium" (or set CHROMIUM_PATH).`);
  }
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run "npm run build:test" first.`);
  }
  const debuggingPort = await freePort();
  const userDataDir = mkdtempSync(join(tmpdir(), 'altsight-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    args: [
      `--load-extension=${extensionDir}`,
      `--disable-extensions-except=${extensionDir}`,
      ...quietHeadlessArgs(debuggingPort),
      ...backendArgs(options.backend),
      ...(options.hostResolverRules ? [`--host-resolver-rules=${options.hostResolverRules}`] : []),
      ...(options.deviceScaleFactor ? [`--force-device-scale-factor=${options.deviceScaleFactor}`, '--window-size=1200,900'] : []),
      ...(options.language ? [`--lang=${options.language}`] : []),
    ],
    ...(options.language ? { env: { ...process.env, LANGUAGE: options.language }, locale: options.language } : {}),
    viewport: options.deviceScaleFactor ? null : { width: 1200, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const guard = options.networkGuard === false ? unguarded() : await startNetworkGuard(debuggingPort);
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context,
    serviceWorker,
    extensionId,
    guard,
    async close() {
      guard.close();
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Stands in for the guard where it is off: reading what it saw fails, so no check passes on nothing. */
function unguarded(): NetworkGuard {
  return {
    get requests(): never {
      throw new Error('The network guard is off for this browser (launchWithExtension({ networkGuard: false })).');
    },
    close() {},
  };
}

/**
 * Runs `expression` inside the extension's content script — its isolated world, named after the extension —
 * of one frame of `page`, through DevTools, and returns its value (promises awaited). `frame` picks the
 * frame by URL (default: the top frame); it must be in the page's process (same-site frames are).
 */
export async function evaluateInContentScript<T = unknown>(
  context: BrowserContext,
  page: Page,
  expression: string,
  options: { frame?: (url: string) => boolean; worldName?: string } = {},
): Promise<T> {
  const worldName = options.worldName ?? 'AltSight';
  const cdp = await context.newCDPSession(page);
  try {
    const contexts: { id: number; name: string; auxData?: { type?: string; frameId?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', (e: { context: (typeof contexts)[number] }) => contexts.push(e.context));
    await cdp.send('Runtime.enable'); // replays every live context first
    const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: FrameTree };
    const frames: { id: string; url: string }[] = [];
    const walk = (t: FrameTree, top: boolean) => {
      frames.push({ id: t.frame.id, url: top ? '' : t.frame.url });
      for (const c of t.childFrames ?? []) walk(c, false);
    };
    walk(frameTree, true);
    const frameId = options.frame
      ? frames.slice(1).find((f) => options.frame!(f.url))?.id
      : frameTree.frame.id;
    if (!frameId) throw new Error(`no frame matched in ${page.url()}: ${frames.map((f) => f.url).join(', ')}`);
    const deadline = Date.now() + 10_000;
    let world: (typeof contexts)[number] | undefined;
    while (!(world = contexts.find((c) => c.auxData?.type === 'isolated' && c.name === worldName && c.auxData.frameId === frameId))) {
      if (Date.now() > deadline) {
        throw new Error(`no "${worldName}" content script world in that frame; worlds: ${contexts.map((c) => `${c.name}/${c.auxData?.type}`).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = (await cdp.send('Runtime.evaluate', {
      contextId: world.id,
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (result.exceptionDetails) {
      throw new Error(`content script threw: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    }
    return result.result.value as T;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

interface FrameTree {
  frame: { id: string; url: string };
  childFrames?: FrameTree[];
}

/**
 * Headless Chromium as every e2e launch needs it here: no sandbox (root), none of Chromium's own
 * background traffic (this machine's network is closed, and the guard must see only ours), and the
 * DevTools port the network guard attaches to.
 */
export function quietHeadlessArgs(debuggingPort: number): string[] {
  return [
    '--headless=new',
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-default-apps',
    `--remote-debugging-port=${debuggingPort}`,
  ];
}

/** WebGPU on the CPU (SwiftShader) for the WebGPU runs; nothing extra for WASM. */
export function backendArgs(backend: E2eBackend): string[] {
  return backend === 'webgpu' ? ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'] : [];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}
