import { describe, expect, it } from 'vitest';
import { cropLine, HANDWRITTEN_MEDIAN_CONFIDENCE, lineCropRect, looksHandwritten, withReadLines } from '@/lib/ocr/handwriting';
import type { OcrLine, Quad } from '@/lib/ocr';

const line = (text: string, confidence: number, blockIndex = 0, box: Quad = [[0, 0], [10, 0], [10, 5], [0, 5]]): OcrLine => ({ text, confidence, blockIndex, box });

describe('looksHandwritten', () => {
  it('says yes when the print recogniser was unsure of most lines', () => {
    expect(looksHandwritten([line('a', 0.7), line('b', 0.85), line('c', 0.97)])).toBe(true);
  });

  it('says no for confidently read print, even with a few weak lines', () => {
    expect(looksHandwritten([line('a', 0.99), line('b', 0.6), line('c', 0.97), line('d', 0.96)])).toBe(false);
  });

  it('takes the median: two weak lines of five are not enough when the middle is strong', () => {
    const lines = [line('a', 0.5), line('b', 0.5), line('c', HANDWRITTEN_MEDIAN_CONFIDENCE + 0.02), line('d', 0.97), line('e', 0.99)];
    expect(looksHandwritten(lines)).toBe(false);
  });

  it('does not decide on a single line', () => {
    expect(looksHandwritten([line('Sincerely', 0.6)])).toBe(false);
    expect(looksHandwritten([])).toBe(false);
  });
});

describe('lineCropRect', () => {
  it('adds a margin of a share of the line height and stays inside the image', () => {
    expect(lineCropRect([[10, 20], [110, 22], [110, 42], [10, 40]], { widthPx: 200, heightPx: 100 })).toEqual({ x: 7, y: 17, widthPx: 106, heightPx: 28 });
    expect(lineCropRect([[0, 0], [300, 0], [300, 50], [0, 50]], { widthPx: 200, heightPx: 40 })).toEqual({ x: 0, y: 0, widthPx: 200, heightPx: 40 });
  });
});

describe('cropLine', () => {
  it('copies the rectangle’s pixels', () => {
    const width = 4;
    const data = new Uint8ClampedArray(width * 3 * 4).map((_, i) => i);
    const crop = cropLine({ data, widthPx: width, heightPx: 3 }, [[1, 1], [3, 1], [3, 2], [1, 2]]);
    expect(crop.widthPx).toBe(2);
    expect(crop.heightPx).toBe(1);
    expect(Array.from(crop.data)).toEqual(Array.from(data.subarray((1 * width + 1) * 4, (1 * width + 3) * 4)));
  });
});

describe('withReadLines', () => {
  it('puts the new text in the same lines and blocks, and drops lines read as nothing', () => {
    const lines = [line('Tbe qnick', 0.7, 0), line('brovn fox', 0.7, 0), line('~', 0.6, 0), line('jumps', 0.8, 1)];
    const read = withReadLines(lines, ['The quick', 'brown fox', '  ', 'jumps']);
    expect(read.text).toBe('The quick\nbrown fox\n\njumps');
    expect(read.lines.map((l) => [l.text, l.blockIndex])).toEqual([
      ['The quick', 0],
      ['brown fox', 0],
      ['jumps', 1],
    ]);
  });
});
