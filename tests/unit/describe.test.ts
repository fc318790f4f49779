import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_TEXT_ALT_CHARS, coverageOf, imageTextAlt, isMostlyText } from '@/lib/engine/describe';

const box = (x: number, y: number, w: number, h: number): [number, number][] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
];

describe('auto-fill: image text or caption', () => {
  it.each([
    { name: 'a screenshot of a paragraph', c: { characters: 240, meanConfidence: 0.95, areaShare: 0.45 }, want: true },
    { name: 'a meme with top and bottom text', c: { characters: 40, meanConfidence: 0.9, areaShare: 0.18 }, want: true },
    { name: 'a photo with a tiny watermark', c: { characters: 12, meanConfidence: 0.9, areaShare: 0.02 }, want: false },
    { name: 'a photo with no text', c: { characters: 0, meanConfidence: 0, areaShare: 0 }, want: false },
    { name: 'noise read as a few letters', c: { characters: 5, meanConfidence: 0.5, areaShare: 0.2 }, want: false },
    { name: 'lots of text read badly', c: { characters: 80, meanConfidence: 0.5, areaShare: 0.4 }, want: false },
  ])('$name → mostly text: $want', ({ c, want }) => {
    expect(isMostlyText(c)).toBe(want);
  });

  it('measures characters, confidence weighted by length, and the area text covers', () => {
    const c = coverageOf(
      [
        { text: 'HELLO WORLD', confidence: 1, box: box(0, 0, 100, 20) },
        { text: 'ok', confidence: 0.5, box: box(0, 50, 100, 30) },
      ],
      200,
      100,
    );
    expect(c.characters).toBe(12);
    expect(c.meanConfidence).toBeCloseTo((10 * 1 + 2 * 0.5) / 12);
    expect(c.areaShare).toBeCloseTo(5000 / 20000);
  });

  it('gives zero coverage for an empty image rather than dividing by zero', () => {
    expect(coverageOf([], 0, 0)).toEqual({ characters: 0, meanConfidence: 0, areaShare: 0 });
  });

  it('joins lines into one alt line', () => {
    expect(imageTextAlt([{ text: ' SALE ' }, { text: '50% off' }, { text: '' }, { text: 'today only' }])).toBe('SALE 50% off today only');
  });

  it('cuts very long text at a word boundary', () => {
    const alt = imageTextAlt([{ text: 'word '.repeat(400) }]);
    expect(alt.length).toBeLessThanOrEqual(MAX_IMAGE_TEXT_ALT_CHARS + 1);
    expect(alt.endsWith('word…')).toBe(true);
  });
});
