#!/usr/bin/env node
// Loads the fixture VLM (SmolVLM / Idefics3 layout) with transformers.js in Node (onnxruntime-node CPU)
// and asks every question, alone and as a follow-up, about every image in tests/fixtures/images/manifest.json.
//
//   node scripts/vlm-model/check.mjs                  # tiny model: PASS/FAIL per question, exit 1 on a mismatch
//   node scripts/vlm-model/check.mjs --standin        # random-weight SmolVLM-256M stand-in: load + generate() timing
//   node scripts/vlm-model/check.mjs --models DIR     # look for altsight-test/tiny-shapes-vlm under DIR instead
import { AutoModelForImageTextToText, AutoProcessor, env, RawImage } from '@huggingface/transformers';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const imagesDir = path.join(root, 'tests', 'fixtures', 'images');
const standin = process.argv.includes('--standin');
const modelsArg = process.argv.indexOf('--models');

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath =
  modelsArg > 0
    ? path.resolve(process.argv[modelsArg + 1])
    : standin
      ? path.join(root, 'scripts', 'bench', '.models')
      : path.join(root, 'tests', 'fixtures', 'models');
const modelId = standin ? 'altsight-bench/smolvlm-standin' : 'altsight-test/tiny-shapes-vlm';

const Q_COLOUR = 'What colour is the shape?';
const Q_SHAPE = 'What shape is it?';
const Q_DESCRIBE = 'Describe this image in detail.';
const QUESTIONS = [Q_COLOUR, Q_SHAPE, Q_DESCRIBE];

function answer(question, colour, shape) {
  if (question === Q_COLOUR) return colour;
  if (question === Q_SHAPE) return shape;
  const article = /^[aeiou]/.test(colour) ? 'An' : 'A';
  return `${article} ${colour} ${shape} on a plain light background. It is the only thing in the picture.`;
}

/** SmolVLM chat messages: the image goes with the first question; earlier answers are in the history. */
function messagesFor(turns, colour, shape) {
  const messages = [];
  turns.forEach((q, i) => {
    messages.push({ role: 'user', content: [...(i === 0 ? [{ type: 'image' }] : []), { type: 'text', text: q }] });
    if (i < turns.length - 1) messages.push({ role: 'assistant', content: [{ type: 'text', text: answer(q, colour, shape) }] });
  });
  return messages;
}

const t0 = performance.now();
const processor = await AutoProcessor.from_pretrained(modelId);
const model = await AutoModelForImageTextToText.from_pretrained(modelId, { dtype: 'fp32', device: 'cpu' });
console.log(`loaded ${modelId} in ${(performance.now() - t0).toFixed(0)} ms`);

async function ask(image, messages, maxNewTokens) {
  const text = processor.apply_chat_template(messages, { add_generation_prompt: true });
  const inputs = await processor(text, [image]);
  const out = await model.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false });
  const promptLength = inputs.input_ids.dims.at(-1);
  const [decoded] = processor.batch_decode(out.slice(null, [promptLength, null]), { skip_special_tokens: true });
  return { text: decoded.trim(), promptTokens: promptLength, newTokens: out.dims.at(-1) - promptLength };
}

const manifest = JSON.parse(await readFile(path.join(imagesDir, 'manifest.json'), 'utf8'));

if (standin) {
  const image = await RawImage.read(path.join(imagesDir, manifest[0].file));
  for (const maxNewTokens of [1, 16, 16]) {
    const start = performance.now();
    const { promptTokens, newTokens, text } = await ask(image, messagesFor([Q_DESCRIBE], 'red', 'circle'), maxNewTokens);
    console.log(
      `generate(): ${promptTokens} prompt tokens + ${newTokens} new in ${(performance.now() - start).toFixed(0)} ms ${JSON.stringify(text.slice(0, 30))}`,
    );
  }
  await model.dispose();
  console.log('standin OK');
  process.exit(0);
}

const kinds = [...QUESTIONS.map((q) => [q]), ...QUESTIONS.flatMap((a) => QUESTIONS.map((b) => [a, b]))];
let failures = 0;
let asked = 0;
const times = [];
for (const { file, caption } of manifest) {
  const [, colour, shape] = caption.split(' ');
  const image = await RawImage.read(path.join(imagesDir, file));
  for (const turns of kinds) {
    const want = answer(turns.at(-1), colour, shape);
    const start = performance.now();
    let got;
    try {
      got = (await ask(image, messagesFor(turns, colour, shape), 40)).text;
    } catch (err) {
      got = `ERROR: ${err.message}`;
    }
    times.push(performance.now() - start);
    asked++;
    const ok = got === want;
    if (!ok) failures++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${file} [${turns.join(' | ')}]: ${JSON.stringify(got)}${ok ? '' : ` (expected ${JSON.stringify(want)})`}`);
  }
}
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(`${asked} questions, mean ${mean.toFixed(1)} ms per answer`);
console.log(failures ? `${failures} FAILED` : 'all PASS');
await model.dispose();
process.exit(failures ? 1 : 0);
