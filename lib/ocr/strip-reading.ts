/**
 * Reading text strips: direction (0°/180°) and recognition together, since the recogniser's confidence
 * is what finally decides which way up a strip is.
 */
import { classesOf, restoreAccents } from './accents';
import { decodeCtcBatch, type DecodedText, type HintedSpaceCheck } from './ctc';
import { stripScores } from './recognizer-output';
import type { OcrOptions } from './options';
import { rotateHalfTurn, type RgbImage } from './raster';
import { CLASSIFIER_WIDTH_PX, fittedWidthPx, planRecognitionBatches, textLineBuffers, textLineTensor, type TextLineBuffers } from './text-line-input';
import type { GlyphClassifier, OcrModels } from './types';
import { findUnreadGlyphs, glyphTensor, symbolOf, withSymbols, type UnreadGlyph } from './unread-glyphs';
import { inkProfile, isWordGap, type InkProfile } from './word-gaps';

/** A strip's reading, and whether it won read upside down. */
export interface StripReading extends DecodedText {
  turned: boolean;
}

/** A reading with the ink its recogniser left unread, named only once the reading has won. */
interface RecognizedStrip extends DecodedText {
  unread: UnreadGlyph[];
}

/**
 * Recognises each strip, upright or turned. The classifier squeezes long lines into 192 px and errs both
 * ways, so it only nominates: a strip it calls upside down, or whose upright reading is weak, is also read
 * turned, and the more confident reading wins. A weak strip the classifier didn't flag, on a page whose
 * other strips mostly read upright, turns only by a clear margin: a page's lines share one direction, and
 * a poor upright reading's turned twin can score a little higher by chance. The page as a whole saves
 * second readings: one settled upright (by confident readings or a sure classifier) reads no weak strip
 * turned, and one the classifier turns over reads a nominated strip upright only where it reads weakly turned.
 */
export async function readStrips(
  strips: RgbImage[],
  models: OcrModels,
  dictionary: readonly string[],
  options: OcrOptions,
  buffers: TextLineBuffers = textLineBuffers(),
): Promise<StripReading[]> {
  const directions = options.classifyDirection ? await classifyDirections(strips, models, options, buffers) : { nominated: [], uprightProbabilities: [] };
  const { nominated } = directions;
  const pageTurned = classifierTurnsPage(nominated.length, strips.length, options.uprightPageMinConfidentStrips, options.uprightPageClassifierShare);
  const readings = await readNominatedTurned(strips, nominated, pageTurned ? options.rereadTurnedBelowConfidence : Infinity, models, dictionary, options, buffers);
  const tried = new Set(nominated);
  const weak = readings.flatMap((decoded, i) => (!tried.has(i) && decoded.confidence < options.rereadTurnedBelowConfidence ? [i] : []));
  const settled =
    readsUpright(readings, options.rereadTurnedBelowConfidence, options.uprightPageMinConfidentStrips) ||
    classifierSettlesUpright(directions.uprightProbabilities, readings, options.upsideDownThreshold, options.uprightPageMinConfidentStrips, options.uprightPageClassifierShare);
  if (weak.length > 0 && !settled) {
    const weakSet = new Set(weak);
    const margin = turnMarginForWeakStrips(readings.filter((_, i) => !weakSet.has(i)), options.unflaggedTurnMargin);
    const weakTexts = await rereadTurned(weak.map((i) => strips[i]!), weak.map((i) => readings[i]!), models, dictionary, options, buffers, margin);
    weak.forEach((stripIndex, k) => (readings[stripIndex] = weakTexts[k]!));
  }
  return models.glyphs ? nameUnreadGlyphs(readings, models.glyphs) : readings.map(({ unread: _, ...reading }) => reading);
}

/**
 * Whether the page is settled upright: at least `minConfident` strips read with `confidence` or more, and
 * not one of them won upside down. A page's lines share one direction, and an upside-down line rarely
 * reads confidently either way up, so on such a page a weak strip is weak for another reason (handwriting,
 * noise, a graphic) and reading it turned only costs a second recognition.
 */
export function readsUpright(readings: readonly { confidence: number; turned: boolean }[], confidence: number, minConfident: number): boolean {
  const confident = readings.filter((r) => r.confidence >= confidence);
  return confident.length >= minConfident && confident.every((r) => !r.turned);
}

/**
 * Whether the direction classifier settles the page upright where the readings can't (handwriting, noise:
 * few strips read confidently either way up): it calls at least `minStrips` strips, and `minShare` of all
 * of them, upright as surely (`sureAt`) as it must call one upside down to nominate it, and no strip won
 * upside down. One line it gets wrong can't settle a page; a page turned over reads the other way.
 */
export function classifierSettlesUpright(uprightProbabilities: readonly number[], readings: readonly { turned: boolean }[], sureAt: number, minStrips: number, minShare: number): boolean {
  const sure = uprightProbabilities.filter((p) => p >= sureAt).length;
  return sure >= minStrips && sure >= minShare * uprightProbabilities.length && readings.every((r) => !r.turned);
}

/**
 * Whether the classifier turns the whole page over: it nominated at least `minStrips` strips, and
 * `minShare` of them all, as upside down (the mirror of classifierSettlesUpright). Its nominated strips
 * then need no upright reading where their turned one is sure.
 */
export function classifierTurnsPage(nominatedCount: number, stripCount: number, minStrips: number, minShare: number): boolean {
  return nominatedCount >= minStrips && nominatedCount >= minShare * stripCount;
}

/** What a weak, unflagged strip's turned reading must win by: `margin` where most other strips read upright. */
export function turnMarginForWeakStrips(otherStrips: readonly { turned: boolean }[], margin: number): number {
  return otherStrips.filter((r) => !r.turned).length > otherStrips.length / 2 ? margin : 0;
}

/**
 * Reads every strip upright but the nominated ones, which are read turned; those whose turned reading is
 * below `sureTurnedAt` are read upright too, and the more confident reading wins (upright on a tie). With
 * Infinity every nominated strip is read both ways: a line the classifier wrongly calls upside down can
 * read confidently turned too ("600 g" turned reads "6 009"). On a page that lies upside down nearly every
 * strip is nominated and reads surely turned, so there each is recognised once, not twice.
 */
async function readNominatedTurned(
  strips: RgbImage[],
  nominated: number[],
  sureTurnedAt: number,
  models: OcrModels,
  dictionary: readonly string[],
  options: OcrOptions,
  buffers: TextLineBuffers,
): Promise<(StripReading & RecognizedStrip)[]> {
  const turnFirst = new Set(nominated);
  const firstTry = strips.map((strip, i) => (turnFirst.has(i) ? rotateHalfTurn(strip) : strip));
  const readings: (StripReading & RecognizedStrip)[] = (await recognizeStrips(firstTry, models, dictionary, options, buffers)).map((reading, i) => ({ ...reading, turned: turnFirst.has(i) }));
  const doubtful = nominated.filter((i) => readings[i]!.confidence < sureTurnedAt);
  if (doubtful.length > 0) {
    const upright = await recognizeStrips(doubtful.map((i) => strips[i]!), models, dictionary, options, buffers);
    doubtful.forEach((stripIndex, k) => {
      if (upright[k]!.confidence >= readings[stripIndex]!.confidence) readings[stripIndex] = { ...upright[k]!, turned: false };
    });
  }
  return readings;
}

/** Reads weak upright strips turned too; a turned reading wins by more than `turnMargin`. */
async function rereadTurned(
  strips: RgbImage[],
  uprightReadings: (StripReading & RecognizedStrip)[],
  models: OcrModels,
  dictionary: readonly string[],
  options: OcrOptions,
  buffers: TextLineBuffers,
  turnMargin: number,
): Promise<(StripReading & RecognizedStrip)[]> {
  const turned = await recognizeStrips(strips.map(rotateHalfTurn), models, dictionary, options, buffers);
  return uprightReadings.map((upright, k) => (turned[k]!.confidence > upright.confidence + turnMargin ? { ...turned[k]!, turned: true } : upright));
}

/** The direction classifier's verdicts: the strips it believes are upside down, and each strip's upright probability. */
async function classifyDirections(strips: RgbImage[], models: OcrModels, options: OcrOptions, buffers: TextLineBuffers): Promise<{ nominated: number[]; uprightProbabilities: number[] }> {
  const nominated: number[] = [];
  const uprightProbabilities: number[] = [];
  for (let start = 0; start < strips.length; start += options.classifierBatchSize) {
    const batch = strips.slice(start, start + options.classifierBatchSize);
    const output = await models.classify(textLineTensor(batch, CLASSIFIER_WIDTH_PX, buffers));
    const classes = output.dims[output.dims.length - 1] ?? 2;
    batch.forEach((_, k) => {
      const upright = output.data[k * classes] ?? 0;
      const upsideDown = output.data[k * classes + 1] ?? 0;
      uprightProbabilities.push(upright);
      if (upsideDown > upright && upsideDown > options.upsideDownThreshold) nominated.push(start + k);
    });
  }
  return { nominated, uprightProbabilities };
}

/**
 * Recognises strips in width-sorted batches and decodes them, confirming hinted spaces in the pixels. A
 * batch's input lives in `buffers` until the next batch, so everything read from it is read before then.
 */
async function recognizeStrips(strips: RgbImage[], models: OcrModels, dictionary: readonly string[], options: OcrOptions, buffers: TextLineBuffers): Promise<RecognizedStrip[]> {
  const texts: RecognizedStrip[] = new Array(strips.length);
  for (const batch of planRecognitionBatches(strips, options.recognitionBatchSize, options.recognitionMaxWidthPx, options.recognitionMinWidthPx, options.recognitionWidthStepPx)) {
    const batchStrips = batch.stripIndices.map((i) => strips[i]!);
    const input = textLineTensor(batchStrips, batch.widthPx, buffers);
    const output = await models.recognize(input);
    if (output.classCount !== dictionary.length) {
      throw new Error(`The recogniser has ${output.classCount} classes but the dictionary has ${dictionary.length} entries; they must come from the same model.`);
    }
    const stepWidthPx = batch.widthPx / Math.max(1, output.steps);
    const profiles: (InkProfile | undefined)[] = [];
    const profileOf = (n: number) => (profiles[n] ??= inkProfile(input, n, fittedWidthPx(batchStrips[n]!, batch.widthPx)));
    const hintedSpacesOf =
      (n: number): HintedSpaceCheck =>
      (fromStep, toStep, spaceProbability) =>
        // A character sits around the middle of the step that emits it.
        isWordGap(profileOf(n), (fromStep + 0.5) * stepWidthPx, (toStep + 0.5) * stepWidthPx, spaceProbability, options.spaceProbabilityFloor);
    decodeCtcBatch(output, dictionary, hintedSpacesOf).forEach((read, k) => {
      const decoded = { ...read, text: restoreAccents(read.text, read.emissions, stripScores(output, k), classesOf(dictionary), profileOf(k), stepWidthPx) };
      const unread = models.glyphs ? findUnreadGlyphs(profileOf(k), decoded, stepWidthPx) : [];
      texts[batch.stripIndices[k]!] = { ...decoded, unread };
    });
  }
  return texts;
}

/** One classifier call for the unread ink of every winning reading; named symbols are written into the text. */
async function nameUnreadGlyphs(readings: (StripReading & RecognizedStrip)[], glyphs: GlyphClassifier): Promise<StripReading[]> {
  const unread = readings.flatMap((reading, stripIndex) => reading.unread.map((glyph) => ({ stripIndex, glyph })));
  const named = new Map<number, { glyph: UnreadGlyph; symbol: string }[]>();
  if (unread.length > 0) {
    const logits = await glyphs.classify(glyphTensor(unread.map((u) => u.glyph)));
    unread.forEach(({ stripIndex, glyph }, n) => {
      const symbol = symbolOf(logits, n, glyphs.classes);
      if (symbol) named.set(stripIndex, [...(named.get(stripIndex) ?? []), { glyph, symbol }]);
    });
  }
  return readings.map(({ unread: _, ...reading }, stripIndex) => {
    const symbols = named.get(stripIndex);
    return symbols ? { ...reading, ...withSymbols(reading, symbols) } : reading;
  });
}
