/** DB post-processing: a text probability map becomes scored, unclipped boxes in source pixels. */
import { boundsOf, insideConvexQuad, minAreaRect, unclipRect } from './geometry';
import type { OcrOptions } from './options';
import type { FloatTensor, Point, Quad } from './types';

export interface TextBox {
  /** Corners in source pixels, top-left first, clockwise. */
  quad: Quad;
  /** Mean text probability inside the box before unclipping. */
  score: number;
}

export type TextBoxOptions = Pick<OcrOptions, 'binarizeThreshold' | 'boxScoreThreshold' | 'unclipRatio' | 'minBoxSidePx' | 'maxBoxes'>;

/** Unclipped boxes must be this much longer on their short side than raw ones, as in PaddleOCR. */
const UNCLIPPED_MIN_SIDE_EXTRA_PX = 2;

/** A detector map: probabilities row-major, `one` standing for probability 1 (1 for floats, 255 quantised). */
export interface ProbabilityMap {
  data: Float32Array | Uint8Array;
  widthPx: number;
  heightPx: number;
  one: number;
}

/**
 * PaddleOCR's DBPostProcess (score_mode "fast", no dilation): binarise, take each 8-connected region's
 * minimum-area rectangle, score it by mean probability, grow it back, and scale it to the source.
 */
export function textBoxesFromProbabilityMap(
  map: FloatTensor | ProbabilityMap,
  sourceWidthPx: number,
  sourceHeightPx: number,
  options: TextBoxOptions,
): TextBox[] {
  const probability: ProbabilityMap =
    'dims' in map ? { data: map.data, widthPx: map.dims[map.dims.length - 1] ?? 0, heightPx: map.dims[map.dims.length - 2] ?? 0, one: 1 } : map;
  const { widthPx: mapWidth, heightPx: mapHeight, one } = probability;
  if (mapWidth === 0 || mapHeight === 0 || probability.data.length < mapWidth * mapHeight) return [];
  const prob = probability.data;
  const regions = textRegions(prob, mapWidth, mapHeight, options.binarizeThreshold * one, options.maxBoxes);
  const scaleX = sourceWidthPx / mapWidth;
  const scaleY = sourceHeightPx / mapHeight;
  const boxes: TextBox[] = [];
  for (const outline of regions) {
    const rect = minAreaRect(outline);
    if (Math.min(rect.widthPx, rect.heightPx) < options.minBoxSidePx) continue;
    const score = meanInside(prob, mapWidth, mapHeight, rect.corners) / one;
    if (score < options.boxScoreThreshold) continue;
    const grown = unclipRect(rect, options.unclipRatio);
    if (Math.min(grown.widthPx, grown.heightPx) < options.minBoxSidePx + UNCLIPPED_MIN_SIDE_EXTRA_PX) continue;
    const toSource = ([x, y]: Point): Point => [
      clamp(x * scaleX, 0, sourceWidthPx - 1),
      clamp(y * scaleY, 0, sourceHeightPx - 1),
    ];
    const quad = grown.corners.map(toSource) as Quad;
    boxes.push({ quad, score });
  }
  return boxes;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * 8-connected regions of pixels above threshold, each as its leftmost and rightmost pixel per row: the
 * same convex hull as the full region at a fraction of the points. At most maxRegions, in scan order.
 */
export function textRegions(prob: Float32Array | Uint8Array, width: number, height: number, threshold: number, maxRegions: number): Point[][] {
  const visited = new Uint8Array(width * height);
  const stack: number[] = [];
  const rowMin = new Int32Array(height);
  const rowMax = new Int32Array(height);
  const regions: Point[][] = [];
  for (let start = 0; start < width * height && regions.length < maxRegions; start++) {
    if (visited[start] || !(prob[start]! > threshold)) continue;
    visited[start] = 1;
    stack.push(start);
    const startRow = Math.floor(start / width);
    let topRow = startRow;
    let bottomRow = startRow;
    rowMin.fill(width, startRow, startRow + 1);
    rowMax.fill(-1, startRow, startRow + 1);
    while (stack.length > 0) {
      const index = stack.pop()!;
      const y = Math.floor(index / width);
      const x = index - y * width;
      // Rows join the region contiguously, so reset a row's extremes the first time it is reached.
      if (y < topRow) {
        rowMin.fill(width, y, topRow);
        rowMax.fill(-1, y, topRow);
        topRow = y;
      } else if (y > bottomRow) {
        rowMin.fill(width, bottomRow + 1, y + 1);
        rowMax.fill(-1, bottomRow + 1, y + 1);
        bottomRow = y;
      }
      if (x < rowMin[y]!) rowMin[y] = x;
      if (x > rowMax[y]!) rowMax[y] = x;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width || (dx === 0 && dy === 0)) continue;
          const neighbour = ny * width + nx;
          if (visited[neighbour] || !(prob[neighbour]! > threshold)) continue;
          visited[neighbour] = 1;
          stack.push(neighbour);
        }
      }
    }
    const outline: Point[] = [];
    for (let y = topRow; y <= bottomRow; y++) {
      outline.push([rowMin[y]!, y]);
      if (rowMax[y] !== rowMin[y]) outline.push([rowMax[y]!, y]);
    }
    regions.push(outline);
  }
  return regions;
}

/** Mean probability over map pixels whose centres fall in the quad (box_score_fast). */
export function meanInside(prob: Float32Array | Uint8Array, width: number, height: number, quad: Quad): number {
  const bounds = boundsOf(quad);
  const left = clamp(Math.floor(bounds.left), 0, width - 1);
  const right = clamp(Math.ceil(bounds.right), 0, width - 1);
  const top = clamp(Math.floor(bounds.top), 0, height - 1);
  const bottom = clamp(Math.ceil(bounds.bottom), 0, height - 1);
  let sum = 0;
  let count = 0;
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      if (!insideConvexQuad(quad, x, y)) continue;
      sum += prob[y * width + x]!;
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}
