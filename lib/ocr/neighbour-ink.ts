/**
 * Ink a text box caught from its neighbours. The detector cuts a justified line into boxes at its wide
 * gaps, and the unclip margin that keeps a box's own letters whole reaches across those gaps into the
 * next word: a box then starts with the tail of the word before it and ends with the head of the word
 * after it. Read as they are, those slivers become repeated letters ("giving g her") and stray glyphs
 * ("keys 1 to"). A box's own text has a margin of paper before the crop's edge; a sliver is cut by it.
 */
import { inkColumns } from './ink';
import type { RgbImage } from './raster';

/**
 * Ink runs closer than this (strip heights) are one cluster: letters of a word, a word and its comma.
 * A sliver is split from the box's own text by the word gap the detector cut at, which on the UNLV and
 * scribeocr scans was 0.45-1.1 strip heights; letter gaps stay under 0.15.
 */
export const CLUSTER_GAP_STRIP_HEIGHTS = 0.25;
/** An edge cluster this close to the crop's edge (strip heights) is cut by it. */
export const EDGE_TOUCH_STRIP_HEIGHTS = 0.05;
/**
 * Slivers measured 0.23-0.42 strip heights wide on those scans; one whole letter with the box's margins
 * is wider, and a whole word much wider, so anything from this width on is kept as the box's own.
 */
export const MAX_SLIVER_STRIP_HEIGHTS = 0.5;

interface ColumnSpan {
  fromX: number;
  /** Exclusive. */
  toX: number;
}

/**
 * The strip without the neighbours' slivers at its ends, or null when slivers are all it holds. A strip
 * with a single cluster is returned unchanged: then there is nothing to tell its own text from. An end
 * marked `keep` (cut by the image's border, so its ink is the box's own text) is never trimmed.
 */
export function withoutNeighbourSlivers(strip: RgbImage, keep: { start?: boolean; end?: boolean } = {}): RgbImage | null {
  const clusters = inkClusters(strip);
  if (clusters.length < 2) return strip;
  const touch = EDGE_TOUCH_STRIP_HEIGHTS * strip.heightPx;
  const maxSliver = MAX_SLIVER_STRIP_HEIGHTS * strip.heightPx;
  const isSliver = (c: ColumnSpan) => c.toX - c.fromX < maxSliver;
  const first = clusters[0]!;
  const last = clusters[clusters.length - 1]!;
  const dropFirst = !keep.start && first.fromX <= touch && isSliver(first);
  const dropLast = !keep.end && strip.widthPx - last.toX <= touch && isSliver(last);
  if (!dropFirst && !dropLast) return strip;
  const kept = clusters.slice(dropFirst ? 1 : 0, dropLast ? -1 : undefined);
  if (kept.length === 0) return null;
  // Cut in the middle of the gap: the box's own text keeps half of it as its margin.
  const fromX = dropFirst ? Math.floor((first.toX + kept[0]!.fromX) / 2) : 0;
  const toX = dropLast ? Math.ceil((kept[kept.length - 1]!.toX + last.fromX) / 2) : strip.widthPx;
  return cropColumns(strip, fromX, toX);
}

/** Runs of ink columns, merged across gaps narrower than CLUSTER_GAP_STRIP_HEIGHTS. */
function inkClusters(strip: RgbImage): ColumnSpan[] {
  const ink = inkColumns(strip);
  const minGap = CLUSTER_GAP_STRIP_HEIGHTS * strip.heightPx;
  const clusters: ColumnSpan[] = [];
  for (let x = 0; x < ink.length; x++) {
    if (!ink[x]) continue;
    const previous = clusters[clusters.length - 1];
    if (previous && x - previous.toX < minGap) previous.toX = x + 1;
    else clusters.push({ fromX: x, toX: x + 1 });
  }
  return clusters;
}

function cropColumns(strip: RgbImage, fromX: number, toX: number): RgbImage {
  const widthPx = Math.max(1, toX - fromX);
  const data = new Uint8Array(widthPx * strip.heightPx * 3);
  for (let y = 0; y < strip.heightPx; y++) {
    const source = (y * strip.widthPx + fromX) * 3;
    data.set(strip.data.subarray(source, source + widthPx * 3), y * widthPx * 3);
  }
  return { data, widthPx, heightPx: strip.heightPx };
}
