/** docs/benchmarks.md is shared by the benchmarks: each rewrites only its own section. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CHROMIUM } from '../../tests/support/browser';
import { ROOT } from '../../tests/support/servers';

const REPORT = join(ROOT, 'docs/benchmarks.md');

export function writeBenchmarkSection(name: string, markdown: string): void {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${begin}\n${markdown.trim()}\n${end}`;
  let doc = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '# Benchmarks\n';
  const at = doc.indexOf(begin);
  doc = at >= 0 ? doc.slice(0, at) + section + doc.slice(doc.indexOf(end, at) + end.length) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(REPORT, doc);
}

export function machineDescription(): string {
  const version = (spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout || '').trim() || 'unknown Chromium';
  return `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Linux ${release()}, ${version}, no GPU (WebGPU here is SwiftShader, a CPU emulation: its timings say nothing about real GPUs)`;
}

export const median = (xs: number[]) => percentile(xs, 0.5);
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))] ?? Number.NaN;
}
export const fmt = (n: number | null, digits = 1) => (n === null || Number.isNaN(n) ? '—' : n.toFixed(digits));
