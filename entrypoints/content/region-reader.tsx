/**
 * "Select area to read" and "Read visible page": the picker in a closed shadow root, then a capture of
 * the visible tab (taken after the overlay is gone), read by the engine, shown in the result panel.
 */
import { render } from 'preact';
import { REGION_PICKER_CSS, RegionPicker } from '@/components/RegionPicker';
import { failure } from '@/lib/engine/jobs';
import type { Rect } from '@/lib/page/region';
import { sendToBackground } from '@/lib/transport';
import { mountInClosedShadow } from './closed-shadow';
import { closeResultPanel, showResultPanel } from './result-panel';

let picking = false;

export function pickRegion(): Promise<Rect | null> {
  return new Promise((resolve) => {
    const ui = mountInClosedShadow('altsight-region-picker', REGION_PICKER_CSS);
    render(
      <RegionPicker
        onDone={(rect) => {
          ui.remove();
          resolve(rect);
        }}
      />,
      ui.mount,
    );
  });
}

export async function selectAndReadRegion(): Promise<void> {
  if (picking) return;
  picking = true;
  try {
    closeResultPanel();
    const rect = await pickRegion();
    if (rect) await readRegion(rect, 'Text in selection');
  } finally {
    picking = false;
  }
}

export async function readRegion(rect: Rect, title: string): Promise<void> {
  closeResultPanel();
  await nextPaint(); // the overlay and any panel must be off screen before the capture
  // The background captures, crops and reads in one place: the pixels never come back through the page.
  const captured = await sendToBackground('region.capture', { rect, viewportWidthCss: window.innerWidth }).catch((err: unknown) =>
    failure('capture-refused', err instanceof Error ? err.message : String(err)),
  );
  // The panel shows only now that the capture is taken: it must not be in it.
  const outcome = captured.ok
    ? sendToBackground('region.read', { captureId: captured.captureId }).catch((err: unknown) =>
        failure('model-failed', err instanceof Error ? err.message : String(err)),
      )
    : Promise.resolve(captured);
  showResultPanel({ title, workingLabel: 'Reading text…', anchor: rect, outcome });
}

export function readVisiblePage(): Promise<void> {
  return readRegion({ x: 0, y: 0, width: window.innerWidth, height: window.innerHeight }, 'Text on screen');
}

function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}
