/**
 * Reading order: recognised boxes become lines (boxes on one baseline merged), lines become blocks, and
 * columns are read one after another. A recursive XY-cut: split at a column gutter when both sides look
 * like columns, else at the widest horizontal gap, else the boxes are rows read top to bottom. It runs in
 * the frame of the page's dominant reading direction, so skewed, sideways and upside-down pages order
 * the same way as upright ones.
 */
import { boundsOf, distance, median } from './geometry';
import { leadingSpaces, monospacedAdvance, slashedZeroAsDigit } from './indentation';
import type { OcrLine, OcrResult, Point, Quad } from './types';

export interface RecognizedBox {
  text: string;
  confidence: number;
  quad: Quad;
  /** Direction the text runs in, radians, y down (0 left to right, π/2 top to bottom); 0 if unknown. */
  readingAngleRad?: number;
}

/** Boxes within this angle of each other read in the same direction. */
const SAME_DIRECTION_RAD = (20 * Math.PI) / 180;

/** A gutter narrower than this many text heights is a word or cell gap, never a column break. */
const MIN_GUTTER_TEXT_HEIGHTS = 1;
/** Boxes overlapping vertically by at least this share of the shorter one sit on the same row. */
const SAME_ROW_OVERLAP = 0.5;
/**
 * Two sides whose rows line up (this share of each side's rows level with a row across) are a table, read
 * row by row, unless both hold running text; a wrapped cell or two still leaves a table above it.
 */
const TABLE_ALIGNED_SHARE = 0.7;
/**
 * A column has no hole this many text heights tall between its rows; without this, indented lines that
 * zigzag across a gap look like two sparse columns.
 */
const MAX_COLUMN_ROW_GAP_TEXT_HEIGHTS = 3;
/** Rows at least this many text heights long are running text, which columns hold and table cells rarely do. */
const RUNNING_TEXT_ROW_HEIGHTS = 8;
/** A vertical gap above this many text heights starts a new block (paragraph break). */
const BLOCK_GAP_TEXT_HEIGHTS = 0.5;
/** Rows whose text heights differ by more than this factor are in different blocks (heading vs body). */
const BLOCK_SIZE_RATIO = 1.3;

interface Item {
  box: RecognizedBox;
  /** Bounds in the reading frame. */
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Text height: the box's shorter side, which rotation does not inflate. */
  sizePx: number;
}

interface Row {
  items: Item[];
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Which column region the row was read in; a change of region starts a block. */
  regionId: number;
}

/**
 * Direction a box's text runs in: along its top edge, a quarter turn on for vertical boxes (whose crops
 * were turned counter-clockwise), a half turn on if the strip read better upside down.
 */
export function readingAngleRad(quad: Quad, vertical: boolean, upsideDown: boolean): number {
  const [tl, tr] = quad;
  const along = Math.atan2(tr[1] - tl[1], tr[0] - tl[0]);
  return normaliseAngle(along + (vertical ? Math.PI / 2 : 0) + (upsideDown ? Math.PI : 0));
}

function normaliseAngle(rad: number): number {
  const turned = rad % (2 * Math.PI);
  return turned > Math.PI ? turned - 2 * Math.PI : turned <= -Math.PI ? turned + 2 * Math.PI : turned;
}

/**
 * The reading direction most of the text shares (weighted by characters): the angle with the most text
 * within SAME_DIRECTION_RAD of it, averaged over that text, so a few sideways labels do not tilt a page.
 */
export function dominantReadingAngleRad(boxes: readonly RecognizedBox[]): number {
  const angles = boxes.map((b) => b.readingAngleRad ?? 0);
  const weights = boxes.map((b) => Math.max(1, [...b.text].length));
  const near = (a: number, b: number) => Math.abs(normaliseAngle(a - b)) <= SAME_DIRECTION_RAD;
  let bestSupport = -1;
  let best = 0;
  angles.forEach((candidate) => {
    const support = angles.reduce((sum, other, j) => sum + (near(candidate, other) ? weights[j]! : 0), 0);
    if (support > bestSupport) {
      bestSupport = support;
      best = candidate;
    }
  });
  let x = 0;
  let y = 0;
  angles.forEach((angle, j) => {
    if (!near(best, angle)) return;
    x += weights[j]! * Math.cos(angle);
    y += weights[j]! * Math.sin(angle);
  });
  return x === 0 && y === 0 ? 0 : Math.atan2(y, x);
}

/** Orders boxes into lines and blocks; plain text has a line break per line and a blank line per block. */
export function layOutText(boxes: readonly RecognizedBox[]): OcrResult {
  if (boxes.length === 0) return { text: '', lines: [] };
  const frame = readingFrame(dominantReadingAngleRad(boxes));
  const items = boxes.map((box) => toItem(box, frame));
  const textHeight = median(items.map((i) => i.sizePx));
  const rows: Row[] = [];
  let nextRegionId = 1;
  const cut = (region: Item[], regionId: number): void => {
    if (region.length === 0) return;
    const columns = splitIntoColumns(region, textHeight);
    if (columns) {
      for (const side of columns) cut(side, nextRegionId++);
      return;
    }
    const bands = splitAtWidestGap(region);
    if (bands) {
      for (const band of bands) cut(band, regionId);
      return;
    }
    for (const row of groupRows(region)) rows.push({ ...row, regionId });
  };
  cut(items, 0);
  return assembleBlocks(rows, frame);
}

/** Rotation into the frame where text reads left to right, and back. */
interface ReadingFrame {
  toFrame(point: Point): Point;
  fromFrame(point: Point): Point;
}

function readingFrame(angleRad: number): ReadingFrame {
  const cos = Math.cos(angleRad);
  const sin = Math.sin(angleRad);
  return {
    toFrame: ([x, y]) => [x * cos + y * sin, -x * sin + y * cos],
    fromFrame: ([u, v]) => [u * cos - v * sin, u * sin + v * cos],
  };
}

function toItem(box: RecognizedBox, frame: ReadingFrame): Item {
  const { left, top, right, bottom } = boundsOf(box.quad.map(frame.toFrame));
  const [tl, tr, , bl] = box.quad;
  return { box, left, top, right, bottom, sizePx: Math.max(1, Math.min(distance(tl, tr), distance(tl, bl))) };
}

function verticalOverlap(a: { top: number; bottom: number }, b: { top: number; bottom: number }): number {
  return Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
}

/** Boxes into rows by vertical overlap, rows top to bottom, boxes left to right. */
function groupRows(items: readonly Item[]): Omit<Row, 'regionId'>[] {
  const rows: Omit<Row, 'regionId'>[] = [];
  const byCentre = [...items].sort((a, b) => a.top + a.bottom - (b.top + b.bottom));
  for (const item of byCentre) {
    let best: Omit<Row, 'regionId'> | undefined;
    let bestShare = SAME_ROW_OVERLAP;
    for (const row of rows) {
      const share = verticalOverlap(row, item) / Math.min(row.bottom - row.top, item.bottom - item.top);
      if (share >= bestShare) {
        best = row;
        bestShare = share;
      }
    }
    if (best) {
      best.items.push(item);
      best.left = Math.min(best.left, item.left);
      best.right = Math.max(best.right, item.right);
      best.top = Math.min(best.top, item.top);
      best.bottom = Math.max(best.bottom, item.bottom);
    } else {
      rows.push({ items: [item], left: item.left, top: item.top, right: item.right, bottom: item.bottom });
    }
  }
  for (const row of rows) row.items.sort((a, b) => a.left - b.left);
  return rows.sort((a, b) => a.top + a.bottom - (b.top + b.bottom));
}

/** Splits at the widest vertical gutter whose two sides read as columns rather than table cells. */
function splitIntoColumns(items: Item[], textHeight: number): [Item[], Item[]] | null {
  const gutters = projectionGaps(items.map((i) => [i.left, i.right]))
    .filter((g) => g.end - g.start >= MIN_GUTTER_TEXT_HEIGHTS * textHeight)
    .sort((a, b) => b.end - b.start - (a.end - a.start));
  for (const gutter of gutters) {
    const left = items.filter((i) => i.right <= gutter.start);
    const right = items.filter((i) => i.left >= gutter.end);
    if (looksLikeColumns(groupRows(left), groupRows(right), textHeight)) return [left, right];
  }
  return null;
}

function looksLikeColumns(left: Omit<Row, 'regionId'>[], right: Omit<Row, 'regionId'>[], textHeight: number): boolean {
  if (left.length < 2 || right.length < 2) return false;
  const maxRowGap = MAX_COLUMN_ROW_GAP_TEXT_HEIGHTS * textHeight;
  if (largestRowGap(left) > maxRowGap || largestRowGap(right) > maxRowGap) return false;
  // One side level with the other (a column of amounts beside their labels) is enough for a table.
  if (Math.max(alignedShare(left, right), alignedShare(right, left)) < TABLE_ALIGNED_SHARE) return true;
  // Level rows made of separate cells are a table, however long its cells: column text is one box a line.
  if (hasCellGaps(left, textHeight) || hasCellGaps(right, textHeight)) return false;
  const runningText = (rows: Omit<Row, 'regionId'>[]) =>
    median(rows.map((r) => r.right - r.left)) >= RUNNING_TEXT_ROW_HEIGHTS * textHeight;
  return runningText(left) && runningText(right);
}

/** Whether most rows hold several boxes a gutter apart, as table rows do and lines of prose don't. */
function hasCellGaps(rows: Omit<Row, 'regionId'>[], textHeight: number): boolean {
  const withGaps = rows.filter((row) =>
    row.items.some((item, i) => i > 0 && item.left - row.items[i - 1]!.right >= MIN_GUTTER_TEXT_HEIGHTS * textHeight),
  );
  return withGaps.length >= TABLE_ALIGNED_SHARE * rows.length;
}

/** Tallest empty stretch between consecutive rows (rows come sorted top to bottom). */
function largestRowGap(rows: Omit<Row, 'regionId'>[]): number {
  let largest = 0;
  for (let i = 1; i < rows.length; i++) largest = Math.max(largest, rows[i]!.top - rows[i - 1]!.bottom);
  return largest;
}

/** Share of `rows` that sit level with some row of `others`. */
function alignedShare(rows: Omit<Row, 'regionId'>[], others: Omit<Row, 'regionId'>[]): number {
  const level = rows.filter((row) =>
    others.some((other) => verticalOverlap(row, other) >= SAME_ROW_OVERLAP * Math.min(row.bottom - row.top, other.bottom - other.top)),
  );
  return level.length / rows.length;
}

/** Splits into the boxes above and below the widest horizontal strip that no box crosses. */
function splitAtWidestGap(items: Item[]): [Item[], Item[]] | null {
  const gaps = projectionGaps(items.map((i) => [i.top, i.bottom]));
  if (gaps.length === 0) return null;
  const widest = gaps.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  return [items.filter((i) => i.bottom <= widest.start), items.filter((i) => i.top >= widest.end)];
}

/** Empty stretches between the union of intervals, in order. */
function projectionGaps(intervals: [number, number][]): { start: number; end: number }[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const gaps: { start: number; end: number }[] = [];
  let reach = -Infinity;
  for (const [start, end] of sorted) {
    if (start > reach && reach !== -Infinity) gaps.push({ start: reach, end: start });
    reach = Math.max(reach, end);
  }
  return gaps;
}

function rowTextHeight(row: Row): number {
  return median(row.items.map((i) => i.sizePx));
}

function startsNewBlock(previous: Row, row: Row): boolean {
  if (row.regionId !== previous.regionId) return true;
  const size = Math.max(rowTextHeight(previous), rowTextHeight(row));
  const ratio = Math.max(rowTextHeight(previous), rowTextHeight(row)) / Math.min(rowTextHeight(previous), rowTextHeight(row));
  const horizontallyApart = Math.min(previous.right, row.right) <= Math.max(previous.left, row.left);
  return row.top - previous.bottom > BLOCK_GAP_TEXT_HEIGHTS * size || ratio > BLOCK_SIZE_RATIO || horizontallyApart;
}

function assembleBlocks(rows: Row[], frame: ReadingFrame): OcrResult {
  const blockRows: Row[][] = [];
  rows.forEach((row, i) => {
    const previous = rows[i - 1];
    if (!previous || startsNewBlock(previous, row)) blockRows.push([]);
    blockRows.at(-1)!.push(row);
  });
  const lines = blockRows.flatMap((block, blockIndex) => {
    const blockLines = block.map((row) => toLine(row, blockIndex, frame));
    const extents = block.map((row, k) => ({ left: row.left, right: row.right, characters: [...blockLines[k]!.text].length }));
    const indents = leadingSpaces(extents);
    const monospaced = monospacedAdvance(extents) !== null;
    return blockLines.map((line, k) => ({ ...line, text: ' '.repeat(indents[k]!) + (monospaced ? slashedZeroAsDigit(line.text) : line.text) }));
  });
  const blocks: string[][] = [];
  for (const line of lines) (blocks[line.blockIndex] ??= []).push(line.text);
  return { text: blocks.map((b) => b.join('\n')).join('\n\n'), lines };
}

function toLine(row: Row, blockIndex: number, frame: ReadingFrame): OcrLine {
  const texts = row.items.map((i) => i.box.text);
  const weights = texts.map((t) => Math.max(1, [...t].length));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const confidence = row.items.reduce((sum, item, k) => sum + item.box.confidence * weights[k]!, 0) / totalWeight;
  const only = row.items.length === 1 ? row.items[0] : undefined;
  const box: Quad = only
    ? only.box.quad
    : ([
        [row.left, row.top],
        [row.right, row.top],
        [row.right, row.bottom],
        [row.left, row.bottom],
      ].map((corner) => frame.fromFrame(corner as Point)) as Quad);
  return { text: texts.join(' '), confidence, box, blockIndex };
}
