/**
 * Tesseract's score on the OCR test set: the bar our own pipeline has to beat.
 *
 *   npx vite-node scripts/ocr-fixtures/tesseract-baseline.ts [--repeats 3] [--show]
 *
 * Per category: mean and pooled CER (tests/support/cer.ts), median and p90 wall-clock ms per image
 * (process start included), median CPU ms (user + system, all threads: steadier on a busy machine)
 * and the highest peak RSS. `--show` prints each image's output.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cerByCategory, characterErrorRate } from '../../tests/support/cer';
import { ensureTesseract, runTesseract, TESSERACT_PATH } from '../bench/tesseract';
import type { OcrManifestEntry } from './render';

const FIXTURES_DIR = resolve(import.meta.dirname, '../../tests/fixtures/ocr');

const tesseractLang = (category: string) => (category === 'mixed-zh' ? 'eng+chi_sim' : 'eng');

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function main() {
  const { values } = parseArgs({ options: { repeats: { type: 'string', default: '3' }, show: { type: 'boolean', default: false } } });
  const repeats = Math.max(1, Number(values.repeats));
  ensureTesseract();
  const manifest = JSON.parse(readFileSync(join(FIXTURES_DIR, 'manifest.json'), 'utf8')) as OcrManifestEntry[];

  // One untimed pass so the traineddata files are in the page cache for every timed run.
  await runTesseract(join(FIXTURES_DIR, manifest[0]!.file), 'eng+chi_sim');

  const samples: { category: string; predicted: string; truth: string }[] = [];
  const msByCategory = new Map<string, number[]>();
  const rssByCategory = new Map<string, number[]>();
  const cpuByCategory = new Map<string, number[]>();
  for (const entry of manifest) {
    let predicted = '';
    for (let run = 0; run < repeats; run++) {
      const result = await runTesseract(join(FIXTURES_DIR, entry.file), tesseractLang(entry.category));
      predicted = result.text;
      msByCategory.set(entry.category, [...(msByCategory.get(entry.category) ?? []), result.ms]);
      if (result.cpuMs !== null) cpuByCategory.set(entry.category, [...(cpuByCategory.get(entry.category) ?? []), result.cpuMs]);
      if (result.peakRssKb !== null) rssByCategory.set(entry.category, [...(rssByCategory.get(entry.category) ?? []), result.peakRssKb]);
    }
    samples.push({ category: entry.category, predicted, truth: entry.text });
    const cer = characterErrorRate(predicted, entry.text);
    console.log(`${entry.file.padEnd(42)} CER ${cer.toFixed(3)}`);
    if (values.show) console.log(`${predicted.replace(/^/gm, '    | ')}\n`);
  }

  const allMs = [...msByCategory.values()].flat();
  const allRss = [...rssByCategory.values()].flat();
  const allCpu = [...cpuByCategory.values()].flat();
  const cpuCell = (cpu: number[] | undefined) => (cpu?.length ? percentile(cpu, 50).toFixed(0) : 'n/a');
  const rssCell = (rss: number[] | undefined) => (rss?.length ? (Math.max(...rss) / 1024).toFixed(0) : 'n/a');
  console.log(`\nTesseract ${tesseractVersion()}, ${repeats} run(s) per image, ${cpus().length} CPUs (${cpus()[0]?.model.trim()})\n`);
  console.log('| category | images | mean CER | pooled CER | median ms | p90 ms | median CPU ms | peak RSS MiB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of cerByCategory(samples)) {
    const ms = msByCategory.get(row.category)!;
    console.log(
      `| ${row.category} | ${row.images} | ${row.meanCer.toFixed(3)} | ${row.pooledCer.toFixed(3)} | ${percentile(ms, 50).toFixed(0)} | ${percentile(ms, 90).toFixed(0)} | ${cpuCell(cpuByCategory.get(row.category))} | ${rssCell(rssByCategory.get(row.category))} |`,
    );
  }
  const everything = cerByCategory(samples.map((s) => ({ ...s, category: 'all' })))[0]!;
  console.log(
    `| **all** | ${everything.images} | ${everything.meanCer.toFixed(3)} | ${everything.pooledCer.toFixed(3)} | ${percentile(allMs, 50).toFixed(0)} | ${percentile(allMs, 90).toFixed(0)} | ${cpuCell(allCpu)} | ${rssCell(allRss)} |`,
  );
}

function tesseractVersion(): string {
  return execFileSync(TESSERACT_PATH, ['--version'], { encoding: 'utf8' }).split('\n')[0]!.replace(/^tesseract\s*/, '');
}

await main();
