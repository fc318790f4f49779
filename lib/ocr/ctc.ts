/** Greedy CTC decoding of recogniser output into text with a confidence. */
import { stripScores, type StripScores } from './recognizer-output';
import type { RecognizerOutput } from './types';

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
export function decodeCtcGreedy(scores: StripScores, dictionary: readonly string[], isHintedSpace?: HintedSpaceCheck): DecodedText {
  const spaceClass = dictionary.lastIndexOf(' ');
  let text = '';
  let confidenceSum = 0;
  let kept = 0;
  let previous = -1;
  let spaceSinceLastChar = 0;
  let lastCharStep = -1;
  const emissions: CharacterEmission[] = [];
  for (let t = 0; t < scores.steps; t++) {
    const best = scores.bestClass(t);
    if (spaceClass >= 0 && best === BLANK_CLASS) spaceSinceLastChar = Math.max(spaceSinceLastChar, scores.at(t, spaceClass));
    const isRepeat = best === previous;
    previous = best;
    if (isRepeat || best === BLANK_CLASS) continue;
    const char = dictionary[best];
    if (char === undefined) continue;
    const mayHaveSpace = best !== spaceClass && text !== '' && !text.endsWith(' ') && !NO_SPACE_BEFORE.has(char);
    if (mayHaveSpace && isHintedSpace?.(lastCharStep, t, spaceSinceLastChar)) text += ' ';
    emissions.push({ step: t, textIndex: text.length });
    text += char;
    confidenceSum += scores.bestProbability(t);
    kept++;
    spaceSinceLastChar = 0;
    lastCharStep = t;
  }
  return { text, confidence: kept === 0 ? 0 : confidenceSum / kept, emissions };
}

/** Decodes each strip of the recogniser's output; hintedSpacesOf(n) gives strip n's space check, if any. */
export function decodeCtcBatch(
  output: RecognizerOutput,
  dictionary: readonly string[],
  hintedSpacesOf?: (row: number) => HintedSpaceCheck,
): DecodedText[] {
  return Array.from({ length: output.count }, (_, n) => decodeCtcGreedy(stripScores(output, n), dictionary, hintedSpacesOf?.(n)));
}
