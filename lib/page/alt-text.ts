/**
 * Writing generated alt text into the page, marked so it can be told apart from the author's and
 * undone exactly. Text is only ever set with setAttribute: model output is data, never markup.
 */

/** Present on every element whose alt AltSight wrote. */
export const GENERATED_ATTR = 'data-altsight';
export const GENERATED_VALUE = 'generated';
export const MODEL_ATTR = 'data-altsight-model';
/** The image URL the caption describes, so a changed image is noticed and re-captioned. */
export const SOURCE_ATTR = 'data-altsight-src';
/** The placeholder alt we replaced (e.g. "IMG_1234.jpg"); absent when the element had no alt. */
export const ORIGINAL_ALT_ATTR = 'data-altsight-original-alt';

export function composeAlt(prefix: string, caption: string): string {
  return `${prefix}${caption}`;
}

export interface GeneratedAlt {
  caption: string;
  modelId: string;
  prefix: string;
  imageUrl: string;
}

export function isGeneratedAlt(el: Element): boolean {
  return el.getAttribute(GENERATED_ATTR) === GENERATED_VALUE;
}

/** The alt we last wrote on each element, so our own write is never taken for the author's edit. */
const lastWrittenAlt = new WeakMap<Element, string>();

/** Whether the element's alt is the one we wrote (auto-fill's or the panel's "Use as alt text"). */
export function isOwnAltWrite(el: Element, alt: string | null): boolean {
  return alt !== null && isGeneratedAlt(el) && lastWrittenAlt.get(el) === alt;
}

export function writeGeneratedAlt(el: Element, generated: GeneratedAlt): string {
  if (!isGeneratedAlt(el) && el.hasAttribute('alt')) {
    el.setAttribute(ORIGINAL_ALT_ATTR, el.getAttribute('alt') ?? '');
  }
  const alt = composeAlt(generated.prefix, generated.caption);
  lastWrittenAlt.set(el, alt);
  el.setAttribute('alt', alt);
  el.setAttribute(GENERATED_ATTR, GENERATED_VALUE);
  el.setAttribute(MODEL_ATTR, generated.modelId);
  el.setAttribute(SOURCE_ATTR, generated.imageUrl);
  return alt;
}

/** Puts the element back as the author left it. Returns false when there was nothing of ours. */
export function undoGeneratedAlt(el: Element): boolean {
  if (!isGeneratedAlt(el)) return false;
  const original = el.getAttribute(ORIGINAL_ALT_ATTR);
  if (original === null) el.removeAttribute('alt');
  else el.setAttribute('alt', original);
  forgetGeneratedAlt(el);
  return true;
}

/** The author wrote their own alt over ours: theirs stays, our markers go. */
export function forgetGeneratedAlt(el: Element): void {
  for (const attr of [GENERATED_ATTR, MODEL_ATTR, SOURCE_ATTR, ORIGINAL_ALT_ATTR]) el.removeAttribute(attr);
}
