/** Geometry of the "select area to read" rectangle: dragging, keyboard moves, and device-pixel crops. */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Arrow keys move or resize by this much; with Alt, by 1 px for fine adjustment. */
export const KEYBOARD_STEP_PX = 10;
/** A selection smaller than this on either side is a click, not a region. */
export const MIN_SELECTION_PX = 4;

/** The rectangle spanned by a drag, whichever direction it went. */
export function rectFromDrag(startX: number, startY: number, endX: number, endY: number): Rect {
  return {
    x: Math.min(startX, endX),
    y: Math.min(startY, endY),
    width: Math.abs(endX - startX),
    height: Math.abs(endY - startY),
  };
}

export function isUsableSelection(rect: Rect): boolean {
  return rect.width >= MIN_SELECTION_PX && rect.height >= MIN_SELECTION_PX;
}

/** Keeps the rectangle inside the viewport; a selection can't read what isn't on screen. */
export function clampToViewport(rect: Rect, viewportWidth: number, viewportHeight: number): Rect {
  const x = Math.min(Math.max(0, rect.x), viewportWidth);
  const y = Math.min(Math.max(0, rect.y), viewportHeight);
  return {
    x,
    y,
    width: Math.max(0, Math.min(rect.x + rect.width, viewportWidth) - x),
    height: Math.max(0, Math.min(rect.y + rect.height, viewportHeight) - y),
  };
}

export type ArrowKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/** Arrows move the rectangle; Shift+arrows resize it from its bottom-right corner. */
export function nudge(rect: Rect, key: ArrowKey, resize: boolean, stepPx = KEYBOARD_STEP_PX): Rect {
  const dx = key === 'ArrowLeft' ? -stepPx : key === 'ArrowRight' ? stepPx : 0;
  const dy = key === 'ArrowUp' ? -stepPx : key === 'ArrowDown' ? stepPx : 0;
  if (resize) {
    return { ...rect, width: Math.max(MIN_SELECTION_PX, rect.width + dx), height: Math.max(MIN_SELECTION_PX, rect.height + dy) };
  }
  return { ...rect, x: rect.x + dx, y: rect.y + dy };
}

/**
 * The selection (CSS px of the viewport) in the pixels of a visible-tab capture. The ratio comes from
 * the capture itself, so page zoom and devicePixelRatio are both accounted for.
 */
export function toCapturePixels(rect: Rect, viewportWidthCss: number, captureWidthPx: number, captureHeightPx: number): Rect {
  const scale = captureWidthPx / viewportWidthCss;
  const x = Math.round(rect.x * scale);
  const y = Math.round(rect.y * scale);
  const right = Math.min(captureWidthPx, Math.round((rect.x + rect.width) * scale));
  const bottom = Math.min(captureHeightPx, Math.round((rect.y + rect.height) * scale));
  return { x: Math.max(0, x), y: Math.max(0, y), width: Math.max(0, right - Math.max(0, x)), height: Math.max(0, bottom - Math.max(0, y)) };
}
