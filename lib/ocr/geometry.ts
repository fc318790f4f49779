/** Plane geometry for text boxes: hulls, minimum-area rectangles, corner order, unclipping. */
import type { Point, Quad } from './types';

/** A rotated rectangle as its corners (in PaddleOCR's reading order) and side lengths. */
export interface RotatedRect {
  corners: Quad;
  widthPx: number;
  heightPx: number;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Convex hull, counter-clockwise in y-down coordinates, without collinear points (Andrew's monotone chain). */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length <= 2) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * Smallest-area enclosing rectangle (as cv2.minAreaRect): one side always lies on a hull edge, so try
 * each edge's direction. Degenerate inputs give a zero-width or zero-height rectangle.
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) return { corners: [[0, 0], [0, 0], [0, 0], [0, 0]], widthPx: 0, heightPx: 0 };
  let best: { area: number; ux: number; uy: number; minU: number; maxU: number; minV: number; maxV: number } | null = null;
  const edges = hull.length === 1 ? 1 : hull.length;
  for (let i = 0; i < edges; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const ux = length === 0 ? 1 : (b[0] - a[0]) / length;
    const uy = length === 0 ? 0 : (b[1] - a[1]) / length;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p[0] * ux + p[1] * uy;
      const v = -p[0] * uy + p[1] * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (!best || area < best.area - 1e-9) best = { area, ux, uy, minU, maxU, minV, maxV };
  }
  const { ux, uy, minU, maxU, minV, maxV } = best!;
  const toXY = (u: number, v: number): Point => [u * ux - v * uy, u * uy + v * ux];
  const corners = [toXY(minU, minV), toXY(maxU, minV), toXY(maxU, maxV), toXY(minU, maxV)];
  const sideU = maxU - minU;
  const sideV = maxV - minV;
  const ordered = orderCorners(corners);
  // Width runs along the ordered top edge, whichever projection axis that was.
  const topEdge = distance(ordered[0], ordered[1]);
  const widthPx = Math.abs(topEdge - sideU) < Math.abs(topEdge - sideV) ? sideU : sideV;
  return { corners: ordered, widthPx, heightPx: widthPx === sideU ? sideV : sideU };
}

/**
 * PaddleOCR's corner order: of the two leftmost corners the upper is top-left, the other bottom-left; of
 * the two rightmost the upper is top-right. Text tilted under 45° so reads left to right from corner 0.
 */
export function orderCorners(points: readonly Point[]): Quad {
  const byX = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [l0, l1, r0, r1] = byX as [Point, Point, Point, Point];
  const [topLeft, bottomLeft] = l0[1] <= l1[1] ? [l0, l1] : [l1, l0];
  const [topRight, bottomRight] = r0[1] <= r1[1] ? [r0, r1] : [r1, r0];
  return [topLeft, topRight, bottomRight, bottomLeft];
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/**
 * DB unclip for a rectangle: PaddleOCR offsets the box polygon outward (pyclipper, round joins) by
 * area × ratio / perimeter, then takes its minimum-area rectangle — which is the rectangle grown by that
 * distance on every side.
 */
export function unclipRect(rect: RotatedRect, ratio: number): RotatedRect {
  const { widthPx: w, heightPx: h, corners } = rect;
  const perimeter = 2 * (w + h);
  if (perimeter === 0) return rect;
  const offset = (w * h * ratio) / perimeter;
  const [tl, tr, , bl] = corners;
  const across = unit(tl, tr);
  const down = unit(tl, bl);
  const grow = (p: Point, sx: number, sy: number): Point => [
    p[0] + offset * (sx * across[0] + sy * down[0]),
    p[1] + offset * (sx * across[1] + sy * down[1]),
  ];
  return {
    corners: orderCorners([grow(corners[0], -1, -1), grow(corners[1], 1, -1), grow(corners[2], 1, 1), grow(corners[3], -1, 1)]),
    widthPx: w + 2 * offset,
    heightPx: h + 2 * offset,
  };
}

function unit(from: Point, to: Point): Point {
  const length = distance(from, to);
  return length === 0 ? [0, 0] : [(to[0] - from[0]) / length, (to[1] - from[1]) / length];
}

/** Axis-aligned bounds of any points. */
export function boundsOf(points: readonly Point[]): { left: number; top: number; right: number; bottom: number } {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const [x, y] of points) {
    left = Math.min(left, x);
    right = Math.max(right, x);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  }
  return { left, top, right, bottom };
}

/** Whether (x, y) lies inside or on a convex quadrilateral (either winding). */
export function insideConvexQuad(quad: Quad, x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % 4]!;
    const c = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    if (Math.abs(c) < 1e-9) continue;
    const s = Math.sign(c);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

/** The middle value (the upper of the two middles for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
