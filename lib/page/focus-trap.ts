/**
 * Keyboard focus for our in-page dialogs (the result panel, the region picker): Tab and Shift+Tab cycle
 * through the dialog's own controls and never reach the page behind it, and closing one gives focus back
 * to where the reader was.
 */

/** What can take focus with Tab; disabled controls and `tabindex="-1"` can't. */
const TABBABLE = 'button:not([disabled]), a[href], input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The index to focus after Tab (or Shift+Tab with `backwards`) among `count` controls, cycling at both
 * ends; `current` is -1 when focus is on the dialog itself (or anywhere else). null: nothing to focus.
 */
export function nextFocusIndex(current: number, count: number, backwards: boolean): number | null {
  if (count <= 0) return null;
  if (current < 0 || current >= count) return backwards ? count - 1 : 0;
  return backwards ? (current - 1 + count) % count : (current + 1) % count;
}

/** The controls of `container` that Tab visits, in document order, leaving out ones that aren't rendered. */
export function tabbablesIn(container: Element, isRendered: (el: Element) => boolean = hasLayoutBox): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => isRendered(el));
}

/**
 * Handles Tab/Shift+Tab inside `container` (call it from the container's keydown): moves focus to the
 * next control, cycling, and keeps the key from the page. Returns true when it handled the key.
 */
export function keepTabInside(event: KeyboardEvent, container: HTMLElement): boolean {
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return false;
  event.preventDefault();
  event.stopPropagation();
  const controls = tabbablesIn(container);
  const root = container.getRootNode() as Document | ShadowRoot;
  const active = root.activeElement;
  const next = nextFocusIndex(active ? controls.indexOf(active as HTMLElement) : -1, controls.length, event.shiftKey);
  (next === null ? container : controls[next]!).focus();
  return true;
}

/**
 * The element that really has focus in `doc`: through open shadow roots, and through same-origin frames
 * that run no content script of their own (about:blank, about:srcdoc: see `isScriptlessFrameDocument`).
 * null when nothing but the body has focus.
 */
export function deepActiveElement(doc: Document): Element | null {
  let active: Element | null = doc.activeElement;
  for (let depth = 0; active && depth < 32; depth++) {
    const inner = active.shadowRoot?.activeElement ?? scriptlessFrameDocument(active)?.activeElement ?? null;
    if (!inner || inner === active) break;
    active = inner;
  }
  return active && active !== doc.body && active !== doc.documentElement ? active : null;
}

/**
 * A frame's document when our content script can't be inside it, so its parent's has to look in: content
 * scripts run on http(s) and file pages only, and a same-origin about:blank or srcdoc frame (a rich-text
 * editor, an ad slot written by script) has none. null for other frames (their own script answers) and
 * cross-origin ones (unreachable).
 */
export function scriptlessFrameDocument(el: Element): Document | null {
  if (el.localName !== 'iframe' && el.localName !== 'frame') return null;
  let doc: Document | null = null;
  try {
    doc = (el as HTMLIFrameElement).contentDocument;
  } catch {
    return null;
  }
  return doc && isScriptlessFrameDocument(doc.URL) ? doc : null;
}

/** True for frame URLs our content script doesn't run in (it matches http, https and file pages). */
export function isScriptlessFrameDocument(url: string): boolean {
  return !/^(https?|file):/i.test(url);
}

/**
 * Where focus goes when a panel closes: the element that had it before (if it is still on the page),
 * else the closest focusable ancestor of the image the panel was about (a link or button around it),
 * else nowhere (the browser leaves it on the body).
 */
export function focusReturnTarget(before: Element | null, image: Element | null): HTMLElement | null {
  if (before && before.isConnected && typeof (before as HTMLElement).focus === 'function') return before as HTMLElement;
  const around = image?.closest<HTMLElement>('a[href], button, [tabindex]:not([tabindex="-1"]), input[type="image"]');
  return around?.isConnected ? around : null;
}

function hasLayoutBox(el: Element): boolean {
  return el.getClientRects().length > 0;
}
