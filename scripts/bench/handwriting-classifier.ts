/**
 * `npm run bench:handwriting`: how often the handwriting classifier (lib/ocr/handwriting.ts) is right.
 * Runs the OCR pipeline on onnxruntime-node over every image we have with a known answer: the rendered
 * test, validation and symbols sets (print), the synthetic handwriting fixtures (their `kind` says), and
 * the real-world set in ../shared/ocr-real when present (category `hand` is handwriting). Prints each
 * image's median line confidence and the confusion counts per set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDWRITTEN_MEDIAN_CONFIDENCE, looksHandwritten } from '../../lib/ocr/handwriting';
import { recognizeText } from '../../lib/ocr/pipeline';
import { loadNodeOcr, readPng } from '../../tests/support/ocr-node';
import { OCR_FIXTURES_DIR, OCR_SYMBOLS_DIR, OCR_VALIDATION_DIR, ROOT } from '../../tests/support/servers';
import { listRealWorld, realWorldDir } from './real-world';

interface Sample {
  set: string;
  name: string;
  path: string;
  handwritten: boolean;
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { file: string; kind?: string }[];

function samples(): Sample[] {
  const printed = (set: string, dir: string) => manifestOf(dir).map((e) => ({ set, name: e.file, path: join(dir, e.file), handwritten: false }));
  const handwritingDir = join(ROOT, 'tests/fixtures/handwriting');
  const all: Sample[] = [
    ...printed('rendered test set', OCR_FIXTURES_DIR),
    ...printed('rendered validation set', OCR_VALIDATION_DIR),
    ...printed('rendered symbols set', OCR_SYMBOLS_DIR),
    ...manifestOf(handwritingDir).map((e) => ({
      set: 'synthetic handwriting fixtures',
      name: e.file,
      path: join(handwritingDir, e.file),
      handwritten: e.kind !== 'printed-line',
    })),
  ];
  const real = listRealWorld();
  if (real) all.push(...real.map((r) => ({ set: 'real-world set', name: r.name, path: r.path, handwritten: r.category === 'hand' })));
  else console.log(`(no real-world set at ${realWorldDir()}: skipped)`);
  return all;
}

async function main(): Promise<void> {
  const { models, dictionary } = await loadNodeOcr();
  const bySet = new Map<string, { truePositive: number; falseNegative: number; trueNegative: number; falsePositive: number }>();
  for (const sample of samples()) {
    const result = await recognizeText(await readPng(sample.path), models, dictionary);
    const said = looksHandwritten(result.lines);
    const confidences = result.lines.map((l) => l.confidence).sort((a, b) => a - b);
    const median = confidences.length ? confidences[Math.floor(confidences.length / 2)]! : Number.NaN;
    const counts = bySet.get(sample.set) ?? { truePositive: 0, falseNegative: 0, trueNegative: 0, falsePositive: 0 };
    if (sample.handwritten) counts[said ? 'truePositive' : 'falseNegative']++;
    else counts[said ? 'falsePositive' : 'trueNegative']++;
    bySet.set(sample.set, counts);
    if (said !== sample.handwritten || sample.handwritten) {
      console.log(`${said === sample.handwritten ? 'ok  ' : 'MISS'} ${sample.set}: ${sample.name} (${result.lines.length} lines, median confidence ${median.toFixed(3)})`);
    }
  }
  console.log(`\nThreshold: median line confidence < ${HANDWRITTEN_MEDIAN_CONFIDENCE}\n`);
  console.log('| set | handwriting called handwriting | handwriting missed | print called print | print called handwriting | accuracy |');
  console.log('|---|---|---|---|---|---|');
  for (const [set, c] of bySet) {
    const total = c.truePositive + c.falseNegative + c.trueNegative + c.falsePositive;
    console.log(`| ${set} | ${c.truePositive} | ${c.falseNegative} | ${c.trueNegative} | ${c.falsePositive} | ${((100 * (c.truePositive + c.trueNegative)) / total).toFixed(0)}% |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
