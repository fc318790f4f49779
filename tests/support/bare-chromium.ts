/**
 * Chromium with the extension and no DevTools session on its service worker. Playwright attaches to
 * every service worker it sees, and Chromium never stops a worker under inspection, so its launches
 * can't show what users get: a worker stopped 30 s after its last extension event or API call. Here
 * Chromium is started directly and spoken to over the DevTools protocol one page at a time; listing
 * targets attaches to none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { backendArgs, CHROMIUM, EXTENSION_DIR, freePort, quietHeadlessArgs, type E2eBackend } from './browser';

interface TargetInfo {
  id: string;
  type: string;
  url: string;
  webSocketDebuggerUrl?: string;
}

export interface BarePage {
  url: string;
  /** Evaluates `expression` in the page's main world; promises are awaited, the value comes back as JSON. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** The same in our content script's isolated world of the top frame. */
  evaluateInContentScript<T = unknown>(expression: string): Promise<T>;
  close(): Promise<void>;
}

export interface BareExtensionBrowser {
  extensionId: string;
  /** Opens `url` in a new tab. */
  openPage(url: string): Promise<BarePage>;
  /** URLs of the extension's open pages (tabs), its offscreen document aside. */
  extensionPages(): Promise<string[]>;
  /** Closes every tab showing one of the extension's pages. */
  closeExtensionPages(): Promise<void>;
  /** Ids of the extension's running service workers: a stopped and restarted worker has a new one. */
  serviceWorkerIds(): Promise<string[]>;
  close(): Promise<void>;
}

export async function launchBareChromium(backend: E2eBackend, extensionDir = EXTENSION_DIR): Promise<BareExtensionBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run "apt-get install -y chromium" (or set CHROMIUM_PATH).`);
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`No built extension in ${extensionDir}: run "npm run build:test" first.`);
  const port = await freePort();
  const userDataDir = mkdtempSync(join(tmpdir(), 'altsight-bare-'));
  const chromium: ChildProcess = spawn(
    CHROMIUM,
    [`--user-data-dir=${userDataDir}`, `--load-extension=${extensionDir}`, `--disable-extensions-except=${extensionDir}`, ...quietHeadlessArgs(port), ...backendArgs(backend), 'about:blank'],
    { stdio: 'ignore', detached: true },
  );
  // Its own process group: closing takes the renderers and the GPU process with it.
  const kill = () => {
    try {
      process.kill(-chromium.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const base = `http://127.0.0.1:${port}`;
  const targets = async (): Promise<TargetInfo[]> => (await fetch(`${base}/json/list`)).json() as Promise<TargetInfo[]>;

  const deadline = Date.now() + 30_000;
  let worker: TargetInfo | undefined;
  while (!worker) {
    worker = await targets()
      .then((list) => list.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://')))
      .catch(() => undefined);
    if (worker) break;
    if (Date.now() > deadline || chromium.exitCode !== null) {
      kill();
      throw new Error('Chromium started no extension service worker within 30 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const extensionId = new URL(worker.url).host;

  const extensionTabs = async () => (await targets()).filter((t) => t.type === 'page' && t.url.startsWith(`chrome-extension://${extensionId}/`));

  async function openPage(url: string): Promise<BarePage> {
    const target = (await (await fetch(`${base}/json/new?${url}`, { method: 'PUT' })).json()) as TargetInfo;
    const socket = new WebSocket(target.webSocketDebuggerUrl!);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    let nextId = 0;
    const pending = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
    /** Execution contexts by name, as DevTools announces them once Runtime is enabled. */
    const contexts: { id: number; name: string; auxData?: { type?: string; frameId?: string } }[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.method === 'Runtime.executionContextCreated') contexts.push(message.params.context);
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    });
    const call = (method: string, params: unknown) =>
      new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => {
        const id = ++nextId;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      });
    async function evaluate<T>(expression: string, contextId?: number): Promise<T> {
      const reply = await call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, ...(contextId === undefined ? {} : { contextId }) });
      const result = reply.result as { result?: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } } | undefined;
      if (reply.error) throw new Error(reply.error.message);
      if (result?.exceptionDetails) throw new Error(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text);
      return result?.result?.value as T;
    }
    await call('Page.bringToFront', {});
    // A new tab shows about:blank before the page: wait until the page itself has loaded.
    const loadDeadline = Date.now() + 30_000;
    // Between the two there is a moment with no context to evaluate in.
    const readyState = () => evaluate<string>(`location.href === ${JSON.stringify(url)} ? document.readyState : 'not yet'`).catch(() => 'no context');
    while ((await readyState()) !== 'complete') {
      if (Date.now() > loadDeadline) throw new Error(`${url} did not load within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      url,
      evaluate: (expression) => evaluate(expression),
      async evaluateInContentScript(expression) {
        // Announces every live context first. A page target's id is its top frame's.
        if (!contexts.length) await call('Runtime.enable', {});
        const deadline = Date.now() + 10_000;
        let world: (typeof contexts)[number] | undefined;
        while (!(world = contexts.findLast((c) => c.auxData?.type === 'isolated' && c.name === 'AltSight' && c.auxData.frameId === target.id))) {
          if (Date.now() > deadline) throw new Error(`no AltSight content script in ${url}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        return evaluate(expression, world.id);
      },
      async close() {
        socket.close();
        await fetch(`${base}/json/close/${target.id}`);
      },
    };
  }

  return {
    extensionId,
    openPage,
    extensionPages: async () => (await extensionTabs()).map((t) => t.url),
    async closeExtensionPages() {
      for (const tab of await extensionTabs()) await fetch(`${base}/json/close/${tab.id}`);
    },
    serviceWorkerIds: async () => (await targets()).filter((t) => t.type === 'service_worker' && t.url.includes(extensionId)).map((t) => t.id),
    async close() {
      const exited = new Promise((r) => (chromium.exitCode !== null || chromium.signalCode !== null ? r(undefined) : chromium.once('exit', r)));
      kill();
      await exited;
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}
