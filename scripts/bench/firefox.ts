/**
 * Firefox rows for `npm run bench`: the same captions and text reads through the built extension in
 * Firefox ESR (its background page is the engine host), against bare ONNX Runtime on the same files in
 * the same browser, as for Chromium. Driven with puppeteer-core over WebDriver BiDi (tests/support/firefox.ts).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { launchFirefoxWithExtension } from '../../tests/support/firefox';
import { ROOT } from '../../tests/support/servers';
import { median } from './report';

const FIREFOX_BENCH_EXTENSION = join(ROOT, '.output-bench/firefox-mv3');
const RUNS = 10;
const CAPTION_IMAGES = ['red-circle.png', 'blue-square.jpg', 'green-triangle.png', 'yellow-circle.webp'];
const OCR_IMAGES = ['dark/download-toast.png', 'ui/settings-menu.png', 'code/debounce-ts.png'];

export interface FirefoxRow {
  what: string;
  ortBuild: 'asyncify' | 'jspi';
  coldMs: number;
  warmMedianMs: number;
  bareMedianMs: number;
  threads: number;
}

interface BenchPage {
  evaluate<T, A>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  waitForFunction(fn: () => boolean): Promise<unknown>;
}

const call = <T>(page: BenchPage, name: string, ...args: unknown[]) =>
  page.evaluate(
    ([n, a]) => (globalThis as unknown as { bench: Record<string, (...x: unknown[]) => unknown> }).bench[n as string]!(...(a as unknown[])) as T,
    [name, args] as const,
  );

/**
 * The background page's engine status, asked until it answers: right after the add-on is installed its
 * event page may still be starting, and a message then fails with "Receiving end does not exist" (one
 * bench run in three did).
 */
async function backgroundStatus(page: BenchPage): Promise<{ threads: number }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await call<{ threads: number }>(page, 'engineStatus');
    } catch (error) {
      if (Date.now() > deadline || !String(error).includes('Receiving end does not exist')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** `ortBuild`: which ONNX Runtime WebAssembly build the extension ships for this run (Firefox's default is asyncify). */
export async function measureFirefox(
  hosts: { model: string; site: string },
  models: { id: string; maxNewTokens: number }[],
  ortBuild: 'asyncify' | 'jspi' = 'asyncify',
): Promise<FirefoxRow[]> {
  const build = spawnSync('npx', ['wxt', 'build', '-b', 'firefox'], { stdio: 'inherit', env: { ...process.env, ALTSIGHT_BENCH: '1', ALTSIGHT_ORT_BUILD: ortBuild } });
  if (build.status !== 0) throw new Error('Firefox bench build failed');
  const ext = await launchFirefoxWithExtension({ extensionDir: FIREFOX_BENCH_EXTENSION });
  const rows: FirefoxRow[] = [];
  try {
    const { page: opened } = await ext.openExtensionPage('/bench.html');
    const page = opened as unknown as BenchPage;
    const ready = () => page.waitForFunction(() => document.title.includes('ready'));
    await ready();
    const status = await backgroundStatus(page);
    for (const model of models) {
      await ext.setSettings({ modelId: model.id, backend: 'wasm', wasmThreads: 0, modelHost: `${hosts.model}/` });
      await call(page, 'resetEngine');
      const url = (i: number, set: string) => `${hosts.site}/images/${CAPTION_IMAGES[i % CAPTION_IMAGES.length]}?firefox-${set}=${i}&m=${encodeURIComponent(model.id)}`;
      const cold = await call<{ ms: number; outcome: { ok: boolean; message?: string } }>(page, 'captionViaExtension', url(0, 'cold'));
      if (!cold.outcome.ok) throw new Error(`${model.id} in Firefox: ${cold.outcome.message}`);
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) warm.push((await call<{ ms: number }>(page, 'captionViaExtension', url(i, 'warm'))).ms);
      const threads = (await call<{ threads: number }>(page, 'engineStatus')).threads || status.threads;
      // The engine is in the background page, the reference's ORT in this page: one thread each here, so
      // (unlike Chromium) no fresh page is needed for it (BiDi can't reload an extension page anyway).
      await call(page, 'resetEngine');
      const urls = Array.from({ length: RUNS }, (_, i) => url(i, 'warm'));
      const bare = await call<number[]>(page, 'bare', `${hosts.model}/${model.id}/resolve/main/`, 'wasm', threads, urls, model.maxNewTokens);
      rows.push({ what: `caption, ${model.id}`, ortBuild, coldMs: cold.ms, warmMedianMs: median(warm), bareMedianMs: median(bare), threads });
    }
    // Text reads: the extension's path against the same pipeline run in the page (no queue, messaging or host).
    await call(page, 'resetEngine');
    const ocrUrl = (i: number, set: string) => `${hosts.site}/ocr-fixtures/${OCR_IMAGES[i % OCR_IMAGES.length]}?firefox-${set}=${i}`;
    const cold = await call<{ ms: number; outcome: { ok: boolean; message?: string } }>(page, 'readTextViaExtension', ocrUrl(0, 'cold'));
    if (!cold.outcome.ok) throw new Error(`text read in Firefox: ${cold.outcome.message}`);
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) warm.push((await call<{ ms: number }>(page, 'readTextViaExtension', ocrUrl(i, 'warm'))).ms);
    const threads = (await call<{ threads: number }>(page, 'engineStatus')).threads || 1;
    await call(page, 'resetEngine');
    const stages = await call<{ totalMs: number }[]>(page, 'ocrStages', threads, Array.from({ length: RUNS }, (_, i) => ocrUrl(i, 'warm')));
    rows.push({ what: 'text read (PP-OCRv4)', ortBuild, coldMs: cold.ms, warmMedianMs: median(warm), bareMedianMs: median(stages.map((s) => s.totalMs)), threads });
  } finally {
    await ext.close();
  }
  return rows;
}
