import { describe, expect, it } from 'vitest';
import { cerByCategory, characterErrorRate, editDistance, meanCer, normaliseForCer } from '../support/cer';

describe('normaliseForCer', () => {
  it.each([
    ['collapses whitespace runs and line breaks', '  Open  link\n\n\tin new tab \n', 'Open link in new tab'],
    ['keeps code indentation out of the comparison', 'if (x) {\n    return y;\n}', 'if (x) { return y; }'],
    ['treats tab- and space-separated table cells alike', 'Apples\tkg\t2.40', 'Apples kg 2.40'],
    ['applies NFKC to full-width punctuation and the ellipsis', '产地：浙江（中国）Save…', '产地:浙江(中国)Save...'],
    ['folds typographic quotes', '\u201Ccalibrate\u201D isn\u2019t', '"calibrate" isn\'t'],
    ['folds hyphen-like dashes', '10:00\u201317:30 \u2014 \u22125', '10:00-17:30 - -5'],
    ['drops spaces between Han characters', '首 次 使 用 需 要', '首次使用需要'],
    ['drops spaces between Han and Latin', 'AltSight 会在 WebGPU 上', 'AltSight会在WebGPU上'],
    ['keeps spaces between Latin words', 'Net weight: 250 g', 'Net weight: 250 g'],
    ['maps the ideographic space to nothing next to Han', '文件\u3000File', '文件File'],
  ])('%s', (_, input, expected) => {
    expect(normaliseForCer(input)).toBe(expected);
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['same', 'same', 0],
    // One code point each, though two UTF-16 units: a surrogate pair is one substitution, not two.
    ['𠀋', '𠀌', 1],
    ['价格', '價格', 1],
  ])('%j -> %j is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe('characterErrorRate', () => {
  it.each([
    ['identical text', 'Sign in', 'Sign in', 0],
    ['line breaks differ only', 'Sign\nin', 'Sign in', 0],
    ['one substitution in eleven', 'Sign in n0w', 'Sign in now', 1 / 11],
    ['a missing word', 'Sign', 'Sign in', 3 / 7],
    ['nothing recognised', '', 'Sign in', 1],
    ['more inserted than the truth holds', 'Sign in to your account', 'Sign in', 16 / 7],
    ['Tesseract-style spaced Chinese', '有 机 绿 茶 Organic', '有机绿茶 Organic', 0],
    ['counts code points of Chinese', '有机红茶', '有机绿茶', 1 / 4],
  ])('%s', (_, predicted, truth, expected) => {
    expect(characterErrorRate(predicted, truth)).toBeCloseTo(expected, 10);
  });

  it('refuses an empty ground truth', () => {
    expect(() => characterErrorRate('anything', ' \n ')).toThrow(RangeError);
  });
});

describe('meanCer and cerByCategory', () => {
  const samples = [
    { category: 'ui', predicted: 'Sign in', truth: 'Sign in' },
    { category: 'ui', predicted: 'Sign', truth: 'Sign in' },
    { category: 'code', predicted: 'let x = 1;', truth: 'let y = 1;' },
    { category: 'code', predicted: 'ab', truth: 'abcdefghij' },
  ];

  it('averages per-image rates', () => {
    expect(meanCer(samples.slice(0, 2))).toBeCloseTo((0 + 3 / 7) / 2, 10);
    expect(() => meanCer([])).toThrow(RangeError);
  });

  it('groups by category, sorted, with mean and pooled rates', () => {
    const rows = cerByCategory(samples);
    expect(rows.map((r) => r.category)).toEqual(['code', 'ui']);
    const [code, ui] = rows;
    expect(code).toMatchObject({ images: 2 });
    expect(code!.meanCer).toBeCloseTo((1 / 10 + 8 / 10) / 2, 10);
    expect(code!.pooledCer).toBeCloseTo(9 / 20, 10);
    expect(ui!.meanCer).toBeCloseTo(3 / 14, 10);
    expect(ui!.pooledCer).toBeCloseTo(3 / 14, 10);
  });
});
