/**
 * Native Tesseract 5 (Debian's `tesseract-ocr`), the reference our OCR pipeline has to beat on the
 * test set in tests/fixtures/ocr/. One process per image, default page segmentation (psm 3), LSTM.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TESSERACT_PATH = '/usr/bin/tesseract';
// GNU time reports the peak resident set and CPU time of the process it runs; without it both are unknown.
const GNU_TIME_PATH = '/usr/bin/time';
const DEBIAN_PACKAGES = ['tesseract-ocr', 'tesseract-ocr-chi-sim'];
const REQUIRED_LANGS = ['eng', 'chi_sim'];

export interface TesseractResult {
  text: string;
  /** Wall clock for the whole process: start-up, model load and recognition. */
  ms: number;
  /** Peak resident set size in KiB, or null when /usr/bin/time is missing (Debian package `time`). */
  peakRssKb: number | null;
  /** User + system CPU time, all threads; steadier than `ms` on a busy machine. Null without /usr/bin/time. */
  cpuMs: number | null;
}

function installedLangs(): string[] {
  try {
    // Prints "List of available languages in ...:" then one code a line.
    return execFileSync(TESSERACT_PATH, ['--list-langs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Installs Tesseract with English and Simplified Chinese through apt when either is missing. */
export function ensureTesseract(): void {
  const missing = () => !existsSync(TESSERACT_PATH) || REQUIRED_LANGS.some((lang) => !installedLangs().includes(lang));
  if (!missing()) return;
  const asRoot = process.getuid?.() === 0;
  const [command, args] = asRoot
    ? ['apt-get', ['install', '-y', ...DEBIAN_PACKAGES]]
    : ['sudo', ['-n', 'apt-get', 'install', '-y', ...DEBIAN_PACKAGES]];
  try {
    execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    throw new Error(
      `Tesseract with ${REQUIRED_LANGS.join(' and ')} is needed and could not be installed (${(error as Error).message}). ` +
        `Install it yourself: apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`,
    );
  }
  if (missing()) throw new Error(`apt-get finished but ${TESSERACT_PATH} still lacks ${REQUIRED_LANGS.join(' or ')}`);
}

export interface TesseractOptions {
  /**
   * One thread (`OMP_THREAD_LIMIT=1`) and page segmentation stated explicitly (`--psm 3`, fully automatic,
   * the default): how the real-world comparison runs it, so its time is one core's.
   */
  singleThread?: boolean;
}

/** OCRs one image; `lang` is Tesseract's, e.g. `eng` or `eng+chi_sim`. */
export async function runTesseract(pngPath: string, lang: string, options: TesseractOptions = {}): Promise<TesseractResult> {
  const measureUsage = existsSync(GNU_TIME_PATH);
  const scratch = mkdtempSync(join(tmpdir(), 'altsight-tesseract-'));
  const usageFile = join(scratch, 'usage');
  const tesseractArgs = [pngPath, 'stdout', ...(options.singleThread ? ['--psm', '3'] : []), '-l', lang];
  const env = options.singleThread ? { ...process.env, OMP_THREAD_LIMIT: '1' } : process.env;
  const [command, args] = measureUsage
    ? [GNU_TIME_PATH, ['-f', '%M %U %S', '-o', usageFile, TESSERACT_PATH, ...tesseractArgs]]
    : [TESSERACT_PATH, tesseractArgs];
  try {
    const started = performance.now();
    const text = await new Promise<string>((resolve, reject) => {
      execFile(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env }, (error, stdout, stderr) => {
        if (error) reject(new Error(`tesseract failed on ${pngPath}: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      });
    });
    const ms = performance.now() - started;
    const [peakRssKb, userS, systemS] = measureUsage ? readFileSync(usageFile, 'utf8').trim().split(/\s+/).map(Number) : [];
    const known = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value : null);
    const cpuS = known(userS) !== null && known(systemS) !== null ? userS! + systemS! : null;
    // Tesseract ends the page with a form feed; it is not text.
    return { text: text.replace(/\f/g, '').trimEnd(), ms, peakRssKb: known(peakRssKb), cpuMs: cpuS === null ? null : cpuS * 1000 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
