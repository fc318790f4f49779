/**
 * The result panel, read in Firefox. Its contents live in a closed shadow root: neither the page nor
 * WebDriver BiDi can see in. The extension's own content-script world can: Firefox gives WebExtension
 * content scripts `Element.openOrClosedShadowRoot`, and `browser.scripting.executeScript` runs a function in
 * that world (see FirefoxExtensionBrowser.inContentScript). So these read exactly what the panel shows.
 */
import type { FirefoxExtensionBrowser } from '../support/firefox';
import { waitFor } from '../support/firefox';

export interface PanelState {
  /** The result's text (data-testid="caption-result"), trimmed. */
  result: string;
  /** Button labels in tab order: aria-label where there is one, else the text. */
  buttons: string[];
  /** Texts of every element by data-testid, in document order. */
  byTestId: Record<string, string[]>;
  /** The accessible name of what has focus inside the panel, if anything there has it. */
  focused: string | null;
}

/** What the panel in the tab's top frame shows now, or null when there is no panel. */
export function readPanel(ext: FirefoxExtensionBrowser, tabId: number): Promise<PanelState | null> {
  return ext.inContentScript(
    tabId,
    () => {
      const host = document.querySelector('altsight-panel') as (Element & { openOrClosedShadowRoot?: ShadowRoot | null }) | null;
      if (!host) return null;
      const root = host.openOrClosedShadowRoot;
      if (!root) throw new Error('openOrClosedShadowRoot is not available in this world');
      // An accessible name, as far as these controls need: aria-label, aria-labelledby, a <label>, the text.
      const label = (el: Element): string => {
        const aria = el.getAttribute('aria-label');
        if (aria) return aria;
        const by = el.getAttribute('aria-labelledby');
        if (by) return by.split(/\s+/).map((id) => (root.getElementById(id)?.textContent ?? '').trim()).join(' ');
        const labels = (el as HTMLInputElement).labels;
        if (labels && labels.length > 0) return [...labels].map((l) => (l.textContent ?? '').trim()).join(' ');
        return (el.textContent ?? '').trim() || el.getAttribute('placeholder') || el.localName;
      };
      const byTestId: Record<string, string[]> = {};
      for (const el of root.querySelectorAll('[data-testid]')) (byTestId[el.getAttribute('data-testid')!] ??= []).push((el.textContent ?? '').trim());
      const active = root.activeElement;
      return {
        result: (root.querySelector('[data-testid="caption-result"]')?.textContent ?? '').trim(),
        buttons: [...root.querySelectorAll('button')].map(label),
        byTestId,
        focused: active ? label(active) : null,
      };
    },
    [],
  );
}

/** The panel's result once it has one (not the "…" placeholder). */
export function panelResult(ext: FirefoxExtensionBrowser, tabId: number, timeoutMs = 120_000): Promise<string> {
  return waitFor('the panel to show a result', async () => {
    const panel = await readPanel(ext, tabId);
    return panel && panel.result && !panel.result.endsWith('…') ? panel.result : null;
  }, timeoutMs);
}
