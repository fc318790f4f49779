import { describe, expect, it } from 'vitest';
import { textBoxesFromProbabilityMap, textRegions } from '@/lib/ocr/text-boxes';
import { distance, insideConvexQuad } from '@/lib/ocr/geometry';
import { DEFAULT_OCR_OPTIONS, type FloatTensor, type Quad } from '@/lib/ocr';

interface Paint {
  quad: Quad;
  probability: number;
}

const rect = (left: number, top: number, right: number, bottom: number): Quad => [[left, top], [right, top], [right, bottom], [left, bottom]];

function rotatedRect(cx: number, cy: number, w: number, h: number, degrees: number): Quad {
  const a = (degrees * Math.PI) / 180;
  const corner = (dx: number, dy: number): [number, number] => [cx + dx * Math.cos(a) - dy * Math.sin(a), cy + dx * Math.sin(a) + dy * Math.cos(a)];
  return [corner(-w / 2, -h / 2), corner(w / 2, -h / 2), corner(w / 2, h / 2), corner(-w / 2, h / 2)];
}

/** A [1,1,H,W] map: background 0.02, each painted quad's pixel centres at its probability. */
function probabilityMap(widthPx: number, heightPx: number, paints: Paint[]): FloatTensor {
  const data = new Float32Array(widthPx * heightPx).fill(0.02);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      for (const { quad, probability } of paints) if (insideConvexQuad(quad, x, y)) data[y * widthPx + x] = probability;
    }
  }
  return { data, dims: [1, 1, heightPx, widthPx] };
}

const options = DEFAULT_OCR_OPTIONS;
const sides = (q: Quad) => ({ width: distance(q[0], q[1]), height: distance(q[0], q[3]) });
const unclipOffset = (w: number, h: number) => (w * h * options.unclipRatio) / (2 * (w + h));

describe('textBoxesFromProbabilityMap', () => {
  it.each([
    { name: 'one rectangle', paints: [{ quad: rect(10, 10, 49, 19), probability: 0.9 }], count: 1 },
    { name: 'two separate rectangles', paints: [{ quad: rect(5, 5, 40, 12), probability: 0.9 }, { quad: rect(5, 30, 50, 40), probability: 0.8 }], count: 2 },
    { name: 'two rectangles touching side by side merge', paints: [{ quad: rect(5, 5, 20, 14), probability: 0.9 }, { quad: rect(21, 5, 40, 14), probability: 0.9 }], count: 1 },
    { name: 'corner-touching blocks merge into one half-empty box, dropped on score', paints: [{ quad: rect(5, 5, 20, 14), probability: 0.9 }, { quad: rect(21, 15, 40, 24), probability: 0.9 }], count: 0 },
    { name: 'one-pixel gap keeps them apart', paints: [{ quad: rect(5, 5, 20, 14), probability: 0.9 }, { quad: rect(22, 5, 40, 14), probability: 0.9 }], count: 2 },
    { name: 'three lines', paints: [0, 1, 2].map((i) => ({ quad: rect(4, 4 + i * 16, 56, 12 + i * 16), probability: 0.95 })), count: 3 },
    { name: 'weak region above the binarise threshold but below box score', paints: [{ quad: rect(10, 10, 49, 19), probability: 0.45 }], count: 0 },
    { name: 'a two-pixel sliver is noise', paints: [{ quad: rect(10, 10, 49, 11), probability: 0.95 }], count: 0 },
    { name: 'nothing above threshold', paints: [], count: 0 },
  ])('$name -> $count box(es)', ({ paints, count }) => {
    expect(textBoxesFromProbabilityMap(probabilityMap(64, 64, paints), 64, 64, options)).toHaveLength(count);
  });

  it('grows an axis-aligned region by the unclip offset around its pixel centres', () => {
    const [box] = textBoxesFromProbabilityMap(probabilityMap(80, 40, [{ quad: rect(10, 10, 49, 19), probability: 0.9 }]), 80, 40, options);
    const offset = unclipOffset(39, 9);
    expect(box!.score).toBeCloseTo(0.9, 5);
    box!.quad.forEach((p, i) => {
      const expected = rect(10 - offset, 10 - offset, 49 + offset, 19 + offset)[i]!;
      expect(p[0]).toBeCloseTo(expected[0], 4);
      expect(p[1]).toBeCloseTo(expected[1], 4);
    });
  });

  it.each([{ degrees: 20 }, { degrees: -30 }, { degrees: 8 }])('follows a rectangle rotated $degrees°', ({ degrees }) => {
    const painted = rotatedRect(48, 48, 60, 12, degrees);
    const [box] = textBoxesFromProbabilityMap(probabilityMap(96, 96, [{ quad: painted, probability: 0.9 }]), 96, 96, options);
    expect(box).toBeDefined();
    const { width, height } = sides(box!.quad);
    // Pixel sampling makes the region a little smaller than the painted quad; unclip grows it back past it.
    expect(width).toBeGreaterThan(60);
    expect(height).toBeGreaterThan(12);
    expect(height).toBeLessThan(12 + 2 * unclipOffset(60, 12) + 1);
    const angle = (Math.atan2(box!.quad[1][1] - box!.quad[0][1], box!.quad[1][0] - box!.quad[0][0]) * 180) / Math.PI;
    expect(Math.abs(angle - degrees)).toBeLessThan(2);
  });

  it('scales boxes from map pixels to source pixels', () => {
    const map = probabilityMap(64, 64, [{ quad: rect(10, 10, 49, 19), probability: 0.9 }]);
    const [atMap] = textBoxesFromProbabilityMap(map, 64, 64, options);
    const [atSource] = textBoxesFromProbabilityMap(map, 128, 96, options);
    atSource!.quad.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(atMap!.quad[i]![0] * 2, 4);
      expect(p[1]).toBeCloseTo(atMap!.quad[i]![1] * 1.5, 4);
    });
  });

  it('clamps boxes at the image edge into the image', () => {
    const [box] = textBoxesFromProbabilityMap(probabilityMap(64, 32, [{ quad: rect(0, 0, 40, 9), probability: 0.9 }]), 64, 32, options);
    for (const [x, y] of box!.quad) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(63);
      expect(y).toBeLessThanOrEqual(31);
    }
  });

  it('stops at maxBoxes regions', () => {
    const paints = [0, 1, 2, 3, 4].map((i) => ({ quad: rect(4, 2 + i * 12, 50, 9 + i * 12), probability: 0.9 }));
    expect(textBoxesFromProbabilityMap(probabilityMap(64, 64, paints), 64, 64, { ...options, maxBoxes: 2 })).toHaveLength(2);
  });

  it.each([
    { name: 'empty dims', tensor: { data: new Float32Array(0), dims: [1, 1, 0, 0] } },
    { name: 'data shorter than dims claim', tensor: { data: new Float32Array(4), dims: [1, 1, 8, 8] } },
  ])('returns nothing for $name', ({ tensor }) => {
    expect(textBoxesFromProbabilityMap(tensor, 10, 10, options)).toEqual([]);
  });
});

describe('textRegions', () => {
  it.each([
    { name: 'side by side', paints: [rect(2, 2, 9, 6), rect(10, 2, 20, 6)], count: 1 },
    { name: 'diagonal neighbours (8-connected)', paints: [rect(2, 2, 9, 6), rect(10, 7, 20, 12)], count: 1 },
    { name: 'one-pixel gap', paints: [rect(2, 2, 9, 6), rect(11, 2, 20, 6)], count: 2 },
    { name: 'U shape is one region', paints: [rect(2, 2, 4, 12), rect(2, 10, 20, 12), rect(18, 2, 20, 12)], count: 1 },
  ])('$name -> $count region(s)', ({ paints, count }) => {
    const map = probabilityMap(24, 16, paints.map((quad) => ({ quad, probability: 0.9 })));
    expect(textRegions(map.data, 24, 16, 0.3, 100)).toHaveLength(count);
  });

  it('keeps each row\'s leftmost and rightmost pixel of a region', () => {
    const map = probabilityMap(24, 16, [{ quad: rect(3, 4, 12, 6), probability: 0.9 }]);
    expect(textRegions(map.data, 24, 16, 0.3, 100)).toEqual([[[3, 4], [12, 4], [3, 5], [12, 5], [3, 6], [12, 6]]]);
  });
});
