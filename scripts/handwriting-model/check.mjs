#!/usr/bin/env node
// Loads the tiny TrOCR-shaped handwriting reader with transformers.js (Node build, onnxruntime-node
// CPU) through pipeline('image-to-text') and reads every image of a manifest.
//
//   node scripts/handwriting-model/check.mjs            # tests/fixtures/handwriting/manifest.json
//   node scripts/handwriting-model/check.mjs DIR        # DIR/manifest.json (e.g. generate.py --dump-heldout DIR)
//
// kind "line" / "printed-line": the whole image is read. kind "page": lines are cut out by a
// horizontal ink projection (a stand-in for the PP-OCR detector) and read one by one.
// Exit 1 if any handwriting line (or page line) is misread; printed lines are reported only.
import { env, pipeline, RawImage } from '@huggingface/transformers';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = path.resolve(process.argv[2] ?? path.join(root, 'tests', 'fixtures', 'handwriting'));

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.join(root, 'tests', 'fixtures', 'models');
const modelId = 'altsight-test/tiny-handwriting-reader';

const t0 = performance.now();
const reader = await pipeline('image-to-text', modelId, { dtype: 'fp32', device: 'cpu' });
console.log(`loaded ${modelId} in ${(performance.now() - t0).toFixed(0)} ms`);
const nc = reader.model.config.normalized_config;
console.log(`normalized_config: ${JSON.stringify(nc)}`);
console.log(`processor: ${reader.processor.image_processor.constructor.name} size=${JSON.stringify(reader.processor.image_processor.size)}`);
console.log(`decoder inputs: ${reader.model.sessions.decoder_model_merged.inputNames.join(', ')}`);

/** Cut text lines out of a page by row/column ink projection (dark pixels), with a margin. */
function cutLines(img, margin = 8) {
  const g = img.grayscale();
  const { width: W, height: H, data } = g;
  const dark = (x, y) => data[y * W + x] < 160;
  const rows = [];
  for (let y = 0; y < H; y++) {
    let n = 0;
    for (let x = 0; x < W; x++) n += dark(x, y);
    rows.push(n > 0);
  }
  const boxes = [];
  for (let y = 0; y < H; ) {
    if (!rows[y]) { y++; continue; }
    let y1 = y;
    while (y1 + 1 < H && (rows[y1 + 1] || rows.slice(y1 + 1, y1 + 12).some(Boolean))) y1++;
    let x0 = W, x1 = 0;
    for (let yy = y; yy <= y1; yy++) for (let x = 0; x < W; x++) if (dark(x, yy)) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); }
    boxes.push([Math.max(0, x0 - margin), Math.max(0, y - margin), Math.min(W - 1, x1 + margin), Math.min(H - 1, y1 + margin)]);
    y = y1 + 1;
  }
  return boxes;
}

const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
const count = { line: [0, 0], 'printed-line': [0, 0], page: [0, 0] };
const times = [];
async function read(image) {
  const start = performance.now();
  const [out] = await reader(image);
  times.push(performance.now() - start);
  return out.generated_text;
}
for (const { file, text, kind } of manifest) {
  const image = await RawImage.read(path.join(dir, file));
  let got;
  if (kind === 'page') {
    got = [];
    for (const box of cutLines(image)) got.push(await read(await image.crop(box)));
    got = got.join('\n');
  } else {
    got = await read(image);
  }
  const ok = got === text;
  count[kind][0] += ok;
  count[kind][1] += 1;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${kind} ${file}: ${JSON.stringify(got)}${ok ? '' : ` (expected ${JSON.stringify(text)})`}`);
}
const warm = times.slice(1);
console.log(`time per line: first ${times[0].toFixed(1)} ms, mean of rest ${(warm.reduce((a, b) => a + b, 0) / Math.max(1, warm.length)).toFixed(1)} ms`);
for (const [k, [ok, n]] of Object.entries(count)) if (n) console.log(`${k}: ${ok}/${n} exact`);
const failures = count.line[1] - count.line[0] + count.page[1] - count.page[0];
console.log(failures ? `${failures} handwriting FAILED` : 'all handwriting PASS');
process.exit(failures ? 1 : 0);
