import { describe, expect, it } from 'vitest';
import { decodeCtcBatch, decodeCtcGreedy } from '@/lib/ocr/ctc';

const DICTIONARY = ['blank', 'a', 'b', 'c', ' '];

/** One-hot-ish rows: each step puts `p` on its class and spreads the rest evenly. */
function steps(classes: number[], p = 0.9): Float32Array {
  const out = new Float32Array(classes.length * DICTIONARY.length).fill((1 - p) / (DICTIONARY.length - 1));
  classes.forEach((c, t) => (out[t * DICTIONARY.length + c] = p));
  return out;
}

describe('decodeCtcGreedy', () => {
  it.each([
    { name: 'plain sequence', classes: [1, 2, 3], text: 'abc' },
    { name: 'repeats collapse', classes: [1, 1, 1, 2, 2], text: 'ab' },
    { name: 'blank separates a real double letter', classes: [1, 0, 1], text: 'aa' },
    { name: 'blanks dropped', classes: [0, 0, 2, 0, 0], text: 'b' },
    { name: 'space class', classes: [1, 4, 2], text: 'a b' },
    { name: 'all blank', classes: [0, 0, 0], text: '' },
    { name: 'no steps', classes: [], text: '' },
  ])('$name', ({ classes, text }) => {
    expect(decodeCtcGreedy(steps(classes), classes.length, DICTIONARY.length, DICTIONARY).text).toBe(text);
  });

  it('confidence is the mean winning probability of kept characters only', () => {
    const probs = steps([1, 1, 0, 2]);
    probs[1 * DICTIONARY.length + 1] = 0.5; // the collapsed repeat does not count
    probs[3 * DICTIONARY.length + 2] = 0.7;
    const decoded = decodeCtcGreedy(probs, 4, DICTIONARY.length, DICTIONARY);
    expect(decoded.text).toBe('ab');
    expect(decoded.confidence).toBeCloseTo((0.9 + 0.7) / 2, 6);
  });

  it('gives zero confidence when nothing is kept', () => {
    expect(decodeCtcGreedy(steps([0, 0]), 2, DICTIONARY.length, DICTIONARY).confidence).toBe(0);
  });

  it('drops classes beyond the dictionary instead of inventing characters', () => {
    expect(decodeCtcGreedy(steps([1, 3]), 2, DICTIONARY.length, ['blank', 'a']).text).toBe('a');
  });
});

describe('decodeCtcGreedy space hints', () => {
  /** Steps a, blank (space at `hint`), b; or with the hint before the first character. */
  function hinted(hint: number, order: 'between' | 'before' = 'between'): Float32Array {
    const classes = order === 'between' ? [1, 0, 2] : [0, 1, 2];
    const probs = steps(classes);
    const blankStep = classes.indexOf(0);
    probs[blankStep * DICTIONARY.length + 4] = hint;
    probs[blankStep * DICTIONARY.length] = Math.max(0.9 - hint, hint + 0.01);
    return probs;
  }

  it.each([
    { name: 'hint above the floor writes a space', hint: 0.05, floor: 0.02, text: 'a b' },
    { name: 'hint below the floor does not', hint: 0.01, floor: 0.02, text: 'ab' },
    { name: 'no floor, no hints', hint: 0.4, floor: Infinity, text: 'ab' },
  ])('$name', ({ hint, floor, text }) => {
    expect(decodeCtcGreedy(hinted(hint), 3, DICTIONARY.length, DICTIONARY, floor).text).toBe(text);
  });

  it('never starts a line with a hinted space', () => {
    expect(decodeCtcGreedy(hinted(0.3, 'before'), 3, DICTIONARY.length, DICTIONARY, 0.02).text).toBe('ab');
  });

  it('asks the pixels about the steps of the two characters, and obeys them', () => {
    const asked: [number, number][] = [];
    const noGap = (from: number, to: number) => (asked.push([from, to]), false);
    expect(decodeCtcGreedy(hinted(0.3), 3, DICTIONARY.length, DICTIONARY, 0.02, noGap).text).toBe('ab');
    expect(asked).toEqual([[0, 2]]);
    expect(decodeCtcGreedy(hinted(0.3), 3, DICTIONARY.length, DICTIONARY, 0.02, () => true).text).toBe('a b');
  });

  it('does not double a space the recogniser wrote itself', () => {
    const probs = steps([1, 4, 0, 2]);
    probs[2 * DICTIONARY.length + 4] = 0.3;
    expect(decodeCtcGreedy(probs, 4, DICTIONARY.length, DICTIONARY, 0.02).text).toBe('a b');
  });
});

describe('decodeCtcBatch', () => {
  it('decodes each row of [N,T,C]', () => {
    const data = new Float32Array([...steps([1, 0, 2]), ...steps([3, 3, 4])]);
    const decoded = decodeCtcBatch({ data, dims: [2, 3, DICTIONARY.length] }, DICTIONARY);
    expect(decoded.map((d) => d.text)).toEqual(['ab', 'c ']);
  });
});
