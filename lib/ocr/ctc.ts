/** Greedy CTC decoding of recogniser output into text with a confidence. */
import type { FloatTensor } from './types';

/** Class 0 is CTC's blank in PaddleOCR's label layout. */
const BLANK_CLASS = 0;
/** Hinted spaces never go before these: "$19 .99" and "10 :30" were the commonest false hints. */
const NO_SPACE_BEFORE = new Set(['.', ',', ':', ';', '!', '?', '%', ')', ']', '}']);

export interface DecodedText {
  text: string;
  /** Mean of the winning probabilities of the kept characters; 0 when nothing was kept. */
  confidence: number;
  /** Each kept character's step and where it starts in `text`, in order. */
  emissions: CharacterEmission[];
}

export interface CharacterEmission {
  step: number;
  textIndex: number;
}

/**
 * Decides whether a space the recogniser hinted at (its best space probability on the blank steps between
 * two characters) is a real word gap; see word-gaps.ts.
 */
export type HintedSpaceCheck = (fromStep: number, toStep: number, spaceProbability: number) => boolean;

/**
 * Best class per step, repeats collapsed, blanks dropped (PaddleOCR's CTCLabelDecode). Classes the
 * dictionary lacks are dropped too rather than invented. The Chinese-trained recogniser swallows about
 * a fifth of English word gaps yet still ranks space high there, so when isHintedSpace is given, it
 * is asked about each pair of characters with no space between them (with probability 0 where space
 * never ranked: the pixels alone can still show a gap).
 */
export function decodeCtcGreedy(
  probabilities: ArrayLike<number>,
  steps: number,
  classes: number,
  dictionary: readonly string[],
  isHintedSpace?: HintedSpaceCheck,
): DecodedText {
  const spaceClass = dictionary.lastIndexOf(' ');
  let text = '';
  let confidenceSum = 0;
  let kept = 0;
  let previous = -1;
  let spaceSinceLastChar = 0;
  let lastCharStep = -1;
  const emissions: CharacterEmission[] = [];
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    let bestProbability = -Infinity;
    for (let c = 0; c < classes; c++) {
      const p = probabilities[row + c]!;
      if (p > bestProbability) {
        bestProbability = p;
        best = c;
        // Probabilities sum to 1, so one above a half is the best: most steps are blank (class 0) and
        // end here instead of scanning all 6,625 classes.
        if (p > 0.5) break;
      }
    }
    if (spaceClass >= 0 && best === BLANK_CLASS) spaceSinceLastChar = Math.max(spaceSinceLastChar, probabilities[row + spaceClass] ?? 0);
    const isRepeat = best === previous;
    previous = best;
    if (isRepeat || best === BLANK_CLASS) continue;
    const char = dictionary[best];
    if (char === undefined) continue;
    const mayHaveSpace = best !== spaceClass && text !== '' && !text.endsWith(' ') && !NO_SPACE_BEFORE.has(char);
    if (mayHaveSpace && isHintedSpace?.(lastCharStep, t, spaceSinceLastChar)) text += ' ';
    emissions.push({ step: t, textIndex: text.length });
    text += char;
    confidenceSum += bestProbability;
    kept++;
    spaceSinceLastChar = 0;
    lastCharStep = t;
  }
  return { text, confidence: kept === 0 ? 0 : confidenceSum / kept, emissions };
}

/** Decodes each row of an [N,T,C] recogniser output; hintedSpacesOf(n) gives row n's space check, if any. */
export function decodeCtcBatch(
  output: FloatTensor,
  dictionary: readonly string[],
  hintedSpacesOf?: (row: number) => HintedSpaceCheck,
): DecodedText[] {
  const [count = 0, steps = 0, classes = 0] = output.dims;
  const results: DecodedText[] = [];
  for (let n = 0; n < count; n++) {
    const rowLength = steps * classes;
    const probabilities = output.data.subarray(n * rowLength, (n + 1) * rowLength);
    results.push(decodeCtcGreedy(probabilities, steps, classes, dictionary, hintedSpacesOf?.(n)));
  }
  return results;
}
