import { describe, expect, it } from 'vitest';
import { leadingSpaces, monospacedAdvance, slashedZeroAsDigit, type LineExtent } from '@/lib/ocr/indentation';

const ADVANCE_PX = 8;
const PADDING_PX = 6;

/** A monospaced line: `indent` spaces, then `text`, boxed with a little padding either side. */
function mono(indent: number, text: string, originPx = 20): LineExtent {
  const left = originPx + indent * ADVANCE_PX - PADDING_PX;
  return { left, right: left + text.length * ADVANCE_PX + 2 * PADDING_PX, characters: text.length };
}

describe('leadingSpaces', () => {
  it('gives indented code its leading spaces back', () => {
    const code: [number, string][] = [
      [0, 'def top_words(path, limit=10):'],
      [4, 'counts = {}'],
      [4, 'with open(path, encoding="utf-8") as handle:'],
      [8, 'for line in handle:'],
      [12, 'for word in line.lower().split():'],
      [4, 'return sorted(counts.items())'],
    ];
    expect(leadingSpaces(code.map(([indent, text]) => mono(indent, text)))).toEqual([0, 4, 4, 8, 12, 4]);
  });

  it('keeps deep levels when the one unindented line’s box edge sits two pixels off', () => {
    const code: [number, string][] = [
      [0, 'def top_words(path, limit=10):'],
      [4, 'counts = {}'],
      [8, 'for line in handle:'],
      [12, 'for word in line.lower().split():'],
      [16, 'counts[word] = counts.get(word, 0) + 1'],
    ];
    const lines = code.map(([indent, text]) => mono(indent, text));
    lines[0] = { ...lines[0]!, left: lines[0]!.left + 2 };
    expect(leadingSpaces(lines)).toEqual([0, 4, 8, 12, 16]);
  });

  it('finds two-space steps too', () => {
    const lines = [mono(0, 'export function debounce('), mono(2, 'fn: (...args: T) => void,'), mono(0, '): void {'), mono(2, 'let timer: number | undefined;'), mono(4, 'clearTimeout(timer);')];
    expect(leadingSpaces(lines)).toEqual([0, 2, 0, 2, 4]);
  });

  it('leaves lines that start together alone', () => {
    const prose = [mono(0, 'The museum stays open late'), mono(0, 'on Thursdays until nine, with'), mono(0, 'talks in the main hall.')];
    expect(leadingSpaces(prose)).toEqual([0, 0, 0]);
  });

  it('leaves centred proportional text alone', () => {
    const centred: LineExtent[] = [
      { left: 100, right: 420, characters: 36 },
      { left: 147, right: 373, characters: 30 },
      { left: 181, right: 339, characters: 18 },
    ];
    expect(leadingSpaces(centred)).toEqual([0, 0, 0]);
  });

  it('needs lines whose width per character agrees, as monospace does', () => {
    // Offsets on a lattice, but "iiii…" and "MMMM…" lines differ in width per character: proportional text.
    const lines: LineExtent[] = [
      { left: 0, right: 90, characters: 30 },
      { left: 32, right: 332, characters: 30 },
      { left: 64, right: 224, characters: 20 },
    ];
    expect(leadingSpaces(lines)).toEqual([0, 0, 0]);
  });

  it('ignores a wrapped table cell, whose offset is alignment rather than indentation', () => {
    const lines = [mono(0, 'Item Notes'), mono(0, 'Pen Blue ink,'), mono(25, 'refillable'), mono(0, 'Cup Large')];
    expect(leadingSpaces(lines)).toEqual([0, 0, 0, 0]);
  });

  it('wants three lines at least', () => {
    expect(leadingSpaces([mono(0, 'if (ready) {'), mono(4, 'start();')])).toEqual([0, 0]);
  });
});

describe('monospacedAdvance', () => {
  it('measures the advance of monospaced lines, and refuses proportional ones', () => {
    const advance = monospacedAdvance([mono(0, 'for word in line.lower().split():'), mono(4, 'counts[word] = counts.get(word, 0) + 1')]);
    expect(advance).toBeGreaterThan(ADVANCE_PX);
    expect(advance).toBeLessThan(ADVANCE_PX * 1.1);
    expect(monospacedAdvance([{ left: 0, right: 90, characters: 30 }, { left: 0, right: 300, characters: 30 }])).toBeNull();
  });
});

describe('slashedZeroAsDigit', () => {
  it.each([
    ['counts.get(word, θ) + 1', 'counts.get(word, 0) + 1'],
    ['for i := θ; i < n; i++ {', 'for i := 0; i < n; i++ {'],
    ['x = θ.5', 'x = 0.5'],
  ])('reads %s as %s', (read, meant) => {
    expect(slashedZeroAsDigit(read)).toBe(meant);
  });

  it('leaves Greek alone', () => {
    expect(slashedZeroAsDigit('λ = θ * 2')).toBe('λ = θ * 2');
    expect(slashedZeroAsDigit('no zero here')).toBe('no zero here');
  });
});
