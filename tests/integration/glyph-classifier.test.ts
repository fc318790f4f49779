/**
 * The glyph classifier (scripts/glyph-model) on strips it never trained on, through the TypeScript side:
 * our ink runs must be the generator's, and our crop must give the classifier what it learned from, so
 * symbols are named and ordinary characters are not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { textLineTensor } from '@/lib/ocr/text-line-input';
import { glyphPixels, glyphTensor, inkRuns, symbolOf, type UnreadGlyph } from '@/lib/ocr/unread-glyphs';
import { inkProfile } from '@/lib/ocr/word-gaps';
import { recognizeText, type GlyphClassifier } from '@/lib/ocr';
import { loadNodeOcr, readPng } from '../support/ocr-node';
import { OCR_FIXTURES_DIR, ROOT } from '../support/servers';

const STRIPS_DIR = join(ROOT, 'tests/fixtures/glyph-strips');

interface StripEntry {
  file: string;
  spans: { x0: number; x1: number; label: string }[];
}

describe('glyph classifier on held-out strips', () => {
  let glyphs: GlyphClassifier;
  const manifest = JSON.parse(readFileSync(join(STRIPS_DIR, 'manifest.json'), 'utf8')) as StripEntry[];

  beforeAll(async () => {
    glyphs = (await loadNodeOcr()).models.glyphs!;
  });

  async function profileOf(file: string) {
    const rgba = await readPng(join(STRIPS_DIR, file));
    const rgb = new Uint8Array(rgba.widthPx * rgba.heightPx * 3);
    for (let i = 0; i < rgba.widthPx * rgba.heightPx; i++) rgb.set(rgba.data.subarray(i * 4, i * 4 + 3), i * 3);
    const input = textLineTensor([{ data: rgb, widthPx: rgba.widthPx, heightPx: rgba.heightPx }], rgba.widthPx);
    return inkProfile(input, 0, rgba.widthPx);
  }

  it('finds the same ink runs as the generator', async () => {
    const missed: string[] = [];
    let spans = 0;
    for (const entry of manifest) {
      const runs = inkRuns(await profileOf(entry.file));
      for (const span of entry.spans) {
        spans++;
        if (!runs.some((r) => r.x0 === span.x0 && r.x1 === span.x1)) missed.push(`${entry.file} ${span.x0}-${span.x1} ${JSON.stringify(runs.filter((r) => r.x1 >= span.x0 - 3 && r.x0 <= span.x1 + 3))}`);
      }
    }
    // Our background is a histogram median (to 1/256), the generator's numpy's exact one: a column right at
    // the ink threshold may fall either way. Measured: 1 of 559 runs one column wider.
    expect(missed.length, missed.join('\n')).toBeLessThanOrEqual(Math.ceil(spans / 100));
  });

  it('names the symbols and leaves ordinary characters alone', async () => {
    const spans: { label: string; glyph: UnreadGlyph }[] = [];
    for (const entry of manifest) {
      const profile = await profileOf(entry.file);
      for (const span of entry.spans) {
        const pixels = glyphPixels(profile, span);
        if (pixels) spans.push({ label: span.label, glyph: { ...span, pixels, textIndex: 0, replacesLookalike: false, spaceBefore: false, spaceAfter: false } });
      }
    }
    const logits = await glyphs.classify(glyphTensor(spans.map((s) => s.glyph)));
    const answers = spans.map((s, n) => ({ label: s.label, answer: symbolOf(logits, n, glyphs.classes) ?? '' }));
    const symbols = answers.filter((a) => a.label !== '');
    const named = symbols.filter((a) => a.answer === a.label).length;
    const falseSymbols = answers.filter((a) => a.answer !== '' && a.answer !== a.label);
    console.log(`glyph strips: ${named}/${symbols.length} symbols named, ${falseSymbols.length} false symbols of ${answers.length} runs`);
    // Measured: 32 of 34 named (the generator's own run: the same two € held below 0.9), no false symbol.
    expect(symbols.length).toBeGreaterThanOrEqual(25);
    expect(named / symbols.length).toBeGreaterThanOrEqual(0.85);
    expect(falseSymbols).toEqual([]);
  });

  it('puts back the signs the recogniser leaves out of whole images, and nothing elsewhere', async () => {
    const { models, dictionary } = await loadNodeOcr();
    const read = async (dir: string, file: string, withGlyphs: boolean) =>
      (await recognizeText(await readPng(join(dir, file)), withGlyphs ? models : { ...models, glyphs: undefined }, dictionary)).text;
    const invoice = await read(OCR_FIXTURES_DIR, 'entities/invoice-lines.png', true);
    expect(invoice).toContain('at €85.00 €552.50');
    expect(invoice).toContain('York £38.20');
    expect(await read(OCR_FIXTURES_DIR, 'entities/invoice-lines.png', false)).not.toMatch(/[€£]/);
    // Prose without such signs reads the same either way.
    expect(await read(OCR_FIXTURES_DIR, 'article-sans/museum-late.png', true)).toBe(await read(OCR_FIXTURES_DIR, 'article-sans/museum-late.png', false));
  }, 120_000);
});
