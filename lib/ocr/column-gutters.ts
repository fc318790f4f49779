/**
 * Column gutters found from the edges of lines, and the detector's boxes that run across them. The
 * detector joins the lines of two columns set a narrow gutter apart (12-20 px at 12-15 px text) into one
 * box, and the recogniser would then read across the gutter; unclipped boxes, or a column rule read with
 * them, fill what is left of the strip between the columns. A justified column's lines end level and the
 * next column's lines start level just after, so the gutter shows in the line edges even where no strip is
 * clear; a box joined across it is cut in two there before it is read, on geometry (and the ink-free run
 * inside the box) alone, whatever the script.
 */
import { cropTextBox, isVerticalBox } from './crop';
import { inkColumns } from './ink';
import { median } from './geometry';
import type { RgbImage } from './raster';
import type { TextBox } from './text-boxes';
import type { Point, Quad } from './types';

/** A box's bounds in the reading frame (text runs left to right) and its text height. */
export interface Span {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Text height: the box's shorter side. */
  sizePx: number;
}

/** A gutter between justified columns, in the reading frame. */
export interface Gutter {
  /** Where the lines of the left column end (median of their right edges). */
  end: number;
  /** Where the lines of the right column start (median of their left edges). */
  start: number;
  mid: number;
}

/** Lines at least this many text heights long are column lines whose edges mark a gutter. */
const GUTTER_EDGE_LINE_HEIGHTS = 6;
/** Edges within this many text heights of each other line up. */
const EDGE_ALIGN_TEXT_HEIGHTS = 0.3;
/** The lines of one column end at most this many text heights before the next column's lines start. */
const MAX_ALIGNED_GUTTER_TEXT_HEIGHTS = 3;
/** Edges of at least this many lines (both sides together) mark a gutter: a column of running text. */
const MIN_GUTTER_EDGES = 5;
/** A box is two columns' lines run together when it holds at least this many text heights on each side. */
export const MIN_SPLIT_PART_TEXT_HEIGHTS = 2;
/** A box of two columns' lines is at most this many times the body text height (a headline is more). */
const MAX_JOINED_LINE_SIZE_RATIO = 1.4;
/** Rows whose text heights differ by more than this factor are not body text of one size. */
const BODY_SIZE_RATIO = 1.3;
/** A joined box lies at most this many text heights above or below the column lines beside it. */
const MAX_LINE_GAP_TEXT_HEIGHTS = 0.5;
/**
 * The cut is looked for this many text heights either side of the gutter's edges: a gutter's ink-free
 * run lies there, and a wide justified word gap a word away from it does not.
 */
const CUT_SEARCH_TEXT_HEIGHTS = 0.5;
/**
 * An ink-free run this many box heights wide is a gutter; a box with none near the gutter is a line
 * across it (a heading, a caption) and stays whole. Gutters of 12-20 px at 12-15 px text measure 0.6-1
 * box heights; a word gap set normally is 0.15-0.25 (justified lines stretch theirs, hence the window).
 */
const MIN_CUT_GAP_BOX_HEIGHTS = 0.35;
/** Ink at most this many box heights wide between two ink-free runs is a column rule, cut out with them. */
const MAX_RULE_BOX_HEIGHTS = 0.1;
/** Only the middle of a box's height is looked at: its unclipped margins reach into the lines around it. */
const INK_BAND = { from: 0.2, to: 0.8 };

export function isBodySize(span: Span, textHeight: number): boolean {
  return Math.max(span.sizePx, textHeight) / Math.min(span.sizePx, textHeight) <= BODY_SIZE_RATIO;
}

/**
 * Gutters where body-size lines end level (a justified column's right edge) and lines start level just
 * after (the next column's left edge), MIN_GUTTER_EDGES of them together: a column's last lines are
 * ragged and a paragraph's first indented, so one side may show only a few.
 */
export function alignedGutters(spans: readonly Span[], textHeight: number): Gutter[] {
  const body = spans.filter((s) => isBodySize(s, textHeight) && s.right - s.left >= GUTTER_EDGE_LINE_HEIGHTS * textHeight);
  const tolerance = EDGE_ALIGN_TEXT_HEIGHTS * textHeight;
  const ends = edgeClusters(body.map((s) => s.right), tolerance);
  const starts = edgeClusters(body.map((s) => s.left), tolerance);
  const gutters: Gutter[] = [];
  for (const end of ends) {
    const start = starts.find((s) => s.at > end.at - tolerance && s.at - end.at <= MAX_ALIGNED_GUTTER_TEXT_HEIGHTS * textHeight);
    if (start === undefined || end.count + start.count < MIN_GUTTER_EDGES) continue;
    gutters.push({ end: end.at, start: start.at, mid: (end.at + start.at) / 2 });
  }
  return gutters;
}

/** Medians and sizes of groups of at least two values within `tolerance` of their neighbours. */
function edgeClusters(values: number[], tolerance: number): { at: number; count: number }[] {
  const sorted = [...values].sort((a, b) => a - b);
  const clusters: { at: number; count: number }[] = [];
  let group: number[] = [];
  const close = () => {
    if (group.length >= 2) clusters.push({ at: median(group), count: group.length });
    group = [];
  };
  for (const value of sorted) {
    if (group.length > 0 && value - group.at(-1)! > tolerance) close();
    group.push(value);
  }
  close();
  return clusters;
}

/**
 * Indices of the spans that are two columns' lines run together across `gutter`: body text reaching
 * MIN_SPLIT_PART_TEXT_HEIGHTS past it on both sides that sits in the columns, level with or a line away
 * from lines on both sides (or from spans joined so). A headline, caption or footnote across the columns
 * stands apart from them, or is larger.
 */
export function joinedAcrossGutter(spans: readonly Span[], gutter: Gutter, textHeight: number): Set<number> {
  const reach = MIN_SPLIT_PART_TEXT_HEIGHTS * textHeight;
  const low = Math.min(gutter.end, gutter.start);
  const high = Math.max(gutter.end, gutter.start);
  // Boxes two lines long are unclipped taller than one line's; a headline is taller still.
  const crossing = new Set<number>();
  spans.forEach((s, i) => {
    const ratio = Math.max(s.sizePx / textHeight, textHeight / s.sizePx);
    if (s.left < low - reach && s.right > high + reach && ratio <= MAX_JOINED_LINE_SIZE_RATIO) crossing.add(i);
  });
  const joined = new Set<number>();
  if (crossing.size === 0) return joined;
  const others = spans.filter((s, i) => !crossing.has(i) && isBodySize(s, textHeight));
  const leftSide = others.filter((s) => s.right <= high + textHeight);
  const rightSide = others.filter((s) => s.left >= low - textHeight);
  const maxGap = MAX_LINE_GAP_TEXT_HEIGHTS * textHeight;
  const near = (a: Span, b: Span) => a.top - b.bottom <= maxGap && b.top - a.bottom <= maxGap;
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of crossing) {
      if (joined.has(i)) continue;
      const span = spans[i]!;
      const nearJoined = [...joined].some((j) => near(spans[j]!, span));
      if ((nearJoined || leftSide.some((o) => near(o, span))) && (nearJoined || rightSide.some((o) => near(o, span)))) {
        joined.add(i);
        changed = true;
      }
    }
  }
  return joined;
}

/**
 * Cuts each box the detector joined across an aligned column gutter into one box per column, so the
 * recogniser reads each column's line on its own. `toFrame` turns a point into the page's reading frame
 * (text left to right); with `image`, the cut goes through the ink-free run at the gutter (a box with
 * none there stays whole) and leaves out a column rule standing in it.
 */
export function splitJoinedColumns(boxes: readonly TextBox[], toFrame: (point: Point) => Point, image?: RgbImage): TextBox[] {
  if (boxes.length === 0) return [...boxes];
  const spanOf = (box: TextBox): Span => {
    const frame = box.quad.map(toFrame);
    const [tl, tr, , bl] = box.quad;
    return {
      left: Math.min(...frame.map(([u]) => u)),
      right: Math.max(...frame.map(([u]) => u)),
      top: Math.min(...frame.map(([, v]) => v)),
      bottom: Math.max(...frame.map(([, v]) => v)),
      sizePx: Math.max(1, Math.min(Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), Math.hypot(bl[0] - tl[0], bl[1] - tl[1]))),
    };
  };
  let current = [...boxes];
  const textHeight = median(current.map((b) => spanOf(b).sizePx));
  for (const gutter of alignedGutters(current.map(spanOf), textHeight)) {
    const spans = current.map(spanOf);
    const joined = joinedAcrossGutter(spans, gutter, textHeight);
    if (joined.size === 0) continue;
    current = current.flatMap((box, i) => (joined.has(i) ? cutAtGutter(box, gutter, textHeight, toFrame, image) : [box]));
  }
  return current;
}

/** The box's quad in two at the gutter (or through its ink-free run), or the box itself when no cut fits. */
function cutAtGutter(box: TextBox, gutter: Gutter, textHeight: number, toFrame: (point: Point) => Point, image?: RgbImage): TextBox[] {
  const axis = readingAxis(box.quad);
  const u0 = toFrame(axis.start)[0];
  const u1 = toFrame(axis.end)[0];
  if (Math.abs(u1 - u0) < 1) return [box];
  const at = (u: number) => (u - u0) / (u1 - u0);
  let cut = { endT: at(gutter.mid), startT: at(gutter.mid) };
  if (image) {
    const reach = CUT_SEARCH_TEXT_HEIGHTS * textHeight;
    const window = [at(Math.min(gutter.end, gutter.start) - reach), at(Math.max(gutter.end, gutter.start) + reach)];
    const found = inkFreeCut(box.quad, image, Math.min(window[0]!, window[1]!), Math.max(window[0]!, window[1]!), at(gutter.mid));
    if (!found) return [box];
    cut = found;
  }
  if (!(cut.endT > 0 && cut.startT < 1 && cut.endT <= cut.startT)) return [box];
  return cutQuad(box.quad, cut.endT, cut.startT).map((quad) => ({ ...box, quad }));
}

/** Where a box's text starts and ends: the middles of its short sides, in reading order. */
function readingAxis(quad: Quad): { start: Point; end: Point } {
  const [tl, tr, br, bl] = quad;
  const middle = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  // A vertical box's crop is turned a quarter counter-clockwise: its text runs from the top edge down.
  return isVerticalBox(quad) ? { start: middle(tl, tr), end: middle(bl, br) } : { start: middle(tl, bl), end: middle(tr, br) };
}

/**
 * The quad's part before `endT` and its part after `startT` (fractions of the way along its reading
 * axis), each a quad in the same corner order.
 */
export function cutQuad(quad: Quad, endT: number, startT: number): [Quad, Quad] {
  const [tl, tr, br, bl] = quad;
  const lerp = (a: Point, b: Point, t: number): Point => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
  if (isVerticalBox(quad)) {
    return [
      [tl, tr, lerp(tr, br, endT), lerp(tl, bl, endT)],
      [lerp(tl, bl, startT), lerp(tr, br, startT), br, bl],
    ];
  }
  return [
    [tl, lerp(tl, tr, endT), lerp(bl, br, endT), bl],
    [lerp(tl, tr, startT), tr, br, lerp(bl, br, startT)],
  ];
}

/**
 * The cut through the widest ink-free run of the box between fractions `fromT` and `toT` of its reading
 * axis (the nearest to `midT` among equals): the first part ends and the second starts in its middle.
 * Two runs either side of a thin stroke (a column rule) make one, and the stroke is left out of both
 * parts. Null when no run is MIN_CUT_GAP_BOX_HEIGHTS wide.
 */
function inkFreeCut(quad: Quad, image: RgbImage, fromT: number, toT: number, midT: number): { endT: number; startT: number } | null {
  const strip = cropTextBox(image, quad);
  const { widthPx, heightPx } = strip;
  const ink = inkColumns(strip, Math.floor(INK_BAND.from * heightPx), Math.max(Math.floor(INK_BAND.from * heightPx) + 1, Math.ceil(INK_BAND.to * heightPx)));
  const from = Math.max(0, Math.floor(fromT * widthPx));
  const to = Math.min(widthPx, Math.ceil(toT * widthPx));
  const runs: { from: number; to: number }[] = [];
  for (let x = from; x < to; x++) {
    if (ink[x]) continue;
    const last = runs.at(-1);
    if (last && last.to === x) last.to = x + 1;
    else runs.push({ from: x, to: x + 1 });
  }
  const minRun = MIN_CUT_GAP_BOX_HEIGHTS * heightPx;
  const spans: { first: { from: number; to: number }; last: { from: number; to: number }; width: number }[] = [];
  for (const run of runs) {
    const previous = spans.at(-1);
    const ruleBetween = previous && run.from - previous.last.to <= MAX_RULE_BOX_HEIGHTS * heightPx;
    // A rule stands between two runs each wide enough to be half a gutter; a thin letter (an `l`, an `I`)
    // next to a word gap does not.
    if (previous && ruleBetween && previous.last.to - previous.last.from >= minRun / 2 && run.to - run.from >= minRun / 2) {
      previous.last = run;
      previous.width = run.to - previous.first.from;
    } else spans.push({ first: run, last: run, width: run.to - run.from });
  }
  const midX = midT * widthPx;
  const distanceToMid = (s: (typeof spans)[number]) => Math.abs((s.first.from + s.last.to) / 2 - midX);
  const best = spans
    .filter((s) => s.width >= minRun)
    .sort((a, b) => b.width - a.width || distanceToMid(a) - distanceToMid(b))[0];
  if (!best) return null;
  return { endT: (best.first.from + best.first.to) / 2 / widthPx, startT: (best.last.from + best.last.to) / 2 / widthPx };
}
