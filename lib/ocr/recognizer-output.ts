/**
 * What the recogniser answers per step. PP-OCRv4's own output is every class's probability at every step:
 * 6,625 floats (26.5 KB) per step, about 1.3 MB for a 400 px strip, which onnxruntime-web hands back in a
 * fresh array on every call. The pipeline reads only each step's best class and its probability, and the
 * probabilities of a few classes beyond it (space for word gaps, accented letters), so the shipped model
 * answers with just those (scripts/ocr-models/compact-recognizer-output.ts): the same readings, and in
 * Chromium (WASM, 2 threads) 16% less recognition time over the real-world set (means of four runs a
 * build, alternating), 10% less a call on synthetic strips 160-800 px wide.
 */
import { accentedVariants, classesOf, type StepProbabilities } from './accents';
import type { FloatTensor, RecognizerOutput } from './types';

/** The shipped recogniser's output names, for the build's rewrite and the runtimes that read them. */
export const RECOGNIZER_OUTPUT_NAMES = {
  bestClass: 'best_class',
  bestProbability: 'best_probability',
  keptProbabilities: 'kept_probabilities',
  keptClasses: 'kept_classes',
  classCount: 'class_count',
} as const;

/** One strip's steps, as CTC decoding and accent restoration read them. */
export interface StripScores extends StepProbabilities {
  steps: number;
  bestClass(t: number): number;
  bestProbability(t: number): number;
}

/** The classes the pipeline reads beyond each step's best: space (word gaps) and accented letters. */
export function classesReadBeyondBest(dictionary: readonly string[]): number[] {
  const classOf = classesOf(dictionary);
  const wanted = [' ', ...accentedVariants()].map((ch) => classOf.get(ch)).filter((c): c is number => c !== undefined);
  return [...new Set(wanted)].sort((a, b) => a - b);
}

const columnsByKeptClasses = new WeakMap<Int32Array, ReadonlyMap<number, number>>();

/** Each kept class's column, worked out once per output (every strip of it, decoding and accents alike). */
function keptColumns(keptClasses: Int32Array): ReadonlyMap<number, number> {
  let columns = columnsByKeptClasses.get(keptClasses);
  if (!columns) {
    columns = new Map(Array.from(keptClasses, (c, k) => [c, k]));
    columnsByKeptClasses.set(keptClasses, columns);
  }
  return columns;
}

/** Strip `n` of `output`. Asking for a class that isn't kept is a bug in the caller, so it throws. */
export function stripScores(output: RecognizerOutput, n: number): StripScores {
  const { steps, keptClasses, keptProbabilities, bestClass, bestProbability } = output;
  const kept = keptClasses.length;
  const columnOf = keptColumns(keptClasses);
  const first = n * steps;
  return {
    steps,
    bestClass: (t) => bestClass[first + t]!,
    bestProbability: (t) => bestProbability[first + t]!,
    at(t, c) {
      const column = columnOf.get(c);
      if (column === undefined) throw new Error(`class ${c} is not among the recogniser's kept classes`);
      return keptProbabilities[(first + t) * kept + column]!;
    },
  };
}

/**
 * What the shipped recogniser computes, from every class's probabilities ([N,T,C]): for models that
 * answer with all of them (the tests' stand-ins), and to check the shipped one against.
 */
export function compactProbabilities(probabilities: FloatTensor, keptClasses: readonly number[]): RecognizerOutput {
  const [count = 0, steps = 0, classCount = 0] = probabilities.dims;
  const rows = count * steps;
  const bestClass = new Int32Array(rows);
  const bestProbability = new Float32Array(rows);
  const keptProbabilities = new Float32Array(rows * keptClasses.length);
  for (let row = 0; row < rows; row++) {
    const at = row * classCount;
    let best = 0;
    for (let c = 1; c < classCount; c++) if (probabilities.data[at + c]! > probabilities.data[at + best]!) best = c;
    bestClass[row] = best;
    bestProbability[row] = probabilities.data[at + best] ?? 0;
    keptClasses.forEach((c, k) => (keptProbabilities[row * keptClasses.length + k] = probabilities.data[at + c]!));
  }
  return { count, steps, classCount, bestClass, bestProbability, keptClasses: Int32Array.from(keptClasses), keptProbabilities };
}

/** A runtime's output tensor: its data and shape, whatever the runtime's tensor type. */
export interface NamedOutput {
  data: unknown;
  dims: readonly number[];
}

/** The shipped recogniser's outputs, by name, as one RecognizerOutput; anything else is refused. */
export function recognizerOutputOf(outputs: Readonly<Record<string, NamedOutput | undefined>>): RecognizerOutput {
  const named = (key: keyof typeof RECOGNIZER_OUTPUT_NAMES) => {
    const output = outputs[RECOGNIZER_OUTPUT_NAMES[key]];
    if (!output) throw new Error(`The recogniser has no "${RECOGNIZER_OUTPUT_NAMES[key]}" output: it is not the shipped one (scripts/ocr-models).`);
    return output;
  };
  const ints = (key: keyof typeof RECOGNIZER_OUTPUT_NAMES) => {
    const { data } = named(key);
    if (!(data instanceof Int32Array)) throw new Error(`The recogniser's "${RECOGNIZER_OUTPUT_NAMES[key]}" is not int32.`);
    return data;
  };
  const floats = (key: keyof typeof RECOGNIZER_OUTPUT_NAMES) => {
    const { data } = named(key);
    if (!(data instanceof Float32Array)) throw new Error(`The recogniser's "${RECOGNIZER_OUTPUT_NAMES[key]}" is not float32.`);
    return data;
  };
  const [count = 0, steps = 0] = named('bestClass').dims;
  const output: RecognizerOutput = {
    count,
    steps,
    classCount: ints('classCount')[0] ?? 0,
    bestClass: ints('bestClass'),
    bestProbability: floats('bestProbability'),
    keptClasses: ints('keptClasses'),
    keptProbabilities: floats('keptProbabilities'),
  };
  const rows = count * steps;
  if (output.bestClass.length !== rows || output.bestProbability.length !== rows || output.keptProbabilities.length !== rows * output.keptClasses.length) {
    throw new Error("The recogniser's outputs disagree on how many strips and steps they cover.");
  }
  return output;
}
