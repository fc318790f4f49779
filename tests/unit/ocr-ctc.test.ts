import { describe, expect, it } from 'vitest';
import { decodeCtcBatch, decodeCtcGreedy } from '@/lib/ocr/ctc';
import { compactProbabilities, stripScores } from '@/lib/ocr/recognizer-output';

const DICTIONARY = ['blank', 'a', 'b', 'c', ' '];

/** One-hot-ish rows: each step puts `p` on its class and spreads the rest evenly. */
function steps(classes: number[], p = 0.9): Float32Array {
  const out = new Float32Array(classes.length * DICTIONARY.length).fill((1 - p) / (DICTIONARY.length - 1));
  classes.forEach((c, t) => (out[t * DICTIONARY.length + c] = p));
  return out;
}

const allClasses = (classes: number) => Array.from({ length: classes }, (_, c) => c);

/** One strip's probabilities ([T,C]) as the recogniser answers, every class kept. */
const scoresOf = (probabilities: Float32Array, steps: number, classes: number) =>
  stripScores(compactProbabilities({ data: probabilities, dims: [1, steps, classes] }, allClasses(classes)), 0);

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
    expect(decodeCtcGreedy(scoresOf(steps(classes), classes.length, DICTIONARY.length), DICTIONARY).text).toBe(text);
  });

  it('confidence is the mean winning probability of kept characters only', () => {
    const probs = steps([1, 1, 0, 2]);
    probs[1 * DICTIONARY.length + 1] = 0.5; // the collapsed repeat does not count
    probs[3 * DICTIONARY.length + 2] = 0.7;
    const decoded = decodeCtcGreedy(scoresOf(probs, 4, DICTIONARY.length), DICTIONARY);
    expect(decoded.text).toBe('ab');
    expect(decoded.confidence).toBeCloseTo((0.9 + 0.7) / 2, 6);
  });

  it('gives zero confidence when nothing is kept', () => {
    expect(decodeCtcGreedy(scoresOf(steps([0, 0]), 2, DICTIONARY.length), DICTIONARY).confidence).toBe(0);
  });

  it('reads the same as a full argmax on softmax rows, peaked and flat', () => {
    // Random softmax rows over the dictionary, some peaked (a class over 0.5) and some flat.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const rows = 200;
    const probs = new Float32Array(rows * DICTIONARY.length);
    const expected: number[] = [];
    for (let t = 0; t < rows; t++) {
      const logits = DICTIONARY.map(() => random() * (t % 2 === 0 ? 8 : 1));
      const sum = logits.reduce((a, l) => a + Math.exp(l), 0);
      logits.forEach((l, c) => (probs[t * DICTIONARY.length + c] = Math.exp(l) / sum));
      expected.push(logits.indexOf(Math.max(...logits)));
    }
    let text = '';
    let previous = -1;
    for (const c of expected) {
      if (c !== previous && c !== 0) text += DICTIONARY[c];
      previous = c;
    }
    expect(decodeCtcGreedy(scoresOf(probs, rows, DICTIONARY.length), DICTIONARY).text).toBe(text);
  });

  it('drops classes beyond the dictionary instead of inventing characters', () => {
    expect(decodeCtcGreedy(scoresOf(steps([1, 3]), 2, DICTIONARY.length), ['blank', 'a']).text).toBe('a');
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
  const always = () => true;

  it('asks about each hinted pair with the two characters\' steps and the hint, and obeys', () => {
    const asked: [number, number, number][] = [];
    const refuse = (from: number, to: number, p: number) => (asked.push([from, to, p]), false);
    expect(decodeCtcGreedy(scoresOf(hinted(0.3), 3, DICTIONARY.length), DICTIONARY, refuse).text).toBe('ab');
    expect(asked).toEqual([[0, 2, expect.closeTo(0.3, 6)]]);
    expect(decodeCtcGreedy(scoresOf(hinted(0.3), 3, DICTIONARY.length), DICTIONARY, always).text).toBe('a b');
  });

  it.each([
    { name: 'no check, no hinted spaces', probs: hinted(0.4), check: undefined, text: 'ab' },
  ])('$name', ({ probs, check, text }) => {
    expect(decodeCtcGreedy(scoresOf(probs, 3, DICTIONARY.length), DICTIONARY, check).text).toBe(text);
  });

  it('never starts a line with a hinted space: a hint before the first character belongs to no pair', () => {
    const asked: number[] = [];
    const hintedOnly = (_from: number, _to: number, p: number) => (asked.push(p), p > 0);
    expect(decodeCtcGreedy(scoresOf(hinted(0.3, 'before'), 3, DICTIONARY.length), DICTIONARY, hintedOnly).text).toBe('ab');
    expect(asked).toEqual([0]);
  });

  it('asks about pairs with no hint at all too (probability 0), since a wide gap in the pixels is a space', () => {
    const asked: number[] = [];
    const pixelsSay = (_from: number, _to: number, p: number) => (asked.push(p), true);
    expect(decodeCtcGreedy(scoresOf(hinted(0), 3, DICTIONARY.length), DICTIONARY, pixelsSay).text).toBe('a b');
    expect(asked).toEqual([0]);
  });

  it('writes no hinted space before closing punctuation', () => {
    const dictionary = ['blank', '9', '.', 'c', ' '];
    expect(decodeCtcGreedy(scoresOf(hinted(0.3), 3, dictionary.length), dictionary, always).text).toBe('9.');
  });

  it('does not double a space the recogniser wrote itself', () => {
    const probs = steps([1, 4, 0, 2]);
    probs[2 * DICTIONARY.length + 4] = 0.3;
    expect(decodeCtcGreedy(scoresOf(probs, 4, DICTIONARY.length), DICTIONARY, always).text).toBe('a b');
  });
});

describe('decodeCtcBatch', () => {
  it('decodes each strip of the output', () => {
    const data = new Float32Array([...steps([1, 0, 2]), ...steps([3, 3, 4])]);
    const decoded = decodeCtcBatch(compactProbabilities({ data, dims: [2, 3, DICTIONARY.length] }, allClasses(DICTIONARY.length)), DICTIONARY);
    expect(decoded.map((d) => d.text)).toEqual(['ab', 'c ']);
  });
});
