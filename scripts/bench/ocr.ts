/**
 * `npm run bench:ocr`: our OCR (PaddleOCR PP-OCRv4 in the built extension's engine host, Chromium)
 * against native Tesseract 5 on the same images, in the same run: CER per category, median and p90
 * time per image, peak memory, and ours/Tesseract ratios. Prints and writes docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, type E2eBackend } from '../../tests/support/browser';
import { cerByCategory, meanCer } from '../../tests/support/cer';
import { OCR_FIXTURES_DIR, ROOT, startSite } from '../../tests/support/servers';
import { fmt, machineDescription, median, percentile, writeBenchmarkSection } from './report';
import { ensureTesseract, runTesseract } from './tesseract';

interface Entry {
  file: string;
  category: string;
  text: string;
}
interface Read {
  entry: Entry;
  text: string;
  ms: number;
}

const manifest = JSON.parse(readFileSync(join(OCR_FIXTURES_DIR, 'manifest.json'), 'utf8')) as Entry[];

async function readWithExtension(backend: E2eBackend, siteOrigin: string): Promise<{ reads: Read[]; peakMemoryMb: number | null }> {
  const ext = await launchWithExtension({ backend, extensionDir: join(ROOT, '.output-bench/chrome-mv3') });
  try {
    await ext.serviceWorker.evaluate((b) => chrome.storage.local.set({ backend: b }), backend === 'wasm' ? 'wasm' : 'auto');
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/bench.html`);
    await page.waitForFunction(() => document.title.includes('ready'));
    const read = (url: string) =>
      page.evaluate((u) => (globalThis as unknown as { bench: { readTextViaExtension(u: string): Promise<{ ms: number; outcome: { ok: boolean; text?: string } }> } }).bench.readTextViaExtension(u), url);
    await read(`${siteOrigin}/ocr-fixtures/${manifest[0]!.file}?warmup`); // sessions created once, as in use
    const reads: Read[] = [];
    for (const entry of manifest) {
      const r = await read(`${siteOrigin}/ocr-fixtures/${entry.file}`);
      reads.push({ entry, text: r.outcome.ok ? (r.outcome.text ?? '') : '', ms: r.ms });
    }
    return { reads, peakMemoryMb: extensionRendererPeakMb() };
  } finally {
    await ext.close();
  }
}

/**
 * Peak resident memory (VmHWM) of Chromium's extension renderer, which hosts the offscreen engine (and the
 * small benchmark page): the counterpart of Tesseract's peak RSS.
 */
function extensionRendererPeakMb(): number | null {
  let peakKb: number | null = null;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer') || !cmdline.includes('--extension-process')) continue;
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
  const site = await startSite('127.0.0.1');
  const backends: E2eBackend[] = process.env.ALTSIGHT_REAL_GPU ? ['wasm', 'webgpu'] : ['wasm'];
  const ours = new Map<E2eBackend, { reads: Read[]; peakMemoryMb: number | null }>();
  try {
    for (const backend of backends) {
      console.log(`AltSight OCR on ${backend}…`);
      ours.set(backend, await readWithExtension(backend, site.origin));
    }
  } finally {
    await site.close();
  }
  console.log('Tesseract…');
  const tesseract: Read[] = [];
  let tesseractPeakKb: number | null = null;
  for (const entry of manifest) {
    const lang = entry.category === 'mixed-zh' ? 'eng+chi_sim' : 'eng';
    const r = await runTesseract(join(OCR_FIXTURES_DIR, entry.file), lang);
    tesseract.push({ entry, text: r.text, ms: r.ms });
    if (r.peakRssKb !== null) tesseractPeakKb = Math.max(tesseractPeakKb ?? 0, r.peakRssKb);
  }
  writeReport(ours, tesseract, tesseractPeakKb === null ? null : tesseractPeakKb / 1024);
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

function writeReport(ours: Map<E2eBackend, { reads: Read[]; peakMemoryMb: number | null }>, tesseract: Read[], tesseractPeakMb: number | null): void {
  const t = summary(tesseract);
  const categories = [...new Set(manifest.map((m) => m.category))];
  const lines = [
    '## OCR: AltSight vs Tesseract 5',
    '',
    `Written by \`npm run bench:ocr\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machineDescription()}.`,
    '',
    `${manifest.length} images in \`tests/fixtures/ocr/\` (text rendered in Chromium, exact ground truth). AltSight: PaddleOCR PP-OCRv4 det + cls + rec in the built extension's engine host, requested from an extension page (fetch, decode, detect, classify, recognise, lay out), sessions warm. Tesseract: Debian's \`tesseract\` CLI, one process per image (\`-l eng\`, \`eng+chi_sim\` for mixed-zh), default page segmentation; its time includes process start and model load, which is how it runs per request. CER = edit distance / truth length after whitespace normalisation (\`tests/support/cer.ts\`). Peak memory: peak resident set of Chromium's extension renderer process, which hosts the engine (read from /proc at the end of the run), vs Tesseract's peak RSS.`,
    '',
  ];
  for (const [backend, run] of ours) {
    const o = summary(run.reads);
    lines.push(
      `### ${backend === 'wasm' ? 'WASM (multi-threaded)' : 'WebGPU'}`,
      '',
      '| category | AltSight CER | Tesseract CER | ratio |',
      '|---|---|---|---|',
      ...categories.map((c) => {
        const a = o.byCategory.get(c) ?? Number.NaN;
        const b = t.byCategory.get(c) ?? Number.NaN;
        return `| ${c} | ${fmt(a, 3)} | ${fmt(b, 3)} | ${b > 0 ? fmt(a / b, 2) : a === 0 ? '—' : '∞'} |`;
      }),
      `| **all (mean)** | **${fmt(o.mean, 3)}** | **${fmt(t.mean, 3)}** | **${fmt(o.mean / t.mean, 2)}** |`,
      '',
      '| | AltSight | Tesseract | ratio |',
      '|---|---|---|---|',
      `| median ms per image | ${fmt(o.medianMs, 0)} | ${fmt(t.medianMs, 0)} | ${fmt(o.medianMs / t.medianMs, 2)} |`,
      `| p90 ms per image | ${fmt(o.p90Ms, 0)} | ${fmt(t.p90Ms, 0)} | ${fmt(o.p90Ms / t.p90Ms, 2)} |`,
      `| peak memory MB | ${fmt(run.peakMemoryMb, 0)} | ${fmt(tesseractPeakMb, 0)} | ${run.peakMemoryMb && tesseractPeakMb ? fmt(run.peakMemoryMb / tesseractPeakMb, 2) : '—'} |`,
      '',
    );
  }
  if (!ours.has('webgpu')) {
    lines.push('WebGPU is not timed here: this machine has no GPU, and SwiftShader (CPU emulation) says nothing about one. Set `ALTSIGHT_REAL_GPU=1` on a machine with a GPU to add it.', '');
  }
  const report = lines.join('\n');
  writeBenchmarkSection('ocr', report);
  console.log(`\n${report}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
