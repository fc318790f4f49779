/** "Select area to read": dims the page; drag a rectangle, or arrows to move, Shift+arrows to resize, Enter, Escape. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { tokensCss } from '@/components/design-tokens';
import { messagesLocale, t } from '@/lib/i18n';
import { keepTabInside } from '@/lib/page/focus-trap';
import { clampToViewport, isUsableSelection, nudge, rectFromDrag, type ArrowKey, type Rect } from '@/lib/page/region';

export interface RegionPickerProps {
  onDone: (rect: Rect | null) => void;
}

/** Where a keyboard selection starts: a typical line of text in the middle of the screen. */
const KEYBOARD_START = { widthPx: 320, heightPx: 80 };
const HELP_ID = 'altsight-picker-help';

export function RegionPicker({ onDone }: RegionPickerProps) {
  const overlay = useRef<HTMLDivElement>(null);
  const [rect, setRect] = useState<Rect | null>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  // Focus moves in as soon as it is on screen: a key pressed right away is already ours.
  useLayoutEffect(() => overlay.current?.focus(), []);

  const viewport = () => ({ w: window.innerWidth, h: window.innerHeight });
  const finish = (r: Rect | null) => {
    const { w, h } = viewport();
    onDone(r ? clampToViewport(r, w, h) : null);
  };
  const usable = rect !== null && isUsableSelection(rect);

  return (
    <div
      ref={overlay}
      class={`overlay${rect ? ' selecting' : ''}`}
      role="dialog"
      aria-modal="true"
      aria-label={t('pickerLabel')}
      // Our words, in our language: the page's own `lang` would have a screen reader mispronounce them.
      lang={messagesLocale()}
      aria-describedby={HELP_ID}
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
        if (keepTabInside(e, e.currentTarget)) return;
        const onButton = e.target !== e.currentTarget;
        // Enter and Space on Read or Cancel press that button; everything else is the picker's.
        if (onButton && (e.key === 'Enter' || e.key === ' ')) return;
        e.stopPropagation();
        if (e.key === 'Escape') {
          e.preventDefault();
          finish(null);
        } else if (e.key === 'Enter') {
          e.preventDefault();
          if (usable) finish(rect);
        } else if (e.key === ' ') {
          e.preventDefault(); // the page behind must not scroll under the selection
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
      <div class="help" id={HELP_ID}>
        {t('pickerHelp')}
      </div>
      {rect && (
        <div
          class="selection"
          data-testid="region-selection"
          style={{ left: `${rect.x}px`, top: `${rect.y}px`, width: `${rect.width}px`, height: `${rect.height}px` }}
        />
      )}
      {/* Its own pointer events: a press on a button is not the start of a drag. */}
      <div class="toolbar" onPointerDown={(e) => e.stopPropagation()} onPointerUp={(e) => e.stopPropagation()}>
        <button type="button" class="primary" disabled={!usable} onClick={() => usable && finish(rect)}>
          {t('pickerRead')}
        </button>
        <button type="button" onClick={() => finish(null)}>
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}

export const REGION_PICKER_CSS = `
:host { all: initial; }
${tokensCss(':host')}
.overlay { position: fixed; inset: 0; z-index: 2147483647; cursor: crosshair; background: rgba(0,0,0,.45); outline: none;
  color-scheme: light dark; font: var(--as-text-md)/var(--as-line) var(--as-font); }
.overlay.selecting { background: transparent; }
.selection { position: fixed; box-shadow: 0 0 0 100vmax rgba(0,0,0,.45); outline: 2px solid #fff; pointer-events: none; }
.help, .toolbar { position: fixed; left: 50%; transform: translateX(-50%); box-sizing: border-box; width: max-content; max-width: calc(100vw - 24px);
  padding: var(--as-space-2) var(--as-space-3); border-radius: var(--as-radius); border: 1px solid var(--as-border);
  background: var(--as-bg); color: var(--as-fg); box-shadow: 0 4px 16px rgba(0,0,0,.3); }
.help { top: 12px; pointer-events: none; }
.toolbar { bottom: 16px; display: flex; gap: var(--as-space-2); cursor: default; }
button { font: inherit; padding: var(--as-space-1) var(--as-space-3); border-radius: var(--as-radius); border: 1px solid var(--as-border);
  background: var(--as-bg-raised); color: var(--as-fg); cursor: pointer; }
button.primary { background: var(--as-accent); border-color: var(--as-accent); color: var(--as-accent-fg); }
button:disabled { cursor: not-allowed; opacity: .6; }
button:focus-visible { outline: 2px solid var(--as-focus); outline-offset: 2px; }
.overlay:focus-visible .help { outline: 2px solid var(--as-focus); outline-offset: 2px; }
`;
