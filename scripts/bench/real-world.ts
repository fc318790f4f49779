/**
 * The real-world OCR set (scans, receipts, screenshots, photos, handwriting nobody on this project made),
 * read from outside the project at bench time: `../shared/ocr-real` next to the repository, or
 * `ALTSIGHT_OCR_REAL_DIR`. Its images and text are never copied into the project (several sources are
 * GPL/AGPL or research-only); see that folder's README.md.
 *
 * Scoring is the folder's own `score.sh`/`score.mjs`, reimplemented here so a benchmark can score in
 * process: predictions for `receipt_sroie_*` are upper-cased (SROIE's truth is all upper case), both
 * strings have a leading BOM dropped and every whitespace run collapsed to one space, then trimmed;
 * CER = Levenshtein distance in code points / truth length. No NFKC or quote folding (unlike
 * tests/support/cer.ts, which would score some of these images differently). `cerLo` is score.mjs's
 * line-order-insensitive variant. Category = file name up to its first `_`; category and overall figures
 * are plain means of per-image CER, as score.mjs prints them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { ROOT } from '../../tests/support/servers';

export const REAL_DIR_ENV = 'ALTSIGHT_OCR_REAL_DIR';

export function realWorldDir(): string {
  return resolve(process.env[REAL_DIR_ENV] || join(ROOT, '../shared/ocr-real'));
}

export interface RealImage {
  /** File name without `.png`, e.g. `scan_unlv_8087_054`. */
  name: string;
  category: string;
  path: string;
  truth: string;
  widthPx: number;
  heightPx: number;
}

/** Every NAME.png with a NAME.txt beside it, sorted by name (score.mjs's order), or null when the folder is missing. */
export function listRealWorld(dir = realWorldDir()): RealImage[] | null {
  if (!existsSync(dir)) return null;
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.txt') && existsSync(join(dir, `${f.slice(0, -4)}.png`)))
    .map((f) => f.slice(0, -4))
    .sort();
  if (names.length === 0) return null;
  return names.map((name) => {
    const path = join(dir, `${name}.png`);
    // PNG: 8-byte signature, IHDR length and type, then width and height (big-endian).
    const head = readFileSync(path).subarray(16, 24);
    return {
      name,
      category: name.split('_')[0]!,
      path,
      truth: readFileSync(join(dir, `${name}.txt`), 'utf8'),
      widthPx: head.readUInt32BE(0),
      heightPx: head.readUInt32BE(4),
    };
  });
}

/** What the set's README says to do when it is absent. */
export function missingRealWorldMessage(dir = realWorldDir()): string {
  return `Real-world OCR set not found at ${dir} (no NAME.png + NAME.txt pairs): skipping the real-world section. Set ${REAL_DIR_ENV} to the folder.`;
}

/** Tesseract's language for an image: eng, plus Simplified Chinese for the one sign that has it. */
export const tesseractLangFor = (name: string) => (name === 'photo_yuyuan_sign' ? 'eng+chi_sim' : 'eng');

// ---------------------------------------------------------------------------------------------------
// Scoring, as ../shared/ocr-real/score.sh + score.mjs
// ---------------------------------------------------------------------------------------------------

/** score.sh: SROIE's ground truth is all upper case, so those predictions are upper-cased first. */
export const prepareRealPrediction = (name: string, predicted: string) =>
  /^receipt_sroie_/.test(name) ? predicted.toUpperCase() : predicted;

const norm = (s: string) => s.replace(/^\uFEFF/, '').replace(/\s+/gu, ' ').trim();
const splitLines = (s: string) =>
  s
    .replace(/^\uFEFF/, '')
    .split(/\r\n|[\n\r\f\v\u2028\u2029\x85]/u)
    .map(norm)
    .filter(Boolean);

function levenshtein(a: string, b: string): number {
  const A = Array.from(a);
  const B = Array.from(b);
  if (A.length === 0) return B.length;
  if (B.length === 0) return A.length;
  let prev = new Uint32Array(B.length + 1).map((_, j) => j);
  let cur = new Uint32Array(B.length + 1);
  for (let i = 1; i <= A.length; i++) {
    cur[0] = i;
    const ai = A[i - 1];
    for (let j = 1; j <= B.length; j++) {
      cur[j] = Math.min(prev[j - 1]! + (ai === B[j - 1] ? 0 : 1), prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[B.length]!;
}

/** Edit distance of `p` against the best-matching substring of `g` (free start and end in g). */
function substringDistance(p: string, g: string): number {
  const P = Array.from(p);
  const G = Array.from(g);
  let prev = new Uint32Array(G.length + 1);
  let cur = new Uint32Array(G.length + 1);
  for (let i = 1; i <= P.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= G.length; j++) {
      cur[j] = Math.min(prev[j - 1]! + (P[i - 1] === G[j - 1] ? 0 : 1), prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return Math.min(...prev);
}

/** Predicted lines stably re-ordered by the ground-truth line each one best matches, joined by one space. */
function reorderByGt(predRaw: string, gtRaw: string): string {
  const P = splitLines(predRaw);
  const G = splitLines(gtRaw);
  if (G.length === 0) return P.join(' ');
  const keyed = P.map((p, k) => {
    let best = 0;
    let bestD = Infinity;
    G.forEach((g, gi) => {
      const d = substringDistance(p, g);
      if (d < bestD) {
        bestD = d;
        best = gi;
      }
    });
    return { p, gi: best, k };
  });
  keyed.sort((a, b) => a.gi - b.gi || a.k - b.k);
  return keyed.map((x) => x.p).join(' ');
}

export interface RealScore {
  gtChars: number;
  edits: number;
  cer: number;
  /** Line-order-insensitive CER (never above `cer`). */
  cerLo: number;
}

/** One image's score, exactly as score.sh would give it for this raw prediction (upper-casing included). */
export function scoreReal(name: string, predictedRaw: string, truthRaw: string): RealScore {
  const predRaw = prepareRealPrediction(name, predictedRaw);
  const gt = norm(truthRaw);
  const pred = norm(predRaw);
  const gtChars = Array.from(gt).length;
  const rate = (e: number, p: string) => (gtChars ? e / gtChars : Array.from(p).length ? 1 : 0);
  const edits = levenshtein(pred, gt);
  const cer = rate(edits, pred);
  const predLo = reorderByGt(predRaw, truthRaw);
  return { gtChars, edits, cer, cerLo: Math.min(cer, rate(levenshtein(predLo, gt), predLo)) };
}

export interface CategoryRow {
  category: string;
  n: number;
  meanCer: number;
  meanCerLo: number;
}

/** Per category (sorted by name) and, last, `all`: plain means of per-image CER. */
export function realCategoryRows(scored: readonly { category: string; score: RealScore }[]): CategoryRow[] {
  const row = (category: string, group: readonly { score: RealScore }[]): CategoryRow => ({
    category,
    n: group.length,
    meanCer: group.reduce((s, g) => s + g.score.cer, 0) / group.length,
    meanCerLo: group.reduce((s, g) => s + g.score.cerLo, 0) / group.length,
  });
  const categories = [...new Set(scored.map((s) => s.category))].sort();
  return [...categories.map((c) => row(c, scored.filter((s) => s.category === c))), row('all', scored)];
}

// ---------------------------------------------------------------------------------------------------
// Serving the folder to the browser
// ---------------------------------------------------------------------------------------------------

/** A static server for the set's PNGs only (GET /NAME.png), on loopback, for the engine to fetch. */
export async function serveRealWorld(dir = realWorldDir()): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    if (!/^[\w.-]+\.png$/.test(name)) return void res.writeHead(404).end();
    readFile(join(dir, name)).then(
      (body) =>
        res
          .writeHead(200, {
            'content-type': 'image/png',
            'content-length': String(body.length),
            'cross-origin-resource-policy': 'cross-origin',
            'cache-control': 'no-store',
          })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
