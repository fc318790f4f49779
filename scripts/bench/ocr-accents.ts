/**
 * `npm run bench:ocr:accents [-- --show]`: does the OCR keep accents, and does it invent them? Runs
 * `recognizeText` on onnxruntime-node (tests/support/ocr-node.ts) over every image of the accents set
 * (tests/fixtures/ocr-accents/, scripts/ocr-fixtures/accent-fixtures.ts), each decoded as the integration
 * test decodes it (readPng), and prints per image and in total the CER (tests/support/cer.ts) and an accent score from a character
 * alignment (Levenshtein, on the CER's normalised text) of truth and prediction:
 *
 * - kept: an accented truth letter aligned to the same letter;
 * - lost: aligned to its base letter (é→e, Ç→C; base = first code point of its NFD);
 * - wrong: aligned to another accented letter of the same base (é→è);
 * - other: aligned to anything else, or to nothing (counted in N, not in kept/lost/wrong);
 * - false: an unaccented truth letter aligned to an accented letter. `plain` images hold no accent at all.
 *
 * ALTSIGHT_OCR_OPTIONS (JSON) overrides pipeline options, as in ocr-real-node.ts. --show prints each prediction;
 * --write puts the totals in docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recognizeText, type OcrOptions } from '../../lib/ocr';
import { accentScore, type AccentScore } from '../../tests/support/accent-score';
import { cerCounts } from '../../tests/support/cer';
import { loadNodeOcr, readPng } from '../../tests/support/ocr-node';
import { OCR_ACCENTS_DIR } from '../../tests/support/servers';
import { writeBenchmarkSection } from './report';

const SET_DIR = OCR_ACCENTS_DIR;

interface ManifestEntry {
  file: string;
  category: string;
  text: string;
}

const ocrOverrides = () => JSON.parse(process.env.ALTSIGHT_OCR_OPTIONS ?? '{}') as Partial<OcrOptions>;
const row = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[0]!) : String(c).padStart(widths[i]!))).join('');
const WIDTHS = [38, 9, 6, 7, 5, 5, 5, 6, 6, 6, 7];

async function main(): Promise<void> {
  const show = process.argv.includes('--show');
  const manifest = JSON.parse(readFileSync(join(SET_DIR, 'manifest.json'), 'utf8')) as ManifestEntry[];
  const ocr = await loadNodeOcr();
  console.log(`${manifest.length} images from ${SET_DIR}\n`);
  console.log(row(['image', 'category', 'gt', 'cer', 'N', 'kept', 'lost', 'wrong', 'other', 'false', 'ms'], WIDTHS));
  const total: AccentScore = { n: 0, kept: 0, lost: 0, wrong: 0, other: 0, false: 0 };
  let [edits, truthLength, plainFalse] = [0, 0, 0];
  for (const entry of manifest) {
    const rgba = await readPng(join(SET_DIR, entry.file));
    const started = performance.now();
    const predicted = (await recognizeText(rgba, ocr.models, ocr.dictionary, ocrOverrides())).text;
    const ms = performance.now() - started;
    const c = cerCounts(predicted, entry.text);
    const s = accentScore(entry.text, predicted);
    edits += c.edits;
    truthLength += c.truthLength;
    for (const k of Object.keys(total) as (keyof AccentScore)[]) total[k] += s[k];
    if (entry.category === 'plain') plainFalse += s.false;
    const cer = (c.edits / c.truthLength).toFixed(3);
    console.log(row([entry.file, entry.category, c.truthLength, cer, s.n, s.kept, s.lost, s.wrong, s.other, s.false, ms.toFixed(0)], WIDTHS));
    if (show) console.log(`  > ${predicted.replace(/\n/g, '\n  > ')}`);
  }
  console.log(`\npooled CER ${(edits / truthLength).toFixed(4)} (${edits} edits / ${truthLength} chars)`);
  console.log(`accents kept ${total.kept}/${total.n}, lost ${total.lost}, wrong ${total.wrong}, false ${total.false} (plain images: ${plainFalse})`);
  if (!process.argv.includes('--write')) return;
  writeBenchmarkSection(
    'ocr-accents',
    [
      '## OCR: accents (rendered set, onnxruntime-node)',
      '',
      `Written by \`npm run bench:ocr:accents -- --write\` on ${new Date().toISOString().slice(0, 10)}. ${manifest.length} images in \`tests/fixtures/ocr-accents/\` (French, Spanish, Portuguese, German and Italian signs, menus, forms and paragraphs in six fonts, 12-22 px, italic, bold, capitals, low contrast, light on dark; and ${manifest.filter((e) => e.category === 'plain').length} of plain English to catch invented accents), read by the pipeline the engine host runs, on onnxruntime-node. Each accented letter of the truth, lined up with the reading: kept, lost (its base letter), wrong (another accent on the same letter), other (anything else or nothing); false = an accent written over a plain letter.`,
      '',
      '| accented letters | kept | lost | wrong | other | false | pooled CER |',
      '|---|---|---|---|---|---|---|',
      `| ${total.n} | ${total.kept} | ${total.lost} | ${total.wrong} | ${total.other} | ${total.false} | ${(edits / truthLength).toFixed(4)} |`,
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
