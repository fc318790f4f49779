/**
 * `npm run bench:ocr`: our OCR (PaddleOCR PP-OCRv4 in the built extension's engine host, Chromium)
 * against native Tesseract 5 on the same images, in the same run: CER per category, median and p90
 * time per image, peak memory, and ours/Tesseract ratios. Prints and writes docs/benchmarks.md.
 *
 * Also the real-world set outside the repository (`../shared/ocr-real`, or ALTSIGHT_OCR_REAL_DIR; skipped
 * with a message when absent; see real-world.ts): CER as its score.sh scores it, against single-threaded
 * Tesseract, and peak memory on its largest page in a fresh browser. ALTSIGHT_OCR_REAL_PRED_DIR=DIR keeps
 * both engines' predictions there. For quick iteration without a browser: `npm run bench:ocr:real`; on
 * memory alone: `npm run bench:ocr -- --memory`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, type E2eBackend, type ExtensionBrowser } from '../../tests/support/browser';
import { cerByCategory, meanCer } from '../../tests/support/cer';
import { OCR_FIXTURES_DIR, OCR_SYMBOLS_DIR, OCR_VALIDATION_DIR, ROOT, startSite } from '../../tests/support/servers';
import { fmt, machineDescription, median, percentile, writeBenchmarkSection } from './report';
import type { OcrStageTimes } from './ocr-stages';
import { ensureTesseract, runTesseract } from './tesseract';
import {
  listRealWorld,
  missingRealWorldMessage,
  realCategoryRows,
  realWorldDir,
  scoreReal,
  serveRealWorld,
  tesseractLangFor,
  REAL_DIR_ENV,
  type RealImage,
  type RealScore,
} from './real-world';

interface Entry {
  file: string;
  category: string;
  text: string;
  /** Which set the image is from, and the site path its files are served under. */
  set: 'test' | 'validation' | 'symbols';
  urlPath: string;
}
interface Read {
  entry: Entry;
  text: string;
  ms: number;
}

interface OurRun {
  reads: Read[];
  peakMemoryMb: number | null;
  /** WASM only: the stage breakdown, timed in the benchmark page. */
  stages: OcrStageTimes[] | null;
}

const readManifest = (dir: string, set: Entry['set'], urlPrefix: string): Entry[] =>
  (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Omit<Entry, 'set' | 'urlPath'>[]).map((e) => ({
    ...e,
    set,
    urlPath: `${urlPrefix}${e.file}`,
  }));
/** Timings and memory come from the test set; the validation set (never tuned on) checks CER generalises. */
const manifest = readManifest(OCR_FIXTURES_DIR, 'test', '/ocr-fixtures/');
const validation = readManifest(OCR_VALIDATION_DIR, 'validation', '/ocr-validation/');
/** Signs PP-OCRv4's alphabet lacks (€ £ © ₹ ½ ✓ …), never tuned on: what the glyph classifier adds. */
const symbols = readManifest(OCR_SYMBOLS_DIR, 'symbols', '/ocr-symbols/');
const SET_DIRS: Record<Entry['set'], string> = { test: OCR_FIXTURES_DIR, validation: OCR_VALIDATION_DIR, symbols: OCR_SYMBOLS_DIR };

type ReadOutcome = { ms: number; outcome: { ok: boolean; text?: string; reason?: unknown } };

/** A fresh browser with the bench build, and `read(url)`: one read-text job from the benchmark page. */
async function openBenchPage(backend: E2eBackend): Promise<{ ext: ExtensionBrowser; read(url: string): Promise<ReadOutcome> }> {
  const ext = await launchWithExtension({ backend, extensionDir: join(ROOT, '.output-bench/chrome-mv3'), networkGuard: false });
  try {
    await ext.serviceWorker.evaluate((b) => chrome.storage.local.set({ backend: b }), backend === 'wasm' ? 'wasm' : 'auto');
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/bench.html`);
    await page.waitForFunction(() => document.title.includes('ready'));
    const read = (url: string) =>
      page.evaluate((u) => (globalThis as unknown as { bench: { readTextViaExtension(u: string): Promise<ReadOutcome> } }).bench.readTextViaExtension(u), url);
    return { ext, read };
  } catch (error) {
    await ext.close();
    throw error;
  }
}

async function readWithExtension(backend: E2eBackend, siteOrigin: string): Promise<OurRun> {
  const earlier = new Set(extensionRendererPids());
  const { ext, read } = await openBenchPage(backend);
  try {
    // Sessions are created once and stay warm, as in use; the first reads also warm up the JIT.
    for (const entry of manifest.slice(0, 3)) await read(`${siteOrigin}${entry.urlPath}?warmup`);
    const reads: Read[] = [];
    for (const entry of [...manifest, ...validation, ...symbols]) {
      const r = await read(`${siteOrigin}${entry.urlPath}`);
      reads.push({ entry, text: r.outcome.ok ? (r.outcome.text ?? '') : '', ms: r.ms });
    }
    const peakMemoryMb = extensionRendererPeakMb(earlier);
    const stages = backend === 'wasm' ? await timeStagesInPage(ext, siteOrigin) : null;
    return { reads, peakMemoryMb, stages };
  } finally {
    await ext.close();
  }
}

/** The same images run in the benchmark page with each model call timed: where an image's time goes. */
async function timeStagesInPage(ext: ExtensionBrowser, siteOrigin: string): Promise<OcrStageTimes[]> {
  const page = await ext.context.newPage();
  try {
    await page.goto(`chrome-extension://${ext.extensionId}/bench.html`);
    await page.waitForFunction(() => document.title.includes('ready'));
    const urls = manifest.map((entry) => `${siteOrigin}${entry.urlPath}`);
    const threads = await page.evaluate(() => Math.min(4, navigator.hardwareConcurrency));
    const times = await page.evaluate(
      ([t, u]) => (globalThis as unknown as { bench: { ocrStages(t: number, u: readonly string[]): Promise<OcrStageTimes[]> } }).bench.ocrStages(t, u),
      [threads, [...urls.slice(0, 3), ...urls]] as const,
    );
    return times.slice(3);
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// The real-world set (../shared/ocr-real, never copied into the project: see real-world.ts)
// ---------------------------------------------------------------------------------------------------

interface RealRead {
  image: RealImage;
  /** As read, before score.sh's upper-casing of SROIE predictions. */
  text: string;
  ms: number;
  score: RealScore;
  /** Why the engine gave no text, when it failed. */
  failure?: string;
}

interface RealRun {
  ours: RealRead[];
  tesseract: RealRead[];
  /** The image with the most pixels, measured for memory on its own. */
  largest: RealImage;
  /** The extension renderer's VmHWM after a warm-up read and that one image, in a fresh browser. */
  ourLargestPeakMb: number | null;
  /** The same process's peak after the small warm-up image only: the engine with its models loaded. */
  ourRestingPeakMb: number | null;
  /** Tesseract's peak RSS on that image (GNU time). */
  tesseractLargestPeakMb: number | null;
}

const byPixels = (images: readonly RealImage[]) => [...images].sort((a, b) => a.widthPx * a.heightPx - b.widthPx * b.heightPx);

/** Every real-world image through the engine host, in a fresh browser with sessions warmed on the test set. */
async function readRealWithExtension(images: readonly RealImage[], realOrigin: string, siteOrigin: string): Promise<RealRead[]> {
  const { ext, read } = await openBenchPage('wasm');
  try {
    for (const entry of manifest.slice(0, 3)) await read(`${siteOrigin}${entry.urlPath}?warmup`);
    const reads: RealRead[] = [];
    for (const image of images) {
      const r = await read(`${realOrigin}/${image.name}.png`);
      const text = r.outcome.ok ? (r.outcome.text ?? '') : '';
      const failure = r.outcome.ok ? undefined : JSON.stringify(r.outcome.reason ?? r.outcome);
      if (failure) console.warn(`  ${image.name}: the engine failed (${failure})`);
      reads.push({ image, text, ms: r.ms, score: scoreReal(image.name, text, image.truth), ...(failure ? { failure } : {}) });
    }
    return reads;
  } finally {
    await ext.close();
  }
}

/**
 * Peak memory for the biggest page: a fresh browser, one read of the smallest image (models loaded,
 * sessions created), then the biggest image alone; the extension renderer's VmHWM after that.
 */
async function measureLargestWithExtension(images: readonly RealImage[], realOrigin: string): Promise<{ restingMb: number | null; peakMb: number | null }> {
  const sorted = byPixels(images);
  // The browser of the run before may still be exiting: its renderers, which read every page, don't count.
  const earlier = new Set(extensionRendererPids());
  const { ext, read } = await openBenchPage('wasm');
  try {
    await read(`${realOrigin}/${sorted[0]!.name}.png?warmup`);
    const restingMb = extensionRendererPeakMb(earlier);
    const r = await read(`${realOrigin}/${sorted[sorted.length - 1]!.name}.png`);
    if (!r.outcome.ok) console.warn(`  memory run: the engine failed on ${sorted[sorted.length - 1]!.name}`);
    return { restingMb, peakMb: extensionRendererPeakMb(earlier) };
  } finally {
    await ext.close();
  }
}

/** `--memory`: only the peak-memory run on the largest real-world page, printed, for iterating on memory. */
async function printLargestMemory(realImages: RealImage[] | null): Promise<void> {
  if (!realImages) throw new Error(missingRealWorldMessage());
  const realSite = await serveRealWorld();
  try {
    const { restingMb, peakMb } = await measureLargestWithExtension(realImages, realSite.origin);
    console.log(`largest page ${byPixels(realImages).at(-1)!.name}: peak ${peakMb?.toFixed(0)} MB (after the warm-up image alone: ${restingMb?.toFixed(0)} MB)`);
  } finally {
    await realSite.close();
  }
}

async function realWithTesseract(images: readonly RealImage[]): Promise<{ reads: RealRead[]; peakKb: Map<string, number | null> }> {
  const reads: RealRead[] = [];
  const peakKb = new Map<string, number | null>();
  for (const image of images) {
    const r = await runTesseract(image.path, tesseractLangFor(image.name), { singleThread: true });
    reads.push({ image, text: r.text, ms: r.ms, score: scoreReal(image.name, r.text, image.truth) });
    peakKb.set(image.name, r.peakRssKb);
  }
  return { reads, peakKb };
}

/** ALTSIGHT_OCR_REAL_PRED_DIR: both engines' predictions, as read, for `score.sh DIR/altsight` and `DIR/tesseract`. */
function writeRealPredictions(run: RealRun): void {
  const dir = process.env.ALTSIGHT_OCR_REAL_PRED_DIR;
  if (!dir) return;
  for (const [engine, reads] of [['altsight', run.ours], ['tesseract', run.tesseract]] as const) {
    mkdirSync(join(dir, engine), { recursive: true });
    for (const r of reads) writeFileSync(join(dir, engine, `${r.image.name}.txt`), r.text);
  }
  console.log(`Real-world predictions in ${dir}/altsight and ${dir}/tesseract`);
}

/** Chromium's extension renderer processes now running, by pid. */
function extensionRendererPids(): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('--type=renderer') && cmdline.includes('--extension-process');
      } catch {
        return false; // the process ended while we looked
      }
    });
}

/**
 * Peak resident memory (VmHWM) of Chromium's extension renderer, which hosts the offscreen engine (and the
 * small benchmark page): the counterpart of Tesseract's peak RSS. `exclude`: renderers of an earlier
 * browser, which may still be exiting when the next one starts.
 */
function extensionRendererPeakMb(exclude: ReadonlySet<string> = new Set()): number | null {
  let peakKb: number | null = null;
  for (const pid of extensionRendererPids()) {
    if (exclude.has(pid)) continue;
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb ?? 0, Number(hwm[1]));
    } catch {
      // the process ended while we looked
    }
  }
  return peakKb === null ? null : peakKb / 1024;
}

async function main(): Promise<void> {
  ensureTesseract();
  console.log('Building the benchmark build (.output-bench)…');
  if (spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit', env: { ...process.env, ALTSIGHT_BENCH: '1' } }).status !== 0) {
    throw new Error('bench build failed');
  }
  const realImages = listRealWorld();
  if (!realImages) console.warn(missingRealWorldMessage());
  if (process.argv.includes('--memory')) return printLargestMemory(realImages);
  const site = await startSite('127.0.0.1');
  const realSite = realImages ? await serveRealWorld() : null;
  const backends: E2eBackend[] = process.env.ALTSIGHT_REAL_GPU ? ['wasm', 'webgpu'] : ['wasm'];
  const ours = new Map<E2eBackend, OurRun>();
  let ourReal: RealRead[] = [];
  let ourLargest: { restingMb: number | null; peakMb: number | null } = { restingMb: null, peakMb: null };
  try {
    for (const backend of backends) {
      console.log(`AltSight OCR on ${backend}…`);
      ours.set(backend, await readWithExtension(backend, site.origin));
    }
    if (realImages && realSite) {
      console.log(`AltSight OCR on the real-world set (${realImages.length} images from ${realWorldDir()}, wasm)…`);
      ourReal = await readRealWithExtension(realImages, realSite.origin, site.origin);
      console.log('AltSight peak memory on the largest real-world page (fresh browser)…');
      ourLargest = await measureLargestWithExtension(realImages, realSite.origin);
    }
  } finally {
    await site.close();
    await realSite?.close();
  }
  console.log('Tesseract…');
  const tesseract: Read[] = [];
  let tesseractPeakKb: number | null = null;
  for (const entry of [...manifest, ...validation, ...symbols]) {
    const lang = entry.category === 'mixed-zh' ? 'eng+chi_sim' : 'eng';
    const r = await runTesseract(join(SET_DIRS[entry.set], entry.file), lang);
    tesseract.push({ entry, text: r.text, ms: r.ms });
    if (r.peakRssKb !== null) tesseractPeakKb = Math.max(tesseractPeakKb ?? 0, r.peakRssKb);
  }
  let real: RealRun | null = null;
  if (realImages) {
    console.log('Tesseract on the real-world set (one thread)…');
    const t = await realWithTesseract(realImages);
    const largest = byPixels(realImages).at(-1)!;
    const largestKb = t.peakKb.get(largest.name) ?? null;
    real = { ours: ourReal, tesseract: t.reads, largest, ourLargestPeakMb: ourLargest.peakMb, ourRestingPeakMb: ourLargest.restingMb, tesseractLargestPeakMb: largestKb === null ? null : largestKb / 1024 };
    writeRealPredictions(real);
  }
  writeReport(ours, tesseract, tesseractPeakKb === null ? null : tesseractPeakKb / 1024, real);
}

function summary(reads: Read[]) {
  const samples = reads.map((r) => ({ category: r.entry.category, predicted: r.text, truth: r.entry.text }));
  return {
    byCategory: new Map(cerByCategory(samples).map((c) => [c.category, c.meanCer])),
    mean: meanCer(samples),
    medianMs: median(reads.map((r) => r.ms)),
    p90Ms: percentile(reads.map((r) => r.ms), 0.9),
  };
}

function writeReport(ours: Map<E2eBackend, OurRun>, tesseract: Read[], tesseractPeakMb: number | null, real: RealRun | null): void {
  const inSet = (reads: Read[], set: Entry['set']) => reads.filter((r) => r.entry.set === set);
  const tesseractTest = summary(inSet(tesseract, 'test'));
  const tesseractValidation = summary(inSet(tesseract, 'validation'));
  const tesseractSymbols = summary(inSet(tesseract, 'symbols'));
  const categories = [...new Set(manifest.map((m) => m.category))];
  const cerCells = (a: number, b: number) => `${fmt(a, 3)} | ${fmt(b, 3)} | ${b > 0 ? fmt(a / b, 2) : a === 0 ? '—' : '∞'}`;
  const lines = [
    '## OCR: AltSight vs Tesseract 5',
    '',
    `Written by \`npm run bench:ocr\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machineDescription()}.`,
    '',
    `Two sets of images of text rendered in Chromium, with exact ground truth: the test set (${manifest.length} images in \`tests/fixtures/ocr/\`), on which the pipeline's settings were tuned, and the validation set (${validation.length} images in \`tests/fixtures/ocr-validation/\`, same categories, new text), made afterwards and never tuned on. AltSight: PaddleOCR PP-OCRv4 det + cls + rec and our glyph classifier (\`scripts/glyph-model/\`) in the built extension's engine host, requested from an extension page (fetch, decode, detect, classify, recognise, lay out), sessions warm. Tesseract: Debian's \`tesseract\` CLI, one process per image (\`-l eng\`, \`eng+chi_sim\` for mixed-zh), default page segmentation; its time includes process start and model load, which is how it runs per request. CER = edit distance / truth length after whitespace normalisation (\`tests/support/cer.ts\`). Times and memory are from the test set. Peak memory: peak resident set of Chromium's extension renderer process, which hosts the engine (read from /proc at the end of the run), vs Tesseract's peak RSS. The browser runs without the e2e tests' DevTools network guard.`,
    '',
  ];
  for (const [backend, run] of ours) {
    const o = summary(inSet(run.reads, 'test'));
    const v = summary(inSet(run.reads, 'validation'));
    const sym = summary(inSet(run.reads, 'symbols'));
    const cell = (m: Map<string, number>, c: string) => m.get(c) ?? Number.NaN;
    lines.push(
      `### ${backend === 'wasm' ? 'WASM (multi-threaded)' : 'WebGPU'}`,
      '',
      '| category | test: AltSight CER | test: Tesseract CER | ratio | validation: AltSight CER | validation: Tesseract CER | ratio |',
      '|---|---|---|---|---|---|---|',
      ...categories.map(
        (c) =>
          `| ${c} | ${cerCells(cell(o.byCategory, c), cell(tesseractTest.byCategory, c))} | ${cerCells(cell(v.byCategory, c), cell(tesseractValidation.byCategory, c))} |`,
      ),
      `| **all (mean)** | **${fmt(o.mean, 3)}** | **${fmt(tesseractTest.mean, 3)}** | **${fmt(o.mean / tesseractTest.mean, 2)}** | **${fmt(v.mean, 3)}** | **${fmt(tesseractValidation.mean, 3)}** | **${fmt(v.mean / tesseractValidation.mean, 2)}** |`,
      '',
      `Symbols set (${symbols.length} images in \`tests/fixtures/ocr-symbols/\`: € £ ¢ © ₹ ₽ ₩ ½ ¼ ¾ ✓ in prices, footers, recipes, checklists; never tuned on): mean CER AltSight ${fmt(sym.mean, 3)}, Tesseract ${fmt(tesseractSymbols.mean, 3)}, ratio ${fmt(sym.mean / tesseractSymbols.mean, 2)}.`,
      '',
      '| test set | AltSight | Tesseract | ratio |',
      '|---|---|---|---|',
      `| median ms per image | ${fmt(o.medianMs, 0)} | ${fmt(tesseractTest.medianMs, 0)} | ${fmt(o.medianMs / tesseractTest.medianMs, 2)} |`,
      `| p90 ms per image | ${fmt(o.p90Ms, 0)} | ${fmt(tesseractTest.p90Ms, 0)} | ${fmt(o.p90Ms / tesseractTest.p90Ms, 2)} |`,
      `| peak memory MB | ${fmt(run.peakMemoryMb, 0)} | ${fmt(tesseractPeakMb, 0)} | ${run.peakMemoryMb && tesseractPeakMb ? fmt(run.peakMemoryMb / tesseractPeakMb, 2) : '—'} |`,
      '',
    );
    if (run.stages) lines.push(...stageTable(run.stages));
  }
  lines.push(...(real ? realWorldSection(real) : ['### Real-world set', '', `Not run: ${missingRealWorldMessage()}`, '']));
  if (!ours.has('webgpu')) {
    lines.push('WebGPU is not timed here: this machine has no GPU, and SwiftShader (CPU emulation) says nothing about one. Set `ALTSIGHT_REAL_GPU=1` on a machine with a GPU to add it.', '');
  }
  const report = lines.join('\n');
  writeBenchmarkSection('ocr', report);
  console.log(`\n${report}`);
}

function realWorldSection(run: RealRun): string[] {
  const ours = new Map(realCategoryRows(run.ours.map((r) => ({ category: r.image.category, score: r.score }))).map((r) => [r.category, r]));
  const theirs = new Map(realCategoryRows(run.tesseract.map((r) => ({ category: r.image.category, score: r.score }))).map((r) => [r.category, r]));
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || Number.isNaN(a) || Number.isNaN(b) ? '—' : b > 0 ? fmt(a / b, 2) : a === 0 ? '—' : '∞');
  const rows = [...ours.keys()].map((category) => {
    const o = ours.get(category)!;
    const t = theirs.get(category);
    const cells = `${o.n} | ${fmt(o.meanCer, 3)} | ${fmt(t?.meanCer ?? null, 3)} | ${ratio(o.meanCer, t?.meanCer ?? null)} | ${fmt(o.meanCerLo, 3)} | ${fmt(t?.meanCerLo ?? null, 3)}`;
    return category === 'all' ? `| **all** | **${cells.split(' | ').join('** | **')}** |` : `| ${category} | ${cells} |`;
  });
  const oursMs = run.ours.map((r) => r.ms);
  const theirsMs = run.tesseract.map((r) => r.ms);
  const failures = run.ours.filter((r) => r.failure);
  const { largest } = run;
  return [
    '### Real-world set',
    '',
    `${run.ours.length} images nobody on this project made (scans incl. two 300 dpi UNLV magazine pages, receipts, screenshots, photos of signs, 90°/180° rotated pages, IAM handwriting), read at bench time from \`../shared/ocr-real\` (or \`${REAL_DIR_ENV}\`); their images and text are not in the repository (licences; the folder's README.md lists sources). Category = file-name prefix. CER as the set's \`score.sh\` computes it: predictions for \`receipt_sroie_*\` upper-cased (their ground truth is), whitespace runs collapsed, Levenshtein over code points / truth length, no other normalisation; mean of per-image CER. "Line-order-free" is score.mjs's \`cer_lo\`: each predicted line is first moved to the ground-truth line it matches best, which forgives reading order only. AltSight: the built extension's engine host (WASM, default threads), as above, in a fresh browser warmed on three test-set images. Tesseract 5: one process per image, one thread (\`OMP_THREAD_LIMIT=1 tesseract IMAGE stdout --psm 3 -l eng\`, \`eng+chi_sim\` for \`photo_yuyuan_sign\`), time including start-up and model load.`,
    '',
    '| category | n | AltSight CER | Tesseract CER | ratio | AltSight CER, line-order-free | Tesseract CER, line-order-free |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(failures.length ? [`The engine failed on ${failures.map((f) => `\`${f.image.name}\``).join(', ')} (scored as empty output).`, ''] : []),
    '| real-world set | AltSight (WASM) | Tesseract (1 thread) | ratio |',
    '|---|---|---|---|',
    `| median ms per image | ${fmt(median(oursMs), 0)} | ${fmt(median(theirsMs), 0)} | ${ratio(median(oursMs), median(theirsMs))} |`,
    `| p90 ms per image | ${fmt(percentile(oursMs, 0.9), 0)} | ${fmt(percentile(theirsMs, 0.9), 0)} | ${ratio(percentile(oursMs, 0.9), percentile(theirsMs, 0.9))} |`,
    `| peak memory MB, largest page (\`${largest.name}\`, ${largest.widthPx}×${largest.heightPx}) | ${fmt(run.ourLargestPeakMb, 0)} | ${fmt(run.tesseractLargestPeakMb, 0)} | ${ratio(run.ourLargestPeakMb, run.tesseractLargestPeakMb)} |`,
    '',
    `Peak memory on the largest page (most pixels in the set): AltSight in a fresh browser that read only the smallest image (\`${byPixels(run.ours.map((r) => r.image))[0]!.name}\`, to load the models and create the sessions) and then this page; the figure is the peak resident set (VmHWM, /proc) of Chromium's extension renderer process, which hosts the engine, read after that page. Tesseract: peak RSS of its process on the same page (GNU time \`%M\`), from the run above. The same AltSight process peaked at ${fmt(run.ourRestingPeakMb, 0)} MB after the warm-up image alone (Chromium's renderer, ONNX Runtime's WASM with its threads and the four sessions), so the page itself added ${run.ourRestingPeakMb !== null && run.ourLargestPeakMb !== null ? fmt(run.ourLargestPeakMb - run.ourRestingPeakMb, 0) : '—'} MB.`,
    '',
  ];
}

/** Mean ms per image of each stage; "the rest" is fetch-free JavaScript: crops, tensors, DB boxes, layout. */
function stageTable(stages: OcrStageTimes[]): string[] {
  const mean = (pick: (t: OcrStageTimes) => number) => stages.reduce((sum, t) => sum + pick(t), 0) / stages.length;
  const total = mean((t) => t.totalMs);
  const rows: [string, number][] = [
    ["fetch and decode (the engine's image loader)", mean((t) => t.decodeMs)],
    ['detection (DB)', mean((t) => t.detectMs)],
    ['direction classifier', mean((t) => t.classifyMs)],
    [`recognition (${fmt(mean((t) => t.recognizeCalls), 1)} calls, ${fmt(mean((t) => t.recognizeColumns), 0)} input columns)`, mean((t) => t.recognizeMs)],
    ['the rest (crops, tensors, boxes, layout)', total - mean((t) => t.decodeMs + t.detectMs + t.classifyMs + t.recognizeMs)],
  ];
  return [
    `Where the time goes: the same images in the benchmark page, same pipeline and ORT build, each model call timed (mean ms per image; this run's median ${fmt(median(stages.map((t) => t.totalMs)), 0)} ms).`,
    '',
    '| stage | mean ms | share |',
    '|---|---|---|',
    ...rows.map(([name, ms]) => `| ${name} | ${fmt(ms, 0)} | ${fmt((100 * ms) / total, 0)}% |`),
    `| total | ${fmt(total, 0)} | |`,
    '',
  ];
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
