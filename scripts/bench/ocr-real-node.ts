/**
 * `npm run bench:ocr:real [-- PRED_DIR] [--only PREFIX[,PREFIX…]] [--tesseract] [--quiet]`: the fast,
 * Node-only check on the real-world OCR set (see real-world.ts), for iterating on lib/ocr. Runs
 * `recognizeText` on onnxruntime-node (the models of tests/support/ocr-node.ts), images decoded with sharp
 * to RGBA, and prints per-image and per-category CER scored exactly as the set's score.sh does, total and
 * median time per image, and this process's peak RSS.
 *
 * PRED_DIR (optional): writes each prediction, as read, to PRED_DIR/NAME.txt (`score.sh PRED_DIR` gives the
 * same numbers). --only: images whose name starts with one of the prefixes (`scan`, `receipt_sroie`, …).
 * --tesseract: also runs native Tesseract 5 single-threaded on each image (slow; predictions to
 * PRED_DIR/tesseract/ when PRED_DIR is given). The set's folder is ALTSIGHT_OCR_REAL_DIR or ../shared/ocr-real;
 * ALTSIGHT_OCR_OPTIONS (JSON) overrides pipeline options, to compare a setting against the defaults.
 *
 * Numbers here are onnxruntime-node's, not the extension's (onnxruntime-web in Chromium): `npm run bench:ocr`
 * measures those.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { recognizeText, type OcrOptions, type RgbaImage } from '../../lib/ocr';
import { loadNodeOcr } from '../../tests/support/ocr-node';
import { listRealWorld, missingRealWorldMessage, realCategoryRows, realWorldDir, scoreReal, tesseractLangFor, type RealScore } from './real-world';
import { median } from './report';

interface Args {
  predDir: string | null;
  only: string[];
  tesseract: boolean;
  quiet: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { predDir: null, only: [], tesseract: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--tesseract') args.tesseract = true;
    else if (a === '--quiet' || a === '-q') args.quiet = true;
    else if (a === '--only') args.only.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (a.startsWith('--only=')) args.only.push(...a.slice('--only='.length).split(',').filter(Boolean));
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench:ocr:real -- [PRED_DIR] [--only PREFIX[,PREFIX…]] [--tesseract] [--quiet]');
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a} (try --help)`);
    else if (args.predDir === null) args.predDir = resolve(a);
    else throw new Error(`one PRED_DIR only (got ${args.predDir} and ${a})`);
  }
  return args;
}

/** ALTSIGHT_OCR_OPTIONS='{"detectionTileMaxPixels":400000}': pipeline options to try against the defaults. */
function ocrOverrides(): Partial<OcrOptions> {
  return JSON.parse(process.env.ALTSIGHT_OCR_OPTIONS ?? '{}') as Partial<OcrOptions>;
}

async function decodeRgba(path: string): Promise<RgbaImage> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), widthPx: info.width, heightPx: info.height };
}

const f3 = (x: number) => x.toFixed(3);
const f4 = (x: number) => x.toFixed(4);
const pad = (s: string | number, n: number) => String(s).padEnd(n);
const padL = (s: string | number, n: number) => String(s).padStart(n);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = realWorldDir();
  const all = listRealWorld(dir);
  if (!all) {
    console.error(missingRealWorldMessage(dir));
    process.exit(2);
  }
  const images = args.only.length ? all.filter((im) => args.only.some((p) => im.name.startsWith(p))) : all;
  if (images.length === 0) throw new Error(`no image in ${dir} starts with ${args.only.join(' or ')}`);
  if (args.predDir) mkdirSync(args.predDir, { recursive: true });
  const tesseractDir = args.predDir && args.tesseract ? join(args.predDir, 'tesseract') : null;
  if (tesseractDir) mkdirSync(tesseractDir, { recursive: true });
  // Only needed with --tesseract; imported late so the plain run has no apt side effects.
  const tess = args.tesseract ? await import('./tesseract') : null;
  tess?.ensureTesseract();

  const loadStart = performance.now();
  const ocr = await loadNodeOcr();
  const loadMs = performance.now() - loadStart;
  console.log(`${images.length} images from ${dir}; models loaded in ${(loadMs / 1000).toFixed(1)} s (onnxruntime-node)`);
  if (!args.quiet) {
    console.log(`\n${pad('image', 26)}${padL('px', 9)}${padL('gt', 6)}${padL('cer', 8)}${padL('cer_lo', 8)}${padL('ms', 8)}${args.tesseract ? `${padL('tess cer', 10)}${padL('tess ms', 9)}` : ''}`);
  }

  const ours: { category: string; score: RealScore; ms: number }[] = [];
  const theirs: { category: string; score: RealScore; ms: number }[] = [];
  const failures: string[] = [];
  for (const image of images) {
    let text = '';
    let ms = Number.NaN;
    try {
      const rgba = await decodeRgba(image.path);
      const started = performance.now();
      text = (await recognizeText(rgba, ocr.models, ocr.dictionary, ocrOverrides())).text;
      ms = performance.now() - started;
    } catch (error) {
      failures.push(`${image.name}: ${(error as Error).stack ?? String(error)}`);
    }
    if (args.predDir) writeFileSync(join(args.predDir, `${image.name}.txt`), text);
    const score = scoreReal(image.name, text, image.truth);
    ours.push({ category: image.category, score, ms });
    let tessCells = '';
    if (tess) {
      const t = await tess.runTesseract(image.path, tesseractLangFor(image.name), { singleThread: true });
      if (tesseractDir) writeFileSync(join(tesseractDir, `${image.name}.txt`), t.text);
      const ts = scoreReal(image.name, t.text, image.truth);
      theirs.push({ category: image.category, score: ts, ms: t.ms });
      tessCells = `${padL(f3(ts.cer), 10)}${padL(t.ms.toFixed(0), 9)}`;
    }
    if (!args.quiet) {
      const mp = ((image.widthPx * image.heightPx) / 1e6).toFixed(2) + 'MP';
      console.log(`${pad(image.name, 26)}${padL(mp, 9)}${padL(score.gtChars, 6)}${padL(f3(score.cer), 8)}${padL(f3(score.cerLo), 8)}${padL(Number.isNaN(ms) ? 'fail' : ms.toFixed(0), 8)}${tessCells}`);
    }
  }

  const rows = realCategoryRows(ours);
  const tessRows = tess ? new Map(realCategoryRows(theirs).map((r) => [r.category, r])) : null;
  console.log(`\n${pad('category', 10)}${padL('n', 3)}${padL('mean_cer', 10)}${padL('mean_cer_lo', 13)}${tessRows ? `${padL('tess_cer', 10)}${padL('ratio', 7)}` : ''}`);
  for (const r of rows) {
    const t = tessRows?.get(r.category);
    const tessCells = t ? `${padL(f4(t.meanCer), 10)}${padL(t.meanCer > 0 ? (r.meanCer / t.meanCer).toFixed(2) : '—', 7)}` : '';
    console.log(`${pad(r.category, 10)}${padL(r.n, 3)}${padL(f4(r.meanCer), 10)}${padL(f4(r.meanCerLo), 13)}${tessCells}`);
  }
  const times = ours.map((o) => o.ms).filter((ms) => !Number.isNaN(ms));
  const total = times.reduce((s, ms) => s + ms, 0);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    `\nOCR time: total ${(total / 1000).toFixed(1)} s, median ${median(times).toFixed(0)} ms/image, max ${Math.max(...times).toFixed(0)} ms (decode excluded)` +
      (tess ? `; Tesseract (1 thread) median ${median(theirs.map((t) => t.ms)).toFixed(0)} ms/image` : ''),
  );
  console.log(`peak RSS of this Node process: ${maxRssMb.toFixed(0)} MB (models, sharp and all images; not the extension's memory)`);
  const all_ = rows[rows.length - 1]!;
  console.log(`mean_cer_lo=${f4(all_.meanCerLo)}\nmean_cer=${f4(all_.meanCer)}`);
  if (args.predDir) console.log(`predictions in ${args.predDir}${existsSync(join(dir, 'score.sh')) ? ` (check: ${join(dir, 'score.sh')} ${args.predDir})` : ''}`);
  if (failures.length) {
    console.error(`\n${failures.length} image(s) failed (scored as empty):\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
