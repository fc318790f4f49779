/**
 * Reading order: recognised boxes become lines (boxes on one baseline merged), lines become blocks, and
 * columns are read one after another. A recursive XY-cut: split at a column gutter when both sides look
 * like columns; else, where a few boxes bridge a gutter, next to them (a headline or footnote across the
 * columns) or around them (a caption set into the gutter, read after the columns); else at the widest
 * horizontal gap; else the boxes are rows read top to bottom. It runs in
 * the frame of the page's dominant reading direction, so skewed, sideways and upside-down pages order
 * the same way as upright ones.
 */
import { alignedGutters, MIN_SPLIT_PART_TEXT_HEIGHTS, type Gutter } from './column-gutters';
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

/**
 * A gap this many text heights wide between boxes on a row is a cell gap; a gutter narrower than it is
 * a column break only between tall columns of running text (MIN_TALL_COLUMN_ROWS).
 */
const MIN_GUTTER_TEXT_HEIGHTS = 1;
/**
 * Narrowest column gutter, in text heights. Boxes are unclipped, so a magazine's gutter shrinks to half a
 * text height (25–35 px at 50 px text on the UNLV pages of the real-world set); word gaps inside a column
 * do not line up down the page, so they leave no gap in the projection.
 */
const MIN_COLUMN_GUTTER_TEXT_HEIGHTS = 0.3;
/** At most this share of a region's boxes may cross a column gutter (headlines, captions, footnotes). */
const MAX_BRIDGING_SHARE = 0.1;
/**
 * Columns at least this many rows tall are blocks of running text rather than a row of table cells or
 * cards; only they may be split at a narrow gutter, beside further columns, or across a hole.
 */
const MIN_TALL_COLUMN_ROWS = 4;
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

type RowBounds = Omit<Row, 'regionId'>;

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
  return dominantAngleRad(
    boxes.map((b) => b.readingAngleRad ?? 0),
    boxes.map((b) => Math.max(1, [...b.text].length)),
  );
}

/** The angle with the most weight within SAME_DIRECTION_RAD of it, averaged over that weight. */
export function dominantAngleRad(angles: readonly number[], weights: readonly number[]): number {
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
  const untrimmed = boxes.map((box) => toItem(box, frame));
  const textHeight = median(untrimmed.map((i) => i.sizePx));
  // Lines the detector joined across a narrow gutter were cut there before they were read
  // (column-gutters.ts); the gutter is still too narrow for a clear strip until the edges reaching into
  // it are trimmed, and narrower than columns are otherwise accepted at.
  const gutters = alignedGutters(untrimmed, textHeight);
  const items = gutters.reduce((trimmed, gutter) => trimIntoGutter(trimmed, gutter, textHeight), untrimmed);
  const rows: Row[] = [];
  let nextRegionId = 1;
  const cut = (region: Item[], regionId: number): void => {
    if (region.length === 0) return;
    const columns = splitIntoColumns(region, textHeight, gutters);
    if (columns) {
      for (const side of columns) cut(side, nextRegionId++);
      return;
    }
    const aroundBridges = splitAroundBridges(region, textHeight, gutters);
    if (aroundBridges) {
      for (const part of aroundBridges.parts) cut(part, aroundBridges.apart ? nextRegionId++ : regionId);
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
export interface ReadingFrame {
  toFrame(point: Point): Point;
  fromFrame(point: Point): Point;
}

export function readingFrame(angleRad: number): ReadingFrame {
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

/** The median top and bottom of a row's boxes. */
function rowCore(row: Omit<Row, 'regionId'>): { top: number; bottom: number } {
  if (row.items.length === 1) return row;
  return { top: median(row.items.map((i) => i.top)), bottom: median(row.items.map((i) => i.bottom)) };
}

/** Boxes into rows by vertical overlap, rows top to bottom, boxes left to right. */
function groupRows(items: readonly Item[]): Omit<Row, 'regionId'>[] {
  const rows: Omit<Row, 'regionId'>[] = [];
  const byCentre = [...items].sort((a, b) => a.top + a.bottom - (b.top + b.bottom));
  // Centres only go down the page and a row grows only by boxes it overlaps, so a row ending above the
  // current centre by half the tallest box's height can take no later box: leave it out of the search.
  const halfTallest = Math.max(0, ...items.map((i) => i.bottom - i.top)) / 2;
  let open: Omit<Row, 'regionId'>[] = [];
  for (const item of byCentre) {
    const centre = (item.top + item.bottom) / 2;
    open = open.filter((row) => row.bottom > centre - halfTallest);
    let best: Omit<Row, 'regionId'> | undefined;
    let bestShare = SAME_ROW_OVERLAP;
    for (const row of open) {
      // Against the row's typical box, not its grown extent: one box the detector made taller (two words
      // run together, a descender) would otherwise pull in the boxes of the line below.
      const core = rowCore(row);
      const share = verticalOverlap(core, item) / Math.min(core.bottom - core.top, item.bottom - item.top);
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
      const row = { items: [item], left: item.left, top: item.top, right: item.right, bottom: item.bottom };
      rows.push(row);
      open.push(row);
    }
  }
  for (const row of rows) row.items.sort((a, b) => a.left - b.left);
  return rows.sort((a, b) => a.top + a.bottom - (b.top + b.bottom));
}

/** Splits at the widest vertical gutter whose two sides read as columns rather than table cells. */
function splitIntoColumns(items: Item[], textHeight: number, aligned: readonly Gutter[] = []): [Item[], Item[]] | null {
  const gutters = projectionGaps(items.map((i) => [i.left, i.right]))
    .filter((g) => g.end - g.start >= MIN_COLUMN_GUTTER_TEXT_HEIGHTS * textHeight || aligned.some((a) => g.start < a.mid && g.end > a.mid))
    .sort((a, b) => b.end - b.start - (a.end - a.start));
  for (const gutter of gutters) {
    const left = items.filter((i) => i.right <= gutter.start);
    const right = items.filter((i) => i.left >= gutter.end);
    const narrow = gutter.end - gutter.start < MIN_GUTTER_TEXT_HEIGHTS * textHeight;
    // A side holding further columns is judged by the one next to the gutter: three columns beside a
    // fourth are not table cells because their own gutters are wide.
    const nearLeft = adjacentColumn(left, textHeight, 'last');
    const nearRight = adjacentColumn(right, textHeight, 'first');
    const sides = { left: groupRows(left), right: groupRows(right), nearLeft: groupRows(nearLeft), nearRight: groupRows(nearRight) };
    if (looksLikeColumns(sides, textHeight, narrow)) return [left, right];
  }
  return null;
}

/** The items of `side` between its first (or last) column gutter and the edge of `side` it names. */
function adjacentColumn(side: Item[], textHeight: number, which: 'first' | 'last'): Item[] {
  const gaps = projectionGaps(side.map((i) => [i.left, i.right])).filter(
    (g) => g.end - g.start >= MIN_COLUMN_GUTTER_TEXT_HEIGHTS * textHeight,
  );
  if (gaps.length === 0) return side;
  return which === 'first' ? side.filter((i) => i.right <= gaps[0]!.start) : side.filter((i) => i.left >= gaps.at(-1)!.end);
}

/**
 * Whether the sides of a gutter are columns. Alignment is judged on whole sides (a table's amounts line
 * up with its labels however many columns lie between), running text on the columns next to the gutter.
 */
function looksLikeColumns(
  sides: { left: RowBounds[]; right: RowBounds[]; nearLeft: RowBounds[]; nearRight: RowBounds[] },
  textHeight: number,
  narrowGutter: boolean,
): boolean {
  const { left, right, nearLeft, nearRight } = sides;
  // A gutter narrower than a text height (as in print, where unclipped boxes nearly meet) is a column
  // break only between blocks of several lines of running text each, never between a few table rows.
  const tall = nearLeft.length >= MIN_TALL_COLUMN_ROWS && nearRight.length >= MIN_TALL_COLUMN_ROWS;
  if (nearLeft.length < 2 || nearRight.length < 2 || (narrowGutter && !tall)) return false;
  // Two or three rows on each side of a hole are indented lines zigzagging across a gap; a tall column
  // may have holes (a pull quote, a figure, a heading set beside it).
  const maxRowGap = MAX_COLUMN_ROW_GAP_TEXT_HEIGHTS * textHeight;
  if (!tall && (largestRowGap(left) > maxRowGap || largestRowGap(right) > maxRowGap)) return false;
  // A hole across both sides at once splits a grid of cards or cells into rows, which read across.
  const sharedHoles = projectionGaps([...nearLeft, ...nearRight].map((r) => [r.top, r.bottom]));
  if (sharedHoles.some((g) => g.end - g.start > maxRowGap)) return false;
  const runningText = (rows: RowBounds[]) => median(rows.map((r) => r.right - r.left)) >= RUNNING_TEXT_ROW_HEIGHTS * textHeight;
  if (narrowGutter && !(runningText(nearLeft) && runningText(nearRight))) return false;
  // One side level with the other (a column of amounts beside their labels) is enough for a table.
  if (Math.max(alignedShare(left, right), alignedShare(right, left)) < TABLE_ALIGNED_SHARE) return true;
  // Level rows made of separate cells are a table, however long its cells: column text is one box a line.
  // Cells a column gutter apart are columns only when the columns by the gutter are tall: a row of
  // cards or cells is a few lines high.
  if (hasCellGaps(nearLeft, textHeight) || hasCellGaps(nearRight, textHeight)) return false;
  if ((hasCellGaps(left, textHeight) || hasCellGaps(right, textHeight)) && !tall) return false;
  return runningText(nearLeft) && runningText(nearRight);
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
  // Rows that overlap have centres at most half their heights' sum apart: search only that window of
  // `others` by centre, so tall tables cost n log n rather than n².
  const centre = (r: RowBounds) => (r.top + r.bottom) / 2;
  const sorted = [...others].sort((a, b) => centre(a) - centre(b));
  const tallest = Math.max(0, ...sorted.map((r) => r.bottom - r.top));
  const level = rows.filter((row) => {
    const reach = (row.bottom - row.top + tallest) / 2;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (centre(sorted[mid]!) < centre(row) - reach) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < sorted.length && centre(sorted[k]!) <= centre(row) + reach; k++) {
      const other = sorted[k]!;
      if (verticalOverlap(row, other) >= SAME_ROW_OVERLAP * Math.min(row.bottom - row.top, other.bottom - other.top)) return true;
    }
    return false;
  });
  return level.length / rows.length;
}

/**
 * Where a few boxes bridge a column gutter, splits so the columns can be found: at the horizontal strip
 * next to a bridging box (a headline, or a caption or footnote across the columns), or, when the bridging
 * boxes float in the gutter with text beside them on both sides (a caption set into the columns), into
 * the columns' boxes and the floating ones, read after them. Null when nothing bridges a gutter. The
 * strips next to the boxes bridging any gutter are weighed together: a short footnote under the first
 * two of three columns bridges only their gutter, the headline all of them, and the footnote's strip
 * must be cut before the third column is split off.
 */
function splitAroundBridges(items: Item[], textHeight: number, aligned: readonly Gutter[]): { parts: Item[][]; apart: boolean } | null {
  const allBridged = bridgedGutters(items, textHeight, aligned);
  const bridged = allBridged[0];
  if (!bridged) return null;
  const gaps = projectionGaps(items.map((i) => [i.top, i.bottom]));
  const between = (top: number, bottom: number) => items.some((i) => i.top >= top && i.bottom <= bottom);
  const nextToBridge = [...new Set(allBridged.flatMap((b) => b.bridges))].flatMap((bridge) => {
    const above = gaps.filter((g) => g.end <= bridge.top).at(-1);
    const below = gaps.find((g) => g.start >= bridge.bottom);
    return [
      above && !between(above.end, bridge.top) ? above : undefined,
      below && !between(bridge.bottom, below.start) ? below : undefined,
    ].filter((g) => g !== undefined);
  });
  if (nextToBridge.length > 0) {
    const cut = widestGap(nextToBridge);
    return { parts: [items.filter((i) => i.bottom <= cut.start), items.filter((i) => i.top >= cut.end)], apart: false };
  }
  const middle = (side: Item[]) => (Math.min(...side.map((i) => i.left)) + Math.max(...side.map((i) => i.right))) / 2;
  const leftMiddle = middle(bridged.nearLeft);
  const rightMiddle = middle(bridged.nearRight);
  if (!bridged.bridges.every((b) => b.left > leftMiddle && b.right < rightMiddle)) return null;
  const floating = new Set(bridged.bridges);
  return { parts: [items.filter((i) => !floating.has(i)), bridged.bridges], apart: true };
}

function widestGap(gaps: { start: number; end: number }[]): { start: number; end: number } {
  return gaps.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
}

/** Splits into the boxes above and below the widest horizontal strip that no box crosses. */
function splitAtWidestGap(items: Item[]): [Item[], Item[]] | null {
  const gaps = projectionGaps(items.map((i) => [i.top, i.bottom]));
  if (gaps.length === 0) return null;
  const widest = widestGap(gaps);
  return [items.filter((i) => i.bottom <= widest.start), items.filter((i) => i.top >= widest.end)];
}

/**
 * The column gutters that a few boxes bridge or stand in (a page number), widest first: x-ranges crossed
 * by at most MAX_BRIDGING_SHARE of the region's boxes, with columns on both sides as looksLikeColumns
 * judges the boxes clear of them; narrower than MIN_COLUMN_GUTTER_TEXT_HEIGHTS only where `aligned` line
 * edges mark a gutter. Gives each one's bridging boxes and the columns next to it.
 */
function bridgedGutters(
  items: Item[],
  textHeight: number,
  aligned: readonly Gutter[],
): { bridges: Item[]; nearLeft: Item[]; nearRight: Item[] }[] {
  const maxCrossing = Math.floor(MAX_BRIDGING_SHARE * items.length);
  if (maxCrossing === 0) return [];
  const edges = items.flatMap((i) => [{ x: i.left, step: 1 }, { x: i.right, step: -1 }]).sort((a, b) => a.x - b.x || a.step - b.step);
  const valleys: { start: number; end: number }[] = [];
  let covering = 0;
  edges.forEach((edge, k) => {
    covering += edge.step;
    const next = edges[k + 1];
    if (!next || next.x <= edge.x || covering > maxCrossing) return;
    const last = valleys.at(-1);
    if (last && last.end === edge.x) last.end = next.x;
    else valleys.push({ start: edge.x, end: next.x });
  });
  const found: { bridges: Item[]; nearLeft: Item[]; nearRight: Item[] }[] = [];
  const wideEnough = (v: { start: number; end: number }) =>
    v.end - v.start >= MIN_COLUMN_GUTTER_TEXT_HEIGHTS * textHeight || aligned.some((a) => v.start < a.mid && v.end > a.mid);
  for (const valley of valleys.filter(wideEnough).sort((a, b) => b.end - b.start - (a.end - a.start))) {
    const width = valley.end - valley.start;
    // Lines of a ragged column end inside the valley's edges; what crosses its middle half bridges it.
    const core = { start: valley.start + width / 4, end: valley.end - width / 4 };
    const bridges = items.filter((i) => i.right > core.start && i.left < core.end);
    // A clear gutter is splitIntoColumns' to judge.
    if (bridges.length === 0) continue;
    const left = items.filter((i) => i.right <= core.start);
    const right = items.filter((i) => i.left >= core.end);
    const nearLeft = adjacentColumn(left, textHeight, 'last');
    const nearRight = adjacentColumn(right, textHeight, 'first');
    const sides = { left: groupRows(left), right: groupRows(right), nearLeft: groupRows(nearLeft), nearRight: groupRows(nearRight) };
    if (looksLikeColumns(sides, textHeight, width < MIN_GUTTER_TEXT_HEIGHTS * textHeight)) found.push({ bridges, nearLeft, nearRight });
  }
  return found;
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

/** Edges of lines reaching into the gutter from either side end at its middle, so a strip opens there. */
function trimIntoGutter(items: Item[], gutter: Gutter, textHeight: number): Item[] {
  const low = Math.min(gutter.end, gutter.start) - textHeight;
  const high = Math.max(gutter.end, gutter.start) + textHeight;
  const long = MIN_SPLIT_PART_TEXT_HEIGHTS * textHeight;
  return items.map((item) => {
    // Boxes cut at the gutter's middle before reading meet there: they too move half a pixel apart.
    if (item.right > gutter.mid - 0.5 && item.right <= high && item.left < gutter.mid - long) return { ...item, right: gutter.mid - 0.5 };
    if (item.left < gutter.mid + 0.5 && item.left >= low && item.right > gutter.mid + long) return { ...item, left: gutter.mid + 0.5 };
    return item;
  });
}
