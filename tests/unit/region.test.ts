import { describe, expect, it } from 'vitest';
import { clampToViewport, isUsableSelection, nudge, rectFromDrag, toCapturePixels } from '@/lib/page/region';

describe('region selection geometry', () => {
  it.each([
    { name: 'down-right drag', drag: [10, 20, 110, 70], want: { x: 10, y: 20, width: 100, height: 50 } },
    { name: 'up-left drag', drag: [110, 70, 10, 20], want: { x: 10, y: 20, width: 100, height: 50 } },
    { name: 'a click', drag: [5, 5, 5, 5], want: { x: 5, y: 5, width: 0, height: 0 } },
  ] as const)('$name', ({ drag, want }) => {
    expect(rectFromDrag(drag[0], drag[1], drag[2], drag[3])).toEqual(want);
  });

  it.each([
    { rect: { x: 0, y: 0, width: 0, height: 0 }, usable: false },
    { rect: { x: 0, y: 0, width: 1, height: 1 }, usable: false },
    { rect: { x: 0, y: 0, width: 100, height: 3 }, usable: false },
    { rect: { x: 0, y: 0, width: 40, height: 12 }, usable: true },
  ])('usable($rect) = $usable', ({ rect, usable }) => {
    expect(isUsableSelection(rect)).toBe(usable);
  });

  it.each([
    { name: 'inside', rect: { x: 10, y: 10, width: 50, height: 50 }, want: { x: 10, y: 10, width: 50, height: 50 } },
    { name: 'partly off the right and bottom', rect: { x: 750, y: 550, width: 100, height: 100 }, want: { x: 750, y: 550, width: 50, height: 50 } },
    { name: 'partly off the top-left', rect: { x: -20, y: -10, width: 50, height: 50 }, want: { x: 0, y: 0, width: 30, height: 40 } },
    { name: 'entirely off screen', rect: { x: 900, y: 10, width: 50, height: 50 }, want: { x: 800, y: 10, width: 0, height: 50 } },
  ])('clamps a selection $name', ({ rect, want }) => {
    expect(clampToViewport(rect, 800, 600)).toEqual(want);
  });

  it.each([
    { key: 'ArrowRight', resize: false, want: { x: 20, y: 10, width: 100, height: 40 } },
    { key: 'ArrowUp', resize: false, want: { x: 10, y: 0, width: 100, height: 40 } },
    { key: 'ArrowRight', resize: true, want: { x: 10, y: 10, width: 110, height: 40 } },
    { key: 'ArrowUp', resize: true, want: { x: 10, y: 10, width: 100, height: 30 } },
  ] as const)('$key (resize=$resize)', ({ key, resize, want }) => {
    expect(nudge({ x: 10, y: 10, width: 100, height: 40 }, key, resize)).toEqual(want);
  });

  it('never resizes below the minimum', () => {
    expect(nudge({ x: 0, y: 0, width: 6, height: 6 }, 'ArrowLeft', true).width).toBe(4);
  });

  it.each([
    { name: 'DPR 1', viewport: 800, capture: [800, 600], want: { x: 100, y: 50, width: 200, height: 30 } },
    { name: 'DPR 2', viewport: 800, capture: [1600, 1200], want: { x: 200, y: 100, width: 400, height: 60 } },
    { name: 'zoom 150%', viewport: 533.33, capture: [800, 600], want: { x: 150, y: 75, width: 300, height: 45 } },
  ])('maps CSS px to capture px at $name', ({ viewport, capture, want }) => {
    expect(toCapturePixels({ x: 100, y: 50, width: 200, height: 30 }, viewport, capture[0]!, capture[1]!)).toEqual(want);
  });

  it('clips a crop at the capture edge', () => {
    expect(toCapturePixels({ x: 700, y: 550, width: 200, height: 200 }, 800, 800, 600)).toEqual({ x: 700, y: 550, width: 100, height: 50 });
  });
});
