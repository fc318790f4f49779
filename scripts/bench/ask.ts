/**
 * `npm run bench:ask`: questions about an image through the built extension in Chromium (WASM, 1 and 2
 * threads) against bare onnxruntime-web on the same files in the same browser: time to first token,
 * tokens per second, engine memory. On the committed fixture, and on a random-weight stand-in with
 * SmolVLM-256M's real architecture and sizes (scripts/vlm-model, generated here, not committed).
 * Prints figures and writes docs/benchmarks.md. Asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchWithExtension } from '../../tests/support/browser';
import { MODELS_DIR, ROOT, startModelHost, startSite } from '../../tests/support/servers';
import { DETAIL_QUESTION } from '../../lib/ask/conversation';
import { chatModel } from '../../lib/models';
import { fmt, machineDescription, median, writeBenchmarkSection } from './report';

const BENCH_EXTENSION = join(ROOT, '.output-bench/chrome-mv3');
const STANDIN_MODELS = join(ROOT, 'scripts/bench/.models');
const FIXTURE = 'altsight-test/tiny-shapes-vlm';
const STANDIN = 'altsight-bench/smolvlm-standin';
const STANDIN_Q8 = 'altsight-bench/smolvlm-standin-q8';
const IMAGES = ['red-circle.png', 'blue-square.jpg', 'green-triangle.png'];
const WARM_RUNS = 3;

interface Answer {
  firstTokenMs: number;
  totalMs: number;
  tokens: number;
}
interface AskRow {
  model: string;
  threads: number;
  coldMs: number;
  firstTokenMs: number;
  tokensPerS: number;
  tokens: number;
  bareFirstTokenMs: number;
  bareTokensPerS: number;
  memoryMb: number | null;
}

const call = <T>(page: Page, name: string, ...args: unknown[]) =>
  page.evaluate(
    ([n, a]) => (globalThis as unknown as { bench: Record<string, (...x: unknown[]) => unknown> }).bench[n as string]!(...(a as unknown[])),
    [name, args] as const,
  ) as Promise<T>;

/** Tokens after the first, per second of the time after the first: the decoder's steady rate. */
const rate = (a: Answer) => (a.tokens > 1 ? ((a.tokens - 1) / (a.totalMs - a.firstTokenMs)) * 1000 : Number.NaN);

async function measure(page: Page, sw: import('playwright-core').Worker, hosts: { model: string; site: string }, modelId: string, threads: number): Promise<AskRow> {
  await sw.evaluate((v) => chrome.storage.local.set(v), { chatModelId: modelId, backend: 'wasm', wasmThreads: threads, modelHost: `${hosts.model}/` });
  await call(page, 'resetEngine');
  const url = (i: number, set: string) => `${hosts.site}/images/${IMAGES[i % IMAGES.length]}?${set}=${i}&t=${modelId}-${threads}-${Date.now()}`;
  const cold = await call<Answer & { outcome: { ok: boolean; message?: string } }>(page, 'askViaExtension', url(0, 'cold'), DETAIL_QUESTION);
  if (!cold.outcome.ok) throw new Error(`${modelId}: ${cold.outcome.message}`);
  const warm: Answer[] = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push(await call<Answer>(page, 'askViaExtension', url(i, 'warm'), DETAIL_QUESTION));
  const memory = await call<{ bytes: number | null }>(page, 'engineMemory');
  await call(page, 'resetEngine'); // the two must not compete for the CPU
  await page.reload(); // ONNX Runtime fixes its thread count when it first starts
  await page.waitForFunction(() => document.title.includes('ready'));
  const maxNewTokens = chatModel(modelId).maxNewTokens;
  const bare = await call<Answer[]>(page, 'bareAsk', `${hosts.model}/`, modelId, threads, Array.from({ length: WARM_RUNS }, (_, i) => url(i, 'warm')), DETAIL_QUESTION, maxNewTokens);
  // The bare run's first answer loads nothing but still warms ORT's kernels: the median hides it, as for ours.
  return {
    model: modelId,
    threads,
    coldMs: cold.totalMs,
    firstTokenMs: median(warm.map((a) => a.firstTokenMs)),
    tokensPerS: median(warm.map(rate)),
    tokens: median(warm.map((a) => a.tokens)),
    bareFirstTokenMs: median(bare.map((a) => a.firstTokenMs)),
    bareTokensPerS: median(bare.map(rate)),
    memoryMb: memory.bytes === null ? null : memory.bytes / 1024 / 1024,
  };
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
  console.log('Building the benchmark build (.output-bench)…');
  const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit', env: { ...process.env, ALTSIGHT_BENCH: '1' } });
  if (build.status !== 0) throw new Error('bench build failed');
  const models = [FIXTURE];
  if (!existsSync(join(STANDIN_MODELS, STANDIN, 'onnx/decoder_model_merged.onnx'))) {
    console.log('Generating the SmolVLM-256M-shaped stand-in (random weights, not committed)…');
    const gen = spawnSync('/usr/bin/python3', ['scripts/vlm-model/generate.py', '--standin'], { stdio: 'inherit' });
    if (gen.status !== 0) console.log('!! stand-in generation failed (needs Debian python3-torch); benchmarking the fixture only');
  }
  if (existsSync(join(STANDIN_MODELS, STANDIN, 'onnx/decoder_model_merged.onnx'))) {
    models.push(STANDIN);
    // WASM users get q8 (`_quantized`) files: the same stand-in quantised as those are made, to see which runs best.
    if (!existsSync(join(STANDIN_MODELS, STANDIN_Q8, 'onnx/decoder_model_merged.onnx'))) {
      spawnSync('/usr/bin/python3', ['scripts/fixture-model/quantize_dynamic.py', join(STANDIN_MODELS, STANDIN), join(STANDIN_MODELS, STANDIN_Q8)], { stdio: 'inherit' });
    }
    if (existsSync(join(STANDIN_MODELS, STANDIN_Q8, 'onnx/decoder_model_merged.onnx'))) models.push(STANDIN_Q8);
  }

  const [modelHost, site] = await Promise.all([startModelHost([MODELS_DIR, STANDIN_MODELS]), startSite('127.0.0.1')]);
  const hosts = { model: modelHost.origin, site: site.origin };
  const rows: AskRow[] = [];
  const ext = await launchWithExtension({ backend: 'wasm', extensionDir: BENCH_EXTENSION, networkGuard: false });
  try {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/bench.html`);
    await page.waitForFunction(() => document.title.includes('ready'));
    for (const model of models) {
      for (const threads of [1, 2]) {
        console.log(`Asking: ${model}, WASM ${threads} thread(s)…`);
        try {
          const row = await measure(page, ext.serviceWorker, hosts, model, threads);
          rows.push(row);
          console.log(`  first token ${fmt(row.firstTokenMs)} ms (bare ${fmt(row.bareFirstTokenMs)}), ${fmt(row.tokensPerS)} tokens/s (bare ${fmt(row.bareTokensPerS)})`);
        } catch (err) {
          console.log(`  !! failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  } finally {
    await ext.close();
    await Promise.all([modelHost.close(), site.close()]);
  }
  const report = [
    '## Questions about an image (built extension in Chromium, WASM)',
    '',
    `Written by \`npm run bench:ask\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machineDescription()}.`,
    '',
    `"${DETAIL_QUESTION}" about a picture, asked from an extension page through the background queue to the offscreen engine host, which fetches and decodes the image and runs the model with transformers.js (processor, chat template, \`generate()\` with a streamer); the first token's time is when its progress message reaches the page. "Bare ORT" runs the same ONNX files on onnxruntime-web in the same browser: transformers.js's processor for the same inputs, then the vision encoder, embeddings and a greedy decoder loop with the KV cache, no generate(), messaging or fetching. Both decode greedily to end-of-utterance or the same token limit. Median of ${WARM_RUNS} warm answers; cold = the first answer after the engine host was closed, model files already cached. Memory = the engine host document after those answers.`,
    '',
    '| model | threads | cold answer ms | first token ms | bare ORT first token ms | ratio | tokens/s | bare ORT tokens/s | ratio | tokens | engine memory MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.threads} | ${fmt(r.coldMs, 0)} | ${fmt(r.firstTokenMs)} | ${fmt(r.bareFirstTokenMs)} | ${fmt(r.firstTokenMs / r.bareFirstTokenMs, 2)} | ${fmt(r.tokensPerS)} | ${fmt(r.bareTokensPerS)} | ${fmt(r.bareTokensPerS / r.tokensPerS, 2)} | ${fmt(r.tokens, 0)} | ${fmt(r.memoryMb, 0)} |`,
    ),
    '',
    'The stand-in has SmolVLM-256M-Instruct\'s architecture and sizes with random weights, exported at fp32 by `scripts/vlm-model/generate.py --standin`; `-q8` is the same weights quantised as the Hub\'s `_quantized` files are made (`scripts/fixture-model/quantize_dynamic.py`: MatMul weights to int8, activations quantised per run), which is what WASM users get. Random weights rarely say end-of-utterance, so both sides run to the token limit.',
  ].join('\n');
  writeBenchmarkSection('ask', report);
  console.log(`\n${report}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
