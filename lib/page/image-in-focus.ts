/**
 * "Describe the focused image" (keyboard command): which image the reader means. Each frame keeps the
 * last pointer position and when focus last moved; at the command it looks at the element with focus
 * and the one under the pointer (through open shadow roots and scriptless same-origin frames), and
 * offers the one the reader turned to most recently. The background compares the frames' answers.
 */
import { deepActiveElement, scriptlessFrameDocument } from './focus-trap';
import { imageUrlOf, isCandidateElement, type CandidateElement } from './image-facts';

/** A frame's answer: the image's URL and when the reader turned to it (ms since the epoch). */
export interface ImageInFocus {
  srcUrl: string;
  at: number;
}

/** A link or button that holds an image: focusing it means that image. */
const IMAGE_CONTROL = 'a[href], button, [role="link"], [role="button"]';

/**
 * The image an element stands for: the image itself, or the first shown image inside the link or
 * button it is in. Images without a URL are skipped (nothing to read).
 */
export function imageOfTarget(el: Element | null, isShown: (el: Element) => boolean = hasLayoutBox): CandidateElement | null {
  if (!el) return null;
  if (isCandidateElement(el)) return imageUrlOf(el) ? el : null;
  const control = el.closest(IMAGE_CONTROL);
  return control ? firstImageIn(control, isShown) : null;
}

function firstImageIn(container: Element | ShadowRoot, isShown: (el: Element) => boolean): CandidateElement | null {
  for (const el of container.querySelectorAll('*')) {
    if (isCandidateElement(el) && imageUrlOf(el) && isShown(el)) return el;
    if (el.shadowRoot) {
      const inner = firstImageIn(el.shadowRoot, isShown);
      if (inner) return inner;
    }
  }
  return null;
}

/** Of a focus candidate and a pointer candidate, the one the reader turned to last (focus on a tie). */
export function mostRecent<T extends { at: number }>(focus: T | null, pointer: T | null): T | null {
  if (!focus) return pointer;
  if (!pointer) return focus;
  return pointer.at > focus.at ? pointer : focus;
}

/** The frames' answers to "which image?": the most recent one wins; null when no frame has one. */
export function chooseAcrossFrames(answers: readonly { frameId: number; image: ImageInFocus | null }[]): { frameId: number; srcUrl: string } | null {
  let best: { frameId: number; image: ImageInFocus } | null = null;
  for (const { frameId, image } of answers) {
    if (image && (!best || image.at > best.image.at)) best = { frameId, image };
  }
  return best ? { frameId: best.frameId, srcUrl: best.image.srcUrl } : null;
}

interface PointerAt {
  doc: Document;
  x: number;
  y: number;
  at: number;
}

/** Follows the pointer and focus in one frame's document (and its scriptless same-origin frames). */
export class ImageInFocusTracker {
  private pointer: PointerAt | null = null;
  /** When focus last moved; 0 when it never did since we started (a script injected late still sees `activeElement`). */
  private focusMovedAt = 0;
  private readonly watched = new WeakSet<Document>();

  constructor(
    private readonly top: Document,
    private readonly signal: AbortSignal,
    private readonly now: () => number = Date.now,
  ) {
    this.watch(top);
  }

  /** The image the reader means, with the element (for the panel) and when they turned to it. */
  find(): { element: CandidateElement; at: number } | null {
    const focused = imageOfTarget(deepActiveElement(this.top));
    const pointed = this.pointer ? imageOfTarget(deepElementFromPoint(this.pointer.doc, this.pointer.x, this.pointer.y)) : null;
    return mostRecent(
      focused && { element: focused, at: this.focusMovedAt },
      pointed && this.pointer && { element: pointed, at: this.pointer.at },
    );
  }

  private watch(doc: Document): void {
    if (this.watched.has(doc)) return;
    this.watched.add(doc);
    const options = { capture: true, passive: true, signal: this.signal };
    doc.addEventListener('pointermove', (e) => (this.pointer = { doc, x: e.clientX, y: e.clientY, at: this.now() }), options);
    doc.addEventListener(
      'pointerout',
      (e) => {
        // Leaving the window (or into a frame with a script of its own): the pointer is no longer here.
        if (e.relatedTarget === null && this.pointer?.doc === doc) this.pointer = null;
      },
      options,
    );
    doc.addEventListener('focusin', () => (this.focusMovedAt = this.now()), options);
    // Scriptless same-origin frames report to us: watch them once the reader meets them.
    const watchFrame = (e: Event) => {
      // Duck-typed: a scriptless frame's elements belong to another realm, where `instanceof` fails.
      const target = e.target as Element | null;
      const inner = target?.nodeType === 1 ? scriptlessFrameDocument(target) : null;
      if (inner) this.watch(inner);
    };
    doc.addEventListener('pointerover', watchFrame, options);
    doc.addEventListener('focusin', watchFrame, options);
    for (const frame of doc.querySelectorAll('iframe, frame')) {
      const inner = scriptlessFrameDocument(frame);
      if (inner) this.watch(inner);
    }
  }
}

/** The innermost element at a point of `doc`'s viewport, through open shadow roots and scriptless frames. */
export function deepElementFromPoint(doc: Document, x: number, y: number): Element | null {
  let el = doc.elementFromPoint(x, y);
  for (let depth = 0; el && depth < 32; depth++) {
    const inner = innerElementAt(el, x, y);
    if (!inner || inner.el === el) break;
    if (inner.doc) {
      x = inner.x;
      y = inner.y;
    }
    el = inner.el;
  }
  return el;
}

function innerElementAt(el: Element, x: number, y: number): { el: Element; doc?: Document; x: number; y: number } | null {
  if (el.shadowRoot) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    return inner && inner !== el ? { el: inner, x, y } : null;
  }
  const frameDoc = scriptlessFrameDocument(el);
  if (!frameDoc) return null;
  const box = el.getBoundingClientRect();
  const fx = x - box.left - el.clientLeft;
  const fy = y - box.top - el.clientTop;
  const inner = frameDoc.elementFromPoint(fx, fy);
  return inner ? { el: inner, doc: frameDoc, x: fx, y: fy } : null;
}

/**
 * The element's box in `doc`'s viewport, for an element that may be inside scriptless frames of `doc`
 * (each frame's offset and border added on the way up).
 */
export function viewportRectIn(doc: Document, el: Element): { x: number; y: number; width: number; height: number } {
  const r = el.getBoundingClientRect();
  let x = r.left;
  let y = r.top;
  let current: Document = el.ownerDocument;
  while (current !== doc) {
    const frame = current.defaultView?.frameElement;
    if (!frame) break;
    const box = frame.getBoundingClientRect();
    x += box.left + frame.clientLeft;
    y += box.top + frame.clientTop;
    current = frame.ownerDocument;
  }
  return { x, y, width: r.width, height: r.height };
}

function hasLayoutBox(el: Element): boolean {
  return el.getClientRects().length > 0;
}
