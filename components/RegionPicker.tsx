/** "Select area to read": dims the page; drag a rectangle, or arrows to move, Shift+arrows to resize, Enter, Escape. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { clampToViewport, isUsableSelection, nudge, rectFromDrag, type ArrowKey, type Rect } from '@/lib/page/region';

export interface RegionPickerProps {
  onDone: (rect: Rect | null) => void;
}

/** Where a keyboard selection starts: a typical line of text in the middle of the screen. */
const KEYBOARD_START = { widthPx: 320, heightPx: 80 };

export function RegionPicker({ onDone }: RegionPickerProps) {
  const overlay = useRef<HTMLDivElement>(null);
  const [rect, setRect] = useState<Rect | null>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  useEffect(() => overlay.current?.focus(), []);

  const viewport = () => ({ w: window.innerWidth, h: window.innerHeight });
  const finish = (r: Rect | null) => {
    const { w, h } = viewport();
    onDone(r ? clampToViewport(r, w, h) : null);
  };

  return (
    <div
      ref={overlay}
      class={`overlay${rect ? ' selecting' : ''}`}
      role="dialog"
      aria-label="Select an area of the page to read its text"
      tabIndex={-1}
      onPointerDown={(e) => {
        drag.current = { x: e.clientX, y: e.clientY };
        setRect(rectFromDrag(e.clientX, e.clientY, e.clientX, e.clientY));
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (drag.current) setRect(rectFromDrag(drag.current.x, drag.current.y, e.clientX, e.clientY));
      }}
      onPointerUp={(e) => {
        if (!drag.current) return;
        const r = rectFromDrag(drag.current.x, drag.current.y, e.clientX, e.clientY);
        drag.current = null;
        if (isUsableSelection(r)) finish(r);
        else setRect(null);
      }}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') {
          e.preventDefault();
          finish(null);
        } else if (e.key === 'Enter') {
          e.preventDefault();
          if (rect && isUsableSelection(rect)) finish(rect);
        } else if (e.key.startsWith('Arrow')) {
          e.preventDefault();
          const { w, h } = viewport();
          const start = rect ?? {
            x: (w - KEYBOARD_START.widthPx) / 2,
            y: (h - KEYBOARD_START.heightPx) / 2,
            width: KEYBOARD_START.widthPx,
            height: KEYBOARD_START.heightPx,
          };
          setRect(rect ? nudge(start, e.key as ArrowKey, e.shiftKey, e.altKey ? 1 : undefined) : start);
        }
      }}
    >
      <div class="help" aria-live="polite">
        Drag over the text to read — or use the arrow keys (Shift to resize), Enter to read, Esc to cancel.
      </div>
      {rect && (
        <div
          class="selection"
          data-testid="region-selection"
          style={{ left: `${rect.x}px`, top: `${rect.y}px`, width: `${rect.width}px`, height: `${rect.height}px` }}
        />
      )}
    </div>
  );
}

export const REGION_PICKER_CSS = `
:host { all: initial; }
.overlay { position: fixed; inset: 0; z-index: 2147483647; cursor: crosshair; background: rgba(0,0,0,.45); outline: none; }
.overlay.selecting { background: transparent; }
.selection { position: fixed; box-shadow: 0 0 0 100vmax rgba(0,0,0,.45); outline: 2px solid #fff; }
.help { position: fixed; top: 12px; left: 50%; transform: translateX(-50%); padding: 8px 12px; border-radius: 6px;
  background: #1b1b1f; color: #fff; font: 14px/1.4 system-ui, sans-serif; pointer-events: none; }
`;
