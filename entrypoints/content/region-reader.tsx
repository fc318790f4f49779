/**
 * "Select area to read" and "Read visible page": the picker in a closed shadow root, then a capture of
 * the visible tab (taken after the overlay is gone), read by the engine, shown in the result panel.
 */
import { render } from 'preact';
import { REGION_PICKER_CSS, RegionPicker } from '@/components/RegionPicker';
import { failure } from '@/lib/engine/jobs';
import { t } from '@/lib/i18n';
import { deepActiveElement, focusReturnTarget } from '@/lib/page/focus-trap';
import type { Rect } from '@/lib/page/region';
import { sendToBackground } from '@/lib/transport';
import { mountInClosedShadow, type ClosedShadowMount } from './closed-shadow';
import { closeResultPanel, showResultPanel } from './result-panel';
import { panelAsk } from './ask';

/** The picker on screen, if any: starting again while it is open focuses it instead of stacking another. */
let openPicker: { ui: ClosedShadowMount; cancel(): void } | null = null;

/**
 * Shows the picker and resolves with the chosen rectangle, or null when the reader cancels. Escape
 * cancels wherever focus is (a page script may have taken it), and Tab brings focus back inside.
 */
export function pickRegion(): Promise<Rect | null> {
  return new Promise((resolve) => {
    const ui = mountInClosedShadow('altsight-region-picker', REGION_PICKER_CSS);
    const fromOutside = (e: KeyboardEvent) => e.composedPath()[0] !== ui.host && !e.composedPath().includes(ui.host);
    const onPageKey = (e: KeyboardEvent) => {
      if (!fromOutside(e)) return; // the picker handles its own keys
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        done(null);
      } else if (e.key === 'Tab') {
        e.preventDefault();
        e.stopPropagation();
        (ui.mount.firstElementChild as HTMLElement | null)?.focus();
      }
    };
    const done = (rect: Rect | null) => {
      if (openPicker?.ui !== ui) return;
      openPicker = null;
      document.removeEventListener('keydown', onPageKey, true);
      ui.remove();
      resolve(rect);
    };
    openPicker = { ui, cancel: () => done(null) };
    document.addEventListener('keydown', onPageKey, true);
    render(<RegionPicker onDone={done} />, ui.mount);
  });
}

export async function selectAndReadRegion(): Promise<void> {
  if (openPicker) {
    if (openPicker.ui.isConnected) {
      (openPicker.ui.mount.firstElementChild as HTMLElement | null)?.focus();
      return;
    }
    openPicker.cancel(); // a page script removed it: start afresh rather than stay stuck
  }
  closeResultPanel();
  const before = deepActiveElement(document);
  const rect = await pickRegion();
  if (rect) await readRegion(rect, t('panelTextInSelection'), before);
  else focusReturnTarget(before, null)?.focus();
}

/** `focusBefore`: where focus goes when the panel closes (the element focused before the picker). */
export async function readRegion(rect: Rect, title: string, focusBefore?: Element | null): Promise<void> {
  closeResultPanel();
  const before = focusBefore !== undefined ? focusBefore : deepActiveElement(document);
  await nextPaint(); // the overlay and any panel must be off screen before the capture
  // The background captures, crops and reads in one place: the pixels never come back through the page.
  const captured = await sendToBackground('region.capture', { rect, viewportWidthCss: window.innerWidth }).catch((err: unknown) =>
    failure('capture-refused', err instanceof Error ? err.message : String(err)),
  );
  // The panel shows only now that the capture is taken: it must not be in it.
  const read = (kind: 'read-text' | 'read-handwriting' | 'read-printed') =>
    captured.ok
      ? sendToBackground('region.read', { captureId: captured.captureId, kind }).catch((err: unknown) =>
          failure('model-failed', err instanceof Error ? err.message : String(err)),
        )
      : Promise.resolve(captured);
  showResultPanel({
    title,
    workingLabel: t('panelReadingText'),
    anchor: rect,
    outcome: read('read-text'),
    readAs: read,
    returnFocus: { before },
    // A chart or photo in the selection: questions about the same captured pixels.
    ask: captured.ok ? panelAsk({ kind: 'capture', captureId: captured.captureId }) : undefined,
  });
}

export function readVisiblePage(): Promise<void> {
  return readRegion({ x: 0, y: 0, width: window.innerWidth, height: window.innerHeight }, t('panelTextOnScreen'));
}

function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}
