import { describe, expect, it } from 'vitest';
import { decodeCtcBatch } from '@/lib/ocr/ctc';
import { classesReadBeyondBest, compactProbabilities, recognizerOutputOf, stripScores } from '@/lib/ocr/recognizer-output';

const DICTIONARY = ['blank', 'a', 'e', 'é', 'b', 'ü', 'x', ' '];

describe('classesReadBeyondBest', () => {
  it('keeps space (its last class, as decoding reads it) and every accented variant the dictionary has, in order', () => {
    expect(classesReadBeyondBest(DICTIONARY)).toEqual([3, 5, 7]);
    expect(classesReadBeyondBest([...DICTIONARY, 'è', ' '])).toEqual([3, 5, 8, 9]);
  });

  it('keeps nothing for a dictionary with neither', () => {
    expect(classesReadBeyondBest(['blank', 'a', 'b'])).toEqual([]);
  });
});

describe('compactProbabilities', () => {
  // Two strips of two steps over the dictionary's 8 classes.
  const rows = [
    [0.1, 0.6, 0.1, 0.05, 0.05, 0, 0, 0.1],
    [0.3, 0.3, 0.1, 0.1, 0.1, 0, 0, 0.1], // a tie: the first class wins
    [0.05, 0.05, 0.2, 0.6, 0, 0, 0, 0.1],
    [0.9, 0, 0, 0, 0, 0.02, 0, 0.08],
  ];
  const output = compactProbabilities({ data: Float32Array.from(rows.flat()), dims: [2, 2, 8] }, [3, 5, 7]);

  it('gives each step its best class and probability, and the kept classes’ probabilities', () => {
    expect(output).toMatchObject({ count: 2, steps: 2, classCount: 8 });
    expect([...output.bestClass]).toEqual([1, 0, 3, 0]);
    expect([...output.bestProbability]).toEqual([0.6, 0.3, 0.6, 0.9].map(Math.fround));
    expect([...output.keptClasses]).toEqual([3, 5, 7]);
    expect([...output.keptProbabilities]).toEqual(rows.flatMap((row) => [row[3]!, row[5]!, row[7]!]).map(Math.fround));
  });

  it('reads strip by strip, and refuses a class that was not kept', () => {
    const second = stripScores(output, 1);
    expect(second.steps).toBe(2);
    expect([second.bestClass(0), second.bestClass(1)]).toEqual([3, 0]);
    expect(second.at(1, 5)).toBeCloseTo(0.02, 6);
    expect(second.at(0, 7)).toBeCloseTo(0.1, 6);
    expect(() => second.at(0, 2)).toThrow(/class 2 is not among/);
  });

  it('decodes to the same text whether every class or only the read ones are kept', () => {
    // "a", blank with space ranked, "b", "é": the space check sees the same probability either way.
    const data = Float32Array.from(
      [
        [0.05, 0.8, 0.05, 0.03, 0.02, 0, 0, 0.05],
        [0.6, 0.02, 0.02, 0.01, 0.01, 0, 0, 0.34],
        [0.05, 0.02, 0.02, 0.01, 0.85, 0, 0, 0.05],
        [0.05, 0.01, 0.3, 0.6, 0.02, 0, 0, 0.02],
      ].flat(),
    );
    const probabilities = { data, dims: [1, 4, 8] };
    const spaces: number[] = [];
    const check = (_from: number, _to: number, p: number) => (spaces.push(p), p > 0.3);
    const every = decodeCtcBatch(compactProbabilities(probabilities, DICTIONARY.map((_, c) => c)), DICTIONARY, () => check);
    const read = decodeCtcBatch(compactProbabilities(probabilities, classesReadBeyondBest(DICTIONARY)), DICTIONARY, () => check);
    expect(read).toEqual(every);
    expect(read[0]!.text).toBe('a bé');
    expect(spaces[0]).toBe(spaces[spaces.length / 2]);
  });
});

describe('recognizerOutputOf', () => {
  const outputs = {
    best_class: { data: Int32Array.from([1, 0, 2]), dims: [1, 3] },
    best_probability: { data: Float32Array.from([0.9, 0.8, 0.7]), dims: [1, 3] },
    kept_probabilities: { data: Float32Array.from([0.01, 0.02, 0.03]), dims: [1, 3, 1] },
    kept_classes: { data: Int32Array.from([7]), dims: [1] },
    class_count: { data: Int32Array.from([8]), dims: [] },
  };

  it('reads the shipped recogniser’s outputs by name', () => {
    const output = recognizerOutputOf(outputs);
    expect(output).toMatchObject({ count: 1, steps: 3, classCount: 8 });
    expect(stripScores(output, 0).at(2, 7)).toBeCloseTo(0.03, 6);
  });

  it('refuses a model that answers otherwise: a missing output, a wrong type, sizes that disagree', () => {
    const { best_class: _, ...withoutBest } = outputs;
    expect(() => recognizerOutputOf(withoutBest)).toThrow(/no "best_class" output/);
    expect(() => recognizerOutputOf({ ...outputs, best_class: { data: BigInt64Array.from([1n, 0n, 2n]), dims: [1, 3] } })).toThrow(/not int32/);
    expect(() => recognizerOutputOf({ ...outputs, kept_probabilities: { data: Float32Array.from([0.01]), dims: [1, 1, 1] } })).toThrow(/disagree/);
    // The full [N,T,C] output of the npm package's model.
    expect(() => recognizerOutputOf({ 'softmax_11.tmp_0': { data: new Float32Array(24), dims: [1, 3, 8] } })).toThrow(/not the shipped one/);
  });
});
