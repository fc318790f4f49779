/**
 * The sha256 of every file of a model laid out as on the Hub (config.json, onnx/…), for a ModelPin
 * (lib/models.ts). The extension's test build pins the fixture model with it, so the integrity check
 * runs end to end there too:
 *
 *   const sha256ByFile = await sha256ByFileInFolder('tests/fixtures/models/altsight-test/tiny-shapes-captioner');
 *   // → { 'config.json': '…', 'onnx/encoder_model.onnx': '…', … }
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export async function sha256ByFileInFolder(folder: string): Promise<Record<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const sha256ByFile: Record<string, string> = {};
  for (const path of files.sort()) {
    // Keys are repository paths, with '/' on every platform, as transformers.js requests them.
    const file = relative(folder, path).split(sep).join('/');
    sha256ByFile[file] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return sha256ByFile;
}
