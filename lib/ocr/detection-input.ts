/** Detector input: the size the DB model sees, the bands it is run on, and the normalised tensors. */
import type { OcrOptions } from './options';
import { resizeRgb, type ResizeScratch, type RgbImage } from './raster';
import type { FloatTensor } from './types';

/** DB's feature pyramid downsamples by 32, so both sides must be multiples of it. */
export const DETECTION_SIZE_STEP_PX = 32;
/**
 * Context around the part of a tile whose probabilities are kept (detector pixels): a pixel's
 * probability depends on its surroundings. With this much, lines crossing a seam stayed whole in the
 * stitched map on the real-world set, though a box edge near a seam can still move a little (hence small
 * images run whole); 96 cost 45% more detector time on the biggest page for no better CER.
 */
export const DETECTION_TILE_MARGIN_PX = 64;

/**
 * ImageNet statistics, listed for B, G, R: PaddleOCR normalises cv2's BGR pixels with the RGB-ordered
 * ImageNet mean/std unchanged, and PP-OCRv4 det was trained that way, so we reproduce it exactly.
 */
const DETECTION_MEAN_BGR = [0.485, 0.456, 0.406] as const;
const DETECTION_STD_BGR = [0.229, 0.224, 0.225] as const;

/** One stretch of a detector input axis: the input run [fromPx, fromPx + sizePx), keeping [ownedFromPx, ownedToPx). */
export interface TileSpan {
  fromPx: number;
  sizePx: number;
  ownedFromPx: number;
  ownedToPx: number;
}

/** One detector call: a rectangle of the scaled image, of which the owned part goes into the stitched map. */
export interface DetectionTile {
  x: TileSpan;
  y: TileSpan;
}

export interface DetectionPlan {
  /** The whole image scaled for detection, both multiples of 32. */
  widthPx: number;
  heightPx: number;
  tiles: DetectionTile[];
}

export type DetectionPlanOptions = Pick<
  OcrOptions,
  'detectionMaxWidthPx' | 'detectionMaxPixels' | 'detectionTileMaxPixels' | 'detectionWholeMaxPixels' | 'detectionUpscaleBelowPx' | 'detectionMaxUpscale'
>;

/**
 * Scale small images up toward detectionUpscaleBelowPx (so 12-px text reaches the size DB reads well),
 * cap the width and the total area, round to multiples of 32, then cut results bigger than
 * detectionWholeMaxPixels into overlapping tiles of at most detectionTileMaxPixels: the detector's memory
 * follows its largest call, so it stays bounded while a big page keeps its text size instead of being
 * shrunk into illegibility.
 */
export function planDetection(widthPx: number, heightPx: number, options: DetectionPlanOptions): DetectionPlan {
  const longSide = Math.max(widthPx, heightPx);
  let scale = 1;
  if (longSide < options.detectionUpscaleBelowPx) {
    scale = Math.min(options.detectionMaxUpscale, options.detectionUpscaleBelowPx / longSide);
  }
  scale = Math.min(scale, options.detectionMaxWidthPx / widthPx, Math.sqrt(options.detectionMaxPixels / (widthPx * heightPx)));
  const scaledWidth = roundToStep(widthPx * scale);
  const scaledHeight = roundToStep(heightPx * scale);
  if (scaledWidth * scaledHeight <= options.detectionWholeMaxPixels) {
    const whole = (size: number): TileSpan => ({ fromPx: 0, sizePx: size, ownedFromPx: 0, ownedToPx: size });
    return { widthPx: scaledWidth, heightPx: scaledHeight, tiles: [{ x: whole(scaledWidth), y: whole(scaledHeight) }] };
  }
  // Tiles are as wide as the image allows up to a square of the budget (a full row of a narrow page),
  // then as tall as the rest of the budget allows; each at least its two margins and a step.
  const minTile = 2 * DETECTION_TILE_MARGIN_PX + DETECTION_SIZE_STEP_PX;
  const square = floorToStep(Math.sqrt(options.detectionTileMaxPixels));
  const tileWidth = Math.min(scaledWidth, Math.max(minTile, square));
  const tileHeight = Math.min(scaledHeight, Math.max(minTile, floorToStep(options.detectionTileMaxPixels / tileWidth)));
  const columns = axisSpans(scaledWidth, tileWidth);
  const rows = axisSpans(scaledHeight, tileHeight);
  return { widthPx: scaledWidth, heightPx: scaledHeight, tiles: rows.flatMap((y) => columns.map((x) => ({ x, y }))) };
}

/**
 * Cuts an axis of `size` into runs of `tile` that overlap by two margins; each owns the middle of its
 * overlaps, so the owned parts tile the axis exactly. The last run is pulled back to end at the edge.
 */
export function axisSpans(size: number, tile: number): TileSpan[] {
  if (size <= tile) return [{ fromPx: 0, sizePx: size, ownedFromPx: 0, ownedToPx: size }];
  const stride = tile - 2 * DETECTION_TILE_MARGIN_PX;
  const spans: TileSpan[] = [];
  for (let from = 0; ; from += stride) {
    const last = from + tile >= size;
    const fromPx = last ? size - tile : from;
    const ownedFromPx = spans.length === 0 ? 0 : spans[spans.length - 1]!.ownedToPx;
    const ownedToPx = last ? size : from + tile - DETECTION_TILE_MARGIN_PX;
    spans.push({ fromPx, sizePx: tile, ownedFromPx, ownedToPx });
    if (last) break;
  }
  return spans;
}

function floorToStep(sizePx: number): number {
  return Math.max(DETECTION_SIZE_STEP_PX, Math.floor(sizePx / DETECTION_SIZE_STEP_PX) * DETECTION_SIZE_STEP_PX);
}

function roundToStep(sizePx: number): number {
  return Math.max(DETECTION_SIZE_STEP_PX, Math.round(sizePx / DETECTION_SIZE_STEP_PX) * DETECTION_SIZE_STEP_PX);
}

/**
 * Buffers reused from tile to tile of one image (and, lent by scratch.ts, from image to image): without
 * them every tile of a big scan left its resample and its tensor as garbage, and the extension's renderer
 * climbed by hundreds of MB between collections.
 */
export interface DetectionBuffers {
  resize: ResizeScratch;
  /** The previous tile's tensor data, no longer needed once its detector call has returned; grown as needed. */
  tensor?: Float32Array;
}

export function detectionBuffers(): DetectionBuffers {
  return { resize: { horizontal: new Float32Array(0), out: new Float32Array(0) } };
}

/**
 * [1,3,H,W] tensor of one tile, channels B, G, R, each (v/255 - mean)/std, as PP-OCR det expects; with
 * `buffers`, built in them.
 */
export function detectionTensor(image: RgbImage, plan: DetectionPlan, tile: DetectionTile, buffers?: DetectionBuffers): FloatTensor {
  const resized = resizeRgb(
    image,
    plan.widthPx,
    plan.heightPx,
    tile.y.fromPx,
    tile.y.fromPx + tile.y.sizePx,
    tile.x.fromPx,
    tile.x.fromPx + tile.x.sizePx,
    buffers?.resize,
  );
  const plane = resized.widthPx * resized.heightPx;
  if (buffers && (buffers.tensor?.length ?? 0) < 3 * plane) buffers.tensor = new Float32Array(3 * plane);
  // Every element is written below, so a lent buffer needs no clearing.
  const data = buffers ? buffers.tensor!.subarray(0, 3 * plane) : new Float32Array(3 * plane);
  const [meanB, meanG, meanR] = DETECTION_MEAN_BGR;
  const [stdB, stdG, stdR] = DETECTION_STD_BGR;
  const pixels = resized.data;
  // One pass over the pixels, writing the three planes (B, G, R) side by side.
  for (let p = 0, i = 0; p < plane; p++, i += 3) {
    data[p] = (pixels[i + 2]! / 255 - meanB) / stdB;
    data[plane + p] = (pixels[i + 1]! / 255 - meanG) / stdG;
    data[2 * plane + p] = (pixels[i]! / 255 - meanR) / stdR;
  }
  return { data, dims: [1, 3, resized.heightPx, resized.widthPx] };
}

/** Probabilities in 1/255 steps: a whole page's map at a quarter of float32's memory. */
export const PROBABILITY_LEVELS = 255;

/**
 * The whole detector map, filled tile by tile: each tile's owned part, quantised to PROBABILITY_LEVELS
 * (DB's thresholds are two decimals). Lines that cross a seam are whole in it.
 */
export class StitchedProbabilityMap {
  readonly data: Uint8Array;
  constructor(
    readonly widthPx: number,
    readonly heightPx: number,
  ) {
    this.data = new Uint8Array(widthPx * heightPx);
  }

  /** Copies the owned part of one tile's [1,1,h,w] probabilities into the map. */
  add(tile: DetectionTile, probability: FloatTensor): void {
    const tileWidth = probability.dims[probability.dims.length - 1] ?? 0;
    const tileHeight = probability.dims[probability.dims.length - 2] ?? 0;
    if (tileWidth !== tile.x.sizePx || tileHeight !== tile.y.sizePx) {
      throw new Error(`detector map ${tileWidth}×${tileHeight} for a ${tile.x.sizePx}×${tile.y.sizePx} tile`);
    }
    for (let y = tile.y.ownedFromPx; y < tile.y.ownedToPx; y++) {
      const from = (y - tile.y.fromPx) * tileWidth - tile.x.fromPx;
      const to = y * this.widthPx;
      for (let x = tile.x.ownedFromPx; x < tile.x.ownedToPx; x++) {
        this.data[to + x] = Math.round(Math.min(1, Math.max(0, probability.data[from + x]!)) * PROBABILITY_LEVELS);
      }
    }
  }
}
