#!/usr/bin/env node
// Loads the fixture captioner with transformers.js (Node build, onnxruntime-node CPU)
// and captions every image in tests/fixtures/images/manifest.json.
//
//   node scripts/fixture-model/check.mjs            # tiny model: PASS/FAIL per image, exit 1 on mismatch
//   node scripts/fixture-model/check.mjs --standin  # random-weight distilvit stand-in: load + time per caption
//
// SVGs are rasterised in Node by sharp (what RawImage.read uses), so they are checked too.
import { env, pipeline } from '@huggingface/transformers';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const imagesDir = path.join(root, 'tests', 'fixtures', 'images');
const standin = process.argv.includes('--standin');

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = standin
  ? path.join(root, 'scripts', 'bench', '.models')
  : path.join(root, 'tests', 'fixtures', 'models');
const modelId = standin ? 'altsight-bench/distilvit-standin' : 'altsight-test/tiny-shapes-captioner';

const t0 = performance.now();
const captioner = await pipeline('image-to-text', modelId, { dtype: 'fp32', device: 'cpu' });
console.log(`loaded ${modelId} in ${(performance.now() - t0).toFixed(0)} ms`);

const manifest = JSON.parse(await readFile(path.join(imagesDir, 'manifest.json'), 'utf8'));
let failures = 0;
const times = [];
for (const { file, caption } of manifest) {
  const start = performance.now();
  let text;
  try {
    const [out] = await captioner(path.join(imagesDir, file));
    text = out.generated_text;
  } catch (err) {
    text = `ERROR: ${err.message}`;
  }
  const ms = performance.now() - start;
  times.push(ms);
  if (standin) {
    console.log(`${file}: ${ms.toFixed(0)} ms, ${text.split(' ').length} tokens, ${JSON.stringify(text.slice(0, 40))}`);
    if (text.startsWith('ERROR')) failures++;
  } else {
    const ok = text === caption;
    if (!ok) failures++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${file}: ${JSON.stringify(text)}${ok ? '' : ` (expected ${JSON.stringify(caption)})`} ${ms.toFixed(1)} ms`);
  }
}
const warm = times.slice(1);
const mean = warm.reduce((a, b) => a + b, 0) / Math.max(1, warm.length);
console.log(`time per caption: first ${times[0].toFixed(1)} ms, mean of rest ${mean.toFixed(1)} ms`);
console.log(failures ? `${failures} FAILED` : standin ? 'standin OK' : 'all PASS');
process.exit(failures ? 1 : 0);
