/**
 * The content script's cost on the page's main thread, read from a Chromium trace: every task on the
 * page's renderer main thread, and which of them ran AltSight's code (script URL chrome-extension://…).
 */
import type { CDPSession } from 'playwright-core';
import type { ExtensionBrowser } from '../../tests/support/browser';

export interface MainThreadReport {
  windowMs: number;
  longestTaskMs: number;
  longestExtensionTaskMs: number;
  extensionLongTasks: number;
  extensionScriptMs: number;
  totalTaskMs: number;
  captioned: number;
}

const WINDOW_MS = 15_000;
const LONG_TASK_MS = 50;

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: { url?: string; frame?: string }; beginData?: { url?: string } };
}

export async function measureMainThread(
  ext: ExtensionBrowser,
  _benchPage: unknown,
  hosts: { model: string; site: string },
  modelId: string,
): Promise<{ off: MainThreadReport; on: MainThreadReport }> {
  const settings = { modelId, backend: 'wasm', wasmThreads: 0, modelHost: `${hosts.model}/`, autoFillEverywhere: false };
  await ext.serviceWorker.evaluate((v) => chrome.storage.local.set(v), { ...settings, autoFillSites: [] });
  const off = await traceOnePage(ext, `${hosts.site}/generated/many-images.html?count=2000&run=off`);
  await ext.serviceWorker.evaluate((v) => chrome.storage.local.set(v), { ...settings, autoFillSites: [new URL(hosts.site).hostname] });
  const on = await traceOnePage(ext, `${hosts.site}/generated/many-images.html?count=2000&run=on`);
  return { off, on };
}

async function traceOnePage(ext: ExtensionBrowser, url: string): Promise<MainThreadReport> {
  const page = await ext.context.newPage();
  const cdp = await ext.context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    traceConfig: {
      recordMode: 'recordAsMuchAsPossible',
      includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute'],
    },
  });
  await page.goto(url);
  await page.waitForTimeout(WINDOW_MS);
  const captioned = await page.evaluate(() => document.querySelectorAll('[data-altsight="generated"]').length);
  await stopTracing(cdp);
  await page.close();
  return summarise(events, url, ext.extensionId, captioned);
}

async function stopTracing(cdp: CDPSession): Promise<void> {
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
}

function summarise(events: TraceEvent[], pageUrl: string, extensionId: string, captioned: number): MainThreadReport {
  // The page's main thread is where its HTML was parsed.
  const parse = events.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url === pageUrl);
  if (!parse) throw new Error('trace has no ParseHTML for the page');
  const onMain = (e: TraceEvent) => e.pid === parse.pid && e.tid === parse.tid && e.ph === 'X' && e.dur !== undefined;
  const tasks = events.filter((e) => onMain(e) && e.name === 'RunTask');
  const extensionPrefix = `chrome-extension://${extensionId}/`;
  const ours = events
    .filter((e) => onMain(e) && ['FunctionCall', 'EvaluateScript', 'v8.run'].includes(e.name) && (e.args?.data?.url ?? '').startsWith(extensionPrefix))
    .sort((a, b) => a.ts - b.ts);
  // Nested calls of our own code count once.
  let scriptUs = 0;
  let coveredUntil = -1;
  for (const e of ours) {
    const end = e.ts + e.dur!;
    if (e.ts >= coveredUntil) scriptUs += e.dur!;
    else if (end > coveredUntil) scriptUs += end - coveredUntil;
    coveredUntil = Math.max(coveredUntil, end);
  }
  const ranOurCode = (t: TraceEvent) => ours.some((e) => e.ts >= t.ts && e.ts < t.ts + t.dur!);
  const ourTasks = tasks.filter(ranOurCode);
  const ms = (us: number) => us / 1000;
  return {
    windowMs: WINDOW_MS,
    longestTaskMs: ms(Math.max(0, ...tasks.map((t) => t.dur!))),
    longestExtensionTaskMs: ms(Math.max(0, ...ourTasks.map((t) => t.dur!))),
    extensionLongTasks: ourTasks.filter((t) => ms(t.dur!) > LONG_TASK_MS).length,
    extensionScriptMs: ms(scriptUs),
    totalTaskMs: ms(tasks.reduce((s, t) => s + t.dur!, 0)),
    captioned,
  };
}
