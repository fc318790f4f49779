/**
 * Renders an OCR fixture set in Debian's Chromium and writes <dir>/<category>/<name>.png and
 * <dir>/manifest.json:
 *
 *   npx vite-node scripts/ocr-fixtures/render.ts                   # test set: fixtures.ts -> tests/fixtures/ocr/
 *   npx vite-node scripts/ocr-fixtures/render.ts --set validation  # validation-fixtures.ts -> tests/fixtures/ocr-validation/
 *   npx vite-node scripts/ocr-fixtures/render.ts --set symbols     # symbol-fixtures.ts -> tests/fixtures/ocr-symbols/
 *   npx vite-node scripts/ocr-fixtures/render.ts --set accents     # accent-fixtures.ts -> tests/fixtures/ocr-accents/
 *   npx vite-node scripts/ocr-fixtures/render.ts --category multicolumn [--set validation]
 *       # only that category (repeatable): its images are rewritten and its manifest entries replaced (or
 *       # appended, in fixture order, after the others); every other image and entry is left as it is
 *
 * `OCR_FIXTURE_SET=validation` does the same as `--set validation`.
 *
 * The ground truth is read back from Chromium's layout (one line per visual line, reading order),
 * so wrapping never drifts from the text file. See README.md for fonts and conventions.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ACCENT_FIXTURES } from './accent-fixtures';
import { FIXTURES, type OcrFixture } from './fixtures';
import { SYMBOL_FIXTURES } from './symbol-fixtures';
import { VALIDATION_FIXTURES } from './validation-fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
/** The sets this script renders: `test` is what the pipeline is tuned on, `validation` is held out (README.md). */
const SETS = {
  test: { fixtures: FIXTURES, dir: 'tests/fixtures/ocr' },
  validation: { fixtures: VALIDATION_FIXTURES, dir: 'tests/fixtures/ocr-validation' },
  symbols: { fixtures: SYMBOL_FIXTURES, dir: 'tests/fixtures/ocr-symbols' },
  accents: { fixtures: ACCENT_FIXTURES, dir: 'tests/fixtures/ocr-accents' },
} satisfies Record<string, { fixtures: OcrFixture[]; dir: string }>;
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEWPORT = { width: 900, height: 700 };

export interface OcrManifestEntry {
  /** Relative to the set's folder (tests/fixtures/ocr/ or tests/fixtures/ocr-validation/). */
  file: string;
  category: string;
  /** One visual line per `\n`, in reading order; table cells joined by one space; code keeps its indentation. */
  text: string;
  notes: string;
  /** Font families Chromium actually drew the text with. */
  fonts: string[];
  deviceScaleFactor: number;
  width: number;
  height: number;
}

function pageHtml(fixture: OcrFixture): string {
  return `<!doctype html><html lang="${fixture.lang ?? 'en'}"><head><meta charset="utf-8"><style>
    html, body { margin: 0; background: #fff; }
    body { padding: 24px; }
    #shot { display: inline-block; box-sizing: content-box; font-family: "${fixture.font}"; }
    ${fixture.css}
  </style></head><body><div id="shot">${fixture.html}</div></body></html>`;
}

interface LayoutLines {
  lines: string[];
  /** Tokens that fall outside #shot and so would be cut from the screenshot. */
  clipped: string[];
}

/**
 * Runs in the page. Splits every text node into tokens (a Latin word, or one CJK character, since
 * Chinese may wrap between any two), takes each token's box, groups boxes into lines by vertical
 * centre and orders each line left to right. Tokens are joined by a space where the source had
 * whitespace between them, or, across elements (table cells, label and value), where the gap on
 * screen is wider than a fifth of the font size.
 *
 * With `blockSelector` (a fixture's `readingBlocks`), the elements it matches are read one after the
 * other in document order, each top to bottom on its own: a page's columns, in reading order, rather
 * than lines across the gutter. Every token must then lie in exactly one such block.
 */
function readLayoutLines(blockSelector?: string): LayoutLines {
  const root = document.getElementById('shot')!;
  const blocks = blockSelector ? [...root.querySelectorAll(blockSelector)] : [root];
  if (blocks.length === 0) throw new Error(`no element under #shot matches ${blockSelector}`);
  const bounds = root.getBoundingClientRect();
  const cjk = '\\u2E80-\\u2FFF\\u3000-\\u30FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\uFE30-\\uFE4F\\uFF00-\\uFFEF';
  const tokenPattern = new RegExp(`[${cjk}]|[^\\s${cjk}]+`, 'gu');
  interface Token {
    text: string;
    rect: DOMRect;
    fontPx: number;
    node: number;
    start: number;
    end: number;
    source: string;
    block: number;
  }
  const tokens: Token[] = [];
  const clipped: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node = 0;
  for (let text = walker.nextNode() as Text | null; text; text = walker.nextNode() as Text | null, node++) {
    const fontPx = parseFloat(getComputedStyle(text.parentElement!).fontSize);
    const inBlocks = blocks.flatMap((b, i) => (b.contains(text) ? [i] : []));
    if (text.data.trim() && inBlocks.length !== 1) throw new Error(`"${text.data.trim()}" lies in ${inBlocks.length} reading blocks, not one`);
    const block = inBlocks[0] ?? 0;
    for (const match of text.data.matchAll(tokenPattern)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (rects.length !== 1) throw new Error(`"${match[0]}" is drawn as ${rects.length} boxes (wrapped or hidden)`);
      const rect = rects[0]!;
      if (rect.left < bounds.left - 0.5 || rect.right > bounds.right + 0.5 || rect.top < bounds.top - 0.5 || rect.bottom > bounds.bottom + 0.5) {
        clipped.push(match[0]);
      }
      tokens.push({ text: match[0], rect, fontPx, node, start: match.index, end: match.index + match[0].length, source: text.data, block });
    }
  }
  const centre = (t: Token) => (t.rect.top + t.rect.bottom) / 2;
  const lines: Token[][] = [];
  for (let block = 0; block < blocks.length; block++) {
    const byCentre = tokens.filter((t) => t.block === block).sort((a, b) => centre(a) - centre(b));
    let line: Token[] | undefined;
    for (const token of byCentre) {
      const band = line?.[0]?.rect;
      if (line && band && centre(token) >= band.top && centre(token) <= band.bottom) line.push(token);
      else lines.push((line = [token]));
    }
  }
  const joined = lines.map((line) => {
    line.sort((a, b) => a.rect.left - b.rect.left);
    let out = line[0]!.text;
    for (let i = 1; i < line.length; i++) {
      const [a, b] = [line[i - 1]!, line[i]!];
      const space =
        a.node === b.node && b.start >= a.end
          ? /\s/u.test(a.source.slice(a.end, b.start))
          : b.rect.left - a.rect.right > 0.2 * Math.min(a.fontPx, b.fontPx);
      out += (space ? ' ' : '') + b.text;
    }
    return out;
  });
  return { lines: joined, clipped };
}

/** Font families used for text anywhere under #shot, from the DevTools protocol (what was drawn, not what was asked). */
async function platformFonts(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '#shot, #shot *' });
  const families = new Set<string>();
  for (const nodeId of nodeIds) {
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    for (const font of fonts) families.add(font.familyName);
  }
  await cdp.detach();
  return [...families].sort();
}

// Transforms do not change layout, so lines are read with them off (a rotated line has no single top).
const TRANSFORMS_OFF = '#shot, #shot * { transform: none !important; }';

async function renderFixture(browser: Browser, fixture: OcrFixture, outDir: string): Promise<OcrManifestEntry> {
  const deviceScaleFactor = fixture.deviceScaleFactor ?? 1;
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor });
  try {
    const page = await context.newPage();
    await page.setContent(pageHtml(fixture), { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));

    const off = await page.addStyleTag({ content: TRANSFORMS_OFF });
    const layout = await page.evaluate(readLayoutLines, fixture.readingBlocks);
    await off.evaluate((style) => (style as HTMLStyleElement).remove());
    const transformed = await page.evaluate(readLayoutLines, fixture.readingBlocks);
    const clipped = [...layout.clipped, ...transformed.clipped];
    if (clipped.length > 0) throw new Error(`${fixture.name}: text outside the captured box: ${clipped.join(' ')}`);

    let text = layout.lines.join('\n');
    if (fixture.truth !== undefined) {
      const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
      if (collapse(fixture.truth) !== collapse(text) || fixture.truth.split('\n').length !== layout.lines.length) {
        throw new Error(`${fixture.name}: declared truth does not match the render:\n${text}`);
      }
      text = fixture.truth;
    }

    const fonts = await platformFonts(page);
    if (!fonts.includes(fixture.font)) {
      throw new Error(`${fixture.name}: drawn with ${fonts.join(', ')}, not ${fixture.font}; is its font package installed?`);
    }

    const file = `${fixture.category}/${fixture.name}.png`;
    const path = join(outDir, file);
    mkdirSync(dirname(path), { recursive: true });
    const shot = page.locator('#shot');
    const box = (await shot.boundingBox())!;
    await shot.screenshot({ path, animations: 'disabled', caret: 'hide' });
    return {
      file,
      category: fixture.category,
      text,
      notes: fixture.notes,
      fonts,
      deviceScaleFactor,
      width: Math.round(box.width * deviceScaleFactor),
      height: Math.round(box.height * deviceScaleFactor),
    };
  } finally {
    await context.close();
  }
}

function selectedSet(): { set: keyof typeof SETS; categories: string[] } {
  const { values } = parseArgs({ options: { set: { type: 'string' }, category: { type: 'string', multiple: true } } });
  const name = values.set ?? process.env.OCR_FIXTURE_SET ?? 'test';
  if (!Object.hasOwn(SETS, name)) throw new Error(`unknown fixture set "${name}"; expected one of ${Object.keys(SETS).join(', ')}`);
  return { set: name as keyof typeof SETS, categories: values.category ?? [] };
}

async function main() {
  const selected = selectedSet();
  const set = SETS[selected.set];
  const only = new Set(selected.categories);
  for (const c of only) if (!set.fixtures.some((f) => f.category === c)) throw new Error(`the ${selected.set} set has no category "${c}"`);
  const fixtures: OcrFixture[] = only.size ? set.fixtures.filter((f) => only.has(f.category)) : set.fixtures;
  const outDir = join(ROOT, set.dir);
  const names = new Set<string>();
  for (const f of fixtures) {
    const key = `${f.category}/${f.name}`;
    if (names.has(key)) throw new Error(`duplicate fixture ${key}`);
    names.add(key);
  }
  // Only what this script writes: README.md and anything else in the folder stays.
  for (const category of new Set(fixtures.map((f) => f.category))) rmSync(join(outDir, category), { recursive: true, force: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
  const manifest: OcrManifestEntry[] = [];
  try {
    for (const fixture of fixtures) manifest.push(await renderFixture(browser, fixture, outDir));
  } finally {
    await browser.close();
  }
  // With --category, the other categories' entries stay as they were, in their order; the rendered ones
  // replace theirs (or follow, when new).
  const kept = only.size
    ? (JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as OcrManifestEntry[]).filter((e) => !only.has(e.category))
    : [];
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify([...kept, ...manifest], null, 2)}\n`);
  let totalBytes = 0;
  for (const entry of manifest) {
    const bytes = statSync(join(outDir, entry.file)).size;
    totalBytes += bytes;
    console.log(`${entry.file.padEnd(42)} ${`${entry.width}x${entry.height}`.padStart(9)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB  ${entry.fonts.join(', ')}`);
  }
  console.log(`${manifest.length} images, ${(totalBytes / 1024).toFixed(0)} KiB`);
}

await main();
