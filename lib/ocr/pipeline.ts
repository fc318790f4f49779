/** The OCR pipeline end to end: detect boxes, crop, turn upright, recognise, lay out. */
import { cropTextBox } from './crop';
import { decodeCtcBatch, type DecodedText, type WordGapCheck } from './ctc';
import { detectionTensor, planDetection } from './detection-input';
import { layOutText, type RecognizedBox } from './layout';
import { resolveOcrOptions, type OcrOptions } from './options';
import { rotateHalfTurn, toOpaqueRgb, type RgbImage } from './raster';
import { CLASSIFIER_WIDTH_PX, fittedWidthPx, planRecognitionBatches, textLineTensor } from './text-line-input';
import { textBoxesFromProbabilityMap, type TextBox } from './text-boxes';
import type { OcrModels, OcrResult, Point, Quad, RgbaImage } from './types';
import { hasWordGap, inkProfile, type InkProfile } from './word-gaps';

const EMPTY_RESULT: OcrResult = Object.freeze({ text: '', lines: [] }) as OcrResult;
const RGBA_CHANNELS = 4;

/**
 * Reads the text in an image. Images with no text (blank, 1×1, empty) give an empty result; a model whose
 * class count does not match the dictionary is a setup error and throws.
 */
export async function recognizeText(
  image: RgbaImage,
  models: OcrModels,
  dictionary: readonly string[],
  overrides: Partial<OcrOptions> = {},
): Promise<OcrResult> {
  const options = resolveOcrOptions(overrides);
  const { widthPx, heightPx } = image;
  if (!(widthPx >= 1 && heightPx >= 1) || image.data.length < widthPx * heightPx * RGBA_CHANNELS) return { ...EMPTY_RESULT, lines: [] };

  const { rgb, downsampleFactor } = toOpaqueRgb(image, options.maxSourcePixels);
  const boxes = await detectTextBoxes(rgb, models, options);
  if (boxes.length === 0) return { ...EMPTY_RESULT, lines: [] };

  const strips = boxes.map((box) => cropTextBox(rgb, box.quad));
  const texts = await readStrips(strips, models, dictionary, options);

  const recognized: RecognizedBox[] = [];
  boxes.forEach((box, i) => {
    const decoded = texts[i]!;
    if (decoded.text.trim() === '' || decoded.confidence < options.minLineConfidence) return;
    const quad = box.quad.map(([x, y]): Point => [x * downsampleFactor, y * downsampleFactor]) as Quad;
    recognized.push({ text: decoded.text.trim(), confidence: decoded.confidence, quad });
  });
  return layOutText(recognized);
}

/** Runs the detector band by band; each band keeps the boxes centred in the part it owns. */
async function detectTextBoxes(rgb: RgbImage, models: OcrModels, options: OcrOptions): Promise<TextBox[]> {
  const plan = planDetection(rgb.widthPx, rgb.heightPx, options);
  const sourcePerDetectionRow = rgb.heightPx / plan.heightPx;
  const boxes: TextBox[] = [];
  for (const band of plan.bands) {
    const probability = await models.detect(detectionTensor(rgb, plan, band));
    const found = textBoxesFromProbabilityMap(probability, rgb.widthPx, rgb.heightPx, options, { topPx: band.topPx, fullHeightPx: plan.heightPx });
    for (const box of found) {
      const centreRow = box.quad.reduce((sum, [, y]) => sum + y, 0) / 4 / sourcePerDetectionRow;
      if (centreRow >= band.ownedFromPx && centreRow < band.ownedToPx) boxes.push(box);
    }
  }
  return boxes.slice(0, options.maxBoxes);
}

/**
 * Recognises each strip, upright or turned. The classifier squeezes long lines into 192 px and errs both
 * ways, so it only nominates: a strip it calls upside down, or whose upright reading is weak, is also read
 * turned, and the more confident reading wins.
 */
async function readStrips(strips: RgbImage[], models: OcrModels, dictionary: readonly string[], options: OcrOptions) {
  const nominated = options.classifyDirection ? await upsideDownCandidates(strips, models, options) : [];
  const firstPass = await readBothWays(strips, nominated, models, dictionary, options);
  const tried = new Set(nominated);
  const weak = firstPass.flatMap((decoded, i) => (!tried.has(i) && decoded.confidence < options.rereadTurnedBelowConfidence ? [i] : []));
  if (weak.length === 0) return firstPass;
  const weakTexts = await readBothWays(weak.map((i) => strips[i]!), weak.map((_, k) => k), models, dictionary, options, weak.map((i) => firstPass[i]!));
  weak.forEach((stripIndex, k) => (firstPass[stripIndex] = weakTexts[k]!));
  return firstPass;
}

/** Reads every strip upright and the `turn` ones also upside down, keeping the more confident reading. */
async function readBothWays(
  strips: RgbImage[],
  turn: number[],
  models: OcrModels,
  dictionary: readonly string[],
  options: OcrOptions,
  knownUpright?: DecodedText[],
): Promise<DecodedText[]> {
  const turned = turn.map((i) => rotateHalfTurn(strips[i]!));
  const decoded = knownUpright
    ? [...knownUpright, ...(await recognizeStrips(turned, models, dictionary, options))]
    : await recognizeStrips([...strips, ...turned], models, dictionary, options);
  turn.forEach((stripIndex, k) => {
    const turnedReading = decoded[strips.length + k]!;
    if (turnedReading.confidence > decoded[stripIndex]!.confidence) decoded[stripIndex] = turnedReading;
  });
  return decoded.slice(0, strips.length);
}

/** Indices of strips the direction classifier believes are upside down. */
async function upsideDownCandidates(strips: RgbImage[], models: OcrModels, options: OcrOptions): Promise<number[]> {
  const flagged: number[] = [];
  for (let start = 0; start < strips.length; start += options.batchSize) {
    const batch = strips.slice(start, start + options.batchSize);
    const output = await models.classify(textLineTensor(batch, CLASSIFIER_WIDTH_PX));
    const classes = output.dims[output.dims.length - 1] ?? 2;
    batch.forEach((_, k) => {
      const upright = output.data[k * classes] ?? 0;
      const upsideDown = output.data[k * classes + 1] ?? 0;
      if (upsideDown > upright && upsideDown > options.upsideDownThreshold) flagged.push(start + k);
    });
  }
  return flagged;
}

async function recognizeStrips(strips: RgbImage[], models: OcrModels, dictionary: readonly string[], options: OcrOptions): Promise<DecodedText[]> {
  const texts: DecodedText[] = new Array(strips.length);
  for (const batch of planRecognitionBatches(strips, options.batchSize, options.recognitionMaxWidthPx)) {
    const batchStrips = batch.stripIndices.map((i) => strips[i]!);
    const input = textLineTensor(batchStrips, batch.widthPx);
    const output = await models.recognize(input);
    const [, steps = 0, classes] = output.dims;
    if (classes !== dictionary.length) {
      throw new Error(`The recogniser has ${classes} classes but the dictionary has ${dictionary.length} entries; they must come from the same model.`);
    }
    const stepWidthPx = batch.widthPx / Math.max(1, steps);
    const wordGapsOf = (n: number): WordGapCheck => {
      let profile: InkProfile | undefined;
      // A character sits around the middle of the step that emits it.
      return (fromStep, toStep) =>
        hasWordGap((profile ??= inkProfile(input, n, fittedWidthPx(batchStrips[n]!, batch.widthPx))), (fromStep + 0.5) * stepWidthPx, (toStep + 0.5) * stepWidthPx);
    };
    decodeCtcBatch(output, dictionary, options.spaceProbabilityFloor, wordGapsOf).forEach((decoded, k) => {
      texts[batch.stripIndices[k]!] = decoded;
    });
  }
  return texts;
}
