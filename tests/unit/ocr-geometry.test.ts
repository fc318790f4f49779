import { describe, expect, it } from 'vitest';
import { convexHull, insideConvexQuad, minAreaRect, orderCorners, unclipRect } from '@/lib/ocr/geometry';
import type { Point, Quad } from '@/lib/ocr';

function rotate([x, y]: Point, degrees: number, [cx, cy]: Point = [0, 0]): Point {
  const a = (degrees * Math.PI) / 180;
  return [cx + (x - cx) * Math.cos(a) - (y - cy) * Math.sin(a), cy + (x - cx) * Math.sin(a) + (y - cy) * Math.cos(a)];
}

function expectQuadClose(actual: Quad, expected: Quad, digits = 6): void {
  actual.forEach((p, i) => {
    expect(p[0]).toBeCloseTo(expected[i]![0], digits);
    expect(p[1]).toBeCloseTo(expected[i]![1], digits);
  });
}

describe('convexHull', () => {
  it.each([
    { name: 'square with an inside point', points: [[0, 0], [2, 0], [2, 2], [0, 2], [1, 1]] as Point[], size: 4 },
    { name: 'collinear points drop to the ends', points: [[0, 0], [1, 0], [2, 0], [3, 0]] as Point[], size: 2 },
    { name: 'single point', points: [[5, 5]] as Point[], size: 1 },
    { name: 'triangle with edge midpoints', points: [[0, 0], [4, 0], [2, 4], [2, 0], [1, 2]] as Point[], size: 3 },
  ])('$name', ({ points, size }) => {
    expect(convexHull(points)).toHaveLength(size);
  });
});

describe('minAreaRect', () => {
  it.each([
    { name: 'axis-aligned 10×4', points: [[0, 0], [10, 0], [10, 4], [0, 4], [5, 2]] as Point[], w: 10, h: 4 },
    { name: 'rotated 30° 20×5', points: [[0, 0], [20, 0], [20, 5], [0, 5]].map((p) => rotate(p as Point, 30)), w: 20, h: 5 },
    { name: 'rotated −15° 40×8 with interior noise', points: [[0, 0], [40, 0], [40, 8], [0, 8], [10, 3], [33, 6]].map((p) => rotate(p as Point, -15)), w: 40, h: 8 },
    { name: 'a vertical bar is tall', points: [[0, 0], [3, 0], [3, 30], [0, 30]] as Point[], w: 3, h: 30 },
    { name: 'degenerate line has zero height', points: [[0, 0], [5, 0], [9, 0]] as Point[], w: 9, h: 0 },
  ])('$name', ({ points, w, h }) => {
    const rect = minAreaRect(points);
    expect(rect.widthPx).toBeCloseTo(w, 6);
    expect(rect.heightPx).toBeCloseTo(h, 6);
  });

  it('returns corners top-left first, clockwise', () => {
    expectQuadClose(minAreaRect([[2, 3], [12, 3], [12, 7], [2, 7]]).corners, [[2, 3], [12, 3], [12, 7], [2, 7]]);
  });
});

describe('orderCorners', () => {
  it.each([
    { name: 'shuffled axis-aligned', points: [[10, 5], [0, 0], [0, 5], [10, 0]] as Point[], expected: [[0, 0], [10, 0], [10, 5], [0, 5]] as Quad },
    { name: 'tilted up to the right', points: [[0, 10], [20, 0], [22, 4], [2, 14]] as Point[], expected: [[0, 10], [20, 0], [22, 4], [2, 14]] as Quad },
  ])('$name', ({ points, expected }) => {
    expect(orderCorners(points)).toEqual(expected);
  });
});

describe('unclipRect', () => {
  it.each([
    // offset = w·h·ratio / (2(w+h))
    { name: '100×10 at 1.5', w: 100, h: 10, ratio: 1.5, offset: (100 * 10 * 1.5) / 220 },
    { name: '30×30 at 1.5', w: 30, h: 30, ratio: 1.5, offset: (30 * 30 * 1.5) / 120 },
    { name: '50×6 at 2', w: 50, h: 6, ratio: 2, offset: (50 * 6 * 2) / 112 },
  ])('$name grows every side by area·ratio/perimeter', ({ w, h, ratio, offset }) => {
    const grown = unclipRect({ corners: [[0, 0], [w, 0], [w, h], [0, h]], widthPx: w, heightPx: h }, ratio);
    expect(grown.widthPx).toBeCloseTo(w + 2 * offset, 6);
    expect(grown.heightPx).toBeCloseTo(h + 2 * offset, 6);
    expectQuadClose(grown.corners, [[-offset, -offset], [w + offset, -offset], [w + offset, h + offset], [-offset, h + offset]]);
  });

  it('grows a rotated rectangle along its own axes', () => {
    const corners = [[0, 0], [40, 0], [40, 10], [0, 10]].map((p) => rotate(p as Point, 20)) as Quad;
    const grown = unclipRect({ corners: orderCorners(corners), widthPx: 40, heightPx: 10 }, 1.5);
    const offset = (40 * 10 * 1.5) / 100;
    const expected = [[-offset, -offset], [40 + offset, -offset], [40 + offset, 10 + offset], [-offset, 10 + offset]].map((p) => rotate(p as Point, 20));
    expectQuadClose(grown.corners, orderCorners(expected));
  });
});

describe('insideConvexQuad', () => {
  const quad: Quad = [[0, 0], [10, 0], [10, 4], [0, 4]];
  it.each([
    { x: 5, y: 2, inside: true },
    { x: 0, y: 0, inside: true },
    { x: 10, y: 4, inside: true },
    { x: 11, y: 2, inside: false },
    { x: 5, y: -0.1, inside: false },
  ])('($x, $y) inside: $inside', ({ x, y, inside }) => {
    expect(insideConvexQuad(quad, x, y)).toBe(inside);
  });
});
