/**
 * The "Caption this image" feature: a panel next to the image, in a closed shadow root so the page's
 * scripts can't read the result or restyle it.
 */
import { render } from 'preact';
import { CAPTION_PANEL_CSS, CaptionPanel, type PanelResult } from '@/components/CaptionPanel';
import type { CaptionOutcome } from '@/lib/engine/jobs';

export interface CaptionPanelOptions {
  anchor: Element | null;
  caption: Promise<CaptionOutcome>;
  useAsAlt: (text: string, modelId: string) => void;
}

let closeOpenPanel: (() => void) | null = null;

export function showCaptionPanel({ anchor, caption, useAsAlt }: CaptionPanelOptions): void {
  closeOpenPanel?.();
  const returnFocusTo = document.activeElement as HTMLElement | null;
  const host = document.createElement('altsight-panel');
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = CAPTION_PANEL_CSS;
  const mount = document.createElement('div');
  shadow.append(style, mount);
  document.documentElement.append(host);

  let modelId = '';
  const close = () => {
    render(null, mount);
    host.remove();
    closeOpenPanel = null;
    returnFocusTo?.focus?.();
  };
  closeOpenPanel = close;

  const paint = (result: PanelResult) =>
    render(
      <CaptionPanel result={result} onCopy={copyText} onUseAsAlt={(text) => useAsAlt(text, modelId)} onClose={close} />,
      mount,
    );
  paint({ kind: 'working' });
  placeNear(mount, anchor);

  void caption.then((outcome) => {
    if (closeOpenPanel !== close) return;
    if (outcome.ok) modelId = outcome.modelId;
    paint(outcome.ok ? { kind: 'caption', text: outcome.text } : { kind: 'error', message: outcome.message });
  });
}

function placeNear(mount: HTMLElement, anchor: Element | null): void {
  const panel = mount.firstElementChild as HTMLElement | null;
  if (!panel) return;
  const rect = anchor?.getBoundingClientRect();
  const top = rect ? Math.min(Math.max(8, rect.top), window.innerHeight - 160) : 16;
  const left = rect ? Math.min(Math.max(8, rect.right + 8), window.innerWidth - 380) : 16;
  panel.style.top = `${Math.max(8, top)}px`;
  panel.style.left = `${Math.max(8, left)}px`;
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Pages may deny the async clipboard; the older path still works for a click in our panel.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}
