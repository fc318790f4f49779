/** Launches Debian's Chromium with the built extension, the way a user would have it installed. */
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startNetworkGuard, type NetworkGuard } from './network-guard';
import { ROOT } from './servers';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = join(ROOT, '.output/chrome-mv3');

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
}): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run "apt-get install -y chromium" (or set CHROMIUM_PATH).`);
  }
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run "npm run build" first.`);
  }
  const debuggingPort = await freePort();
  const userDataDir = mkdtempSync(join(tmpdir(), 'altsight-e2e-'));
  const webgpu =
    options.backend === 'webgpu'
      ? ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan']
      : [];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    args: [
      '--headless=new',
      `--load-extension=${extensionDir}`,
      `--disable-extensions-except=${extensionDir}`,
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-default-apps',
      `--remote-debugging-port=${debuggingPort}`, // for the network guard's browser-level session
      ...webgpu,
      ...(options.deviceScaleFactor ? [`--force-device-scale-factor=${options.deviceScaleFactor}`, '--window-size=1200,900'] : []),
    ],
    viewport: options.deviceScaleFactor ? null : { width: 1200, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const guard = await startNetworkGuard(debuggingPort);
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}
