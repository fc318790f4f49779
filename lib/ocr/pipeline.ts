/** The OCR pipeline end to end: detect boxes, crop, read each strip the right way up, lay out. */
import { splitJoinedColumns } from './column-gutters';
import { cropSize, cropTextBox, isVerticalBox } from './crop';
import { detectionTensor, planDetection, PROBABILITY_LEVELS, StitchedProbabilityMap, type DetectionBuffers } from './detection-input';
import { withoutNeighbourSlivers } from './neighbour-ink';
import { harmonizeLetterCase } from './letter-case';
import { dominantAngleRad, layOutText, readingAngleRad, readingFrame, type ReadingFrame, type RecognizedBox } from './layout';
import { resolveOcrOptions, type OcrOptions } from './options';
import { latinizeFullwidth } from './punctuation';
import { toOpaqueRgb, type RgbImage } from './raster';
import { ocrScratch, type OcrScratch } from './scratch';
import { readStrips } from './strip-reading';
import { TEXT_LINE_HEIGHT_PX } from './text-line-input';
import { textBoxesFromProbabilityMap, type TextBox } from './text-boxes';
import type { OcrModels, OcrResult, Point, Quad, RgbaImage } from './types';

const RGBA_CHANNELS = 4;

/**
 * Reads the text in an image. Images with no text (blank, 1×1, empty) give an empty result; a model whose
 * class count does not match the dictionary is a setup error and throws. `scratch` is this run's alone
 * until it returns (an engine keeps one from image to image: OcrScratchPool).
 */
export async function recognizeText(
  image: RgbaImage,
  models: OcrModels,
  dictionary: readonly string[],
  overrides: Partial<OcrOptions> = {},
  scratch: OcrScratch = ocrScratch(),
): Promise<OcrResult> {
  const options = resolveOcrOptions(overrides);
  const { widthPx, heightPx } = image;
  if (!(widthPx >= 1 && heightPx >= 1) || image.data.length < widthPx * heightPx * RGBA_CHANNELS) return { text: '', lines: [] };

  const { rgb, downsampleFactor } = toOpaqueRgb(image, options.maxSourcePixels, scratch.rgb);
  const detected = await detectTextBoxes(rgb, models, options, scratch.detection);
  if (detected.length === 0) return { text: '', lines: [] };
  // Lines of two columns a narrow gutter apart, detected as one box, are read one column at a time.
  const boxes = splitJoinedColumns(detected, shapeReadingFrame(detected).toFrame, rgb);

  // A box whose start or end lies at the image's edge may be cut by it, so the ink at that end is its
  // own text, not a neighbour's.
  const strips = boxes.map((box) => {
    const strip = cropTextBox(rgb, box.quad, TEXT_LINE_HEIGHT_PX);
    return withoutNeighbourSlivers(strip, endsAtImageEdge(box.quad, rgb));
  });
  const readable = strips.flatMap((strip, i) => (strip ? [i] : []));
  const readings = await readStrips(readable.map((i) => strips[i]!), models, dictionary, options, scratch.textLines);
  const texts = new Map(readable.map((boxIndex, k) => [boxIndex, readings[k]!]));

  // A downsampled pixel's centre lies in the middle of the block it averaged.
  const toSource = ([x, y]: Point): Point => [x * downsampleFactor + (downsampleFactor - 1) / 2, y * downsampleFactor + (downsampleFactor - 1) / 2];
  const recognized: RecognizedBox[] = [];
  boxes.forEach((box, i) => {
    const reading = texts.get(i);
    if (!reading || reading.text.trim() === '' || reading.confidence < options.minLineConfidence) return;
    recognized.push({
      text: harmonizeLetterCase(latinizeFullwidth(reading.text.trim())),
      confidence: reading.confidence,
      quad: box.quad.map(toSource) as Quad,
      readingAngleRad: readingAngleRad(box.quad, isVerticalBox(box.quad), reading.turned),
    });
  });
  return layOutText(recognized);
}

/**
 * The page's reading frame from the boxes' shapes alone, before they are read: a box's text runs along
 * its long side, weighted by how many text heights long it is (about its characters).
 */
function shapeReadingFrame(boxes: readonly TextBox[]): ReadingFrame {
  const angles = boxes.map((box) => readingAngleRad(box.quad, isVerticalBox(box.quad), false));
  const weights = boxes.map((box) => {
    const { widthPx, heightPx } = cropSize(box.quad);
    return Math.max(widthPx, heightPx) / Math.min(widthPx, heightPx);
  });
  return readingFrame(dominantAngleRad(angles, weights));
}

/**
 * Whether the box's start and its end (the middles of its short sides, in reading order) lie on or
 * beyond the image's border (within a pixel). A line at the top or bottom edge is cut along its length,
 * not at its ends, so its ends still show the neighbours' slivers.
 */
function endsAtImageEdge(quad: Quad, image: RgbImage): { start: boolean; end: boolean } {
  const [tl, tr, br, bl] = quad;
  const middle = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const outside = ([x, y]: Point) => x <= 1 || y <= 1 || x >= image.widthPx - 2 || y >= image.heightPx - 2;
  // A vertical box's crop is turned a quarter counter-clockwise: its text runs from the top edge down.
  const [start, end] = isVerticalBox(quad) ? [middle(tl, tr), middle(bl, br)] : [middle(tl, bl), middle(tr, br)];
  return { start: outside(start), end: outside(end) };
}

/**
 * Runs the detector tile by tile into one stitched map, then finds the boxes in it: a line crossing a
 * seam is found whole, and no call is bigger than a tile.
 */
async function detectTextBoxes(rgb: RgbImage, models: OcrModels, options: OcrOptions, buffers: DetectionBuffers): Promise<TextBox[]> {
  const plan = planDetection(rgb.widthPx, rgb.heightPx, options);
  const map = new StitchedProbabilityMap(plan.widthPx, plan.heightPx);
  for (const tile of plan.tiles) map.add(tile, await models.detect(detectionTensor(rgb, plan, tile, buffers)));
  return textBoxesFromProbabilityMap({ data: map.data, widthPx: map.widthPx, heightPx: map.heightPx, one: PROBABILITY_LEVELS }, rgb.widthPx, rgb.heightPx, options);
}
