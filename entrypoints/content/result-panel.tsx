/**
 * The result panel feature: a caption or read text next to its image (or the selected region).
 */
import { render } from 'preact';
import { RESULT_PANEL_CSS, ResultPanel, type PanelResult } from '@/components/ResultPanel';
import type { JobOutcome } from '@/lib/engine/jobs';
import type { Rect } from '@/lib/page/region';
import { sendToBackground } from '@/lib/transport';
import { mountInClosedShadow } from './closed-shadow';

export interface ResultPanelOptions {
  title: string;
  workingLabel: string;
  /** Where to put the panel: an element, a viewport rectangle, or nothing (top-left). */
  anchor: Element | Rect | null;
  outcome: Promise<JobOutcome>;
  /** Asks again, when the user presses Retry after a failure; absent where asking again makes no sense. */
  retry?: () => Promise<JobOutcome>;
  useAsAlt?: (outcome: Extract<JobOutcome, { ok: true }>) => void;
}

let closeOpenPanel: (() => void) | null = null;

export function closeResultPanel(): void {
  closeOpenPanel?.();
}

export function showResultPanel({ title, workingLabel, anchor, outcome, retry, useAsAlt }: ResultPanelOptions): void {
  closeOpenPanel?.();
  const returnFocusTo = document.activeElement as HTMLElement | null;
  const ui = mountInClosedShadow('altsight-panel', RESULT_PANEL_CSS);
  const mount = ui.mount;

  let done: Extract<JobOutcome, { ok: true }> | null = null;
  const close = () => {
    ui.remove();
    closeOpenPanel = null;
    returnFocusTo?.focus?.();
  };
  closeOpenPanel = close;

  const paint = (result: PanelResult) =>
    render(
      <ResultPanel
        title={title}
        result={result}
        onCopy={copyText}
        onUseAsAlt={useAsAlt ? () => done && useAsAlt(done) : undefined}
        onRetry={retry ? () => show(retry()) : undefined}
        onClose={close}
      />,
      mount,
    );
  function show(answer: Promise<JobOutcome>): void {
    paint({ kind: 'working', label: workingLabel });
    void answer.then((o) => {
      if (closeOpenPanel !== close) return;
      if (o.ok) done = o;
      paint(o.ok ? { kind: 'done', text: o.text } : { kind: 'error', message: o.message });
    });
  }
  show(outcome);
  placeNear(mount, anchor);
}

function placeNear(mount: HTMLElement, anchor: Element | Rect | null): void {
  const panel = mount.firstElementChild as HTMLElement | null;
  if (!panel) return;
  const rect = anchor instanceof Element ? anchor.getBoundingClientRect() : anchor;
  const top = rect ? Math.min(Math.max(8, rect.y), window.innerHeight - 160) : 16;
  const left = rect ? Math.min(Math.max(8, rect.x + rect.width + 8), window.innerWidth - 440) : 16;
  panel.style.top = `${Math.max(8, top)}px`;
  panel.style.left = `${Math.max(8, left)}px`;
}

/**
 * Copied by our own engine document, never through the page: a textarea in the page's DOM would let
 * its scripts read text (OCR of a cross-origin iframe, say) they could not see otherwise.
 */
async function copyText(text: string): Promise<void> {
  const { copied } = await sendToBackground('clipboard.write', { text });
  if (!copied) throw new Error('The clipboard refused the text.');
}
