/** Reads the small description of an element that the eligibility rules decide on. */
import { isGeneratedAlt } from './alt-text';
import type { ImageFacts } from './eligibility';

export type CandidateElement = HTMLImageElement | HTMLInputElement;

export function isCandidateElement(el: Element): el is CandidateElement {
  return el.localName === 'img' || (el.localName === 'input' && (el as HTMLInputElement).type === 'image');
}

/** The URL the browser shows: currentSrc follows srcset and <picture>; src before the first load. */
export function imageUrlOf(el: CandidateElement): string {
  if (el.localName === 'img') {
    const img = el as HTMLImageElement;
    return img.currentSrc || (img.getAttribute('src') ? img.src : '');
  }
  return el.getAttribute('src') ? (el as HTMLInputElement).src : '';
}

export function readImageFacts(el: CandidateElement, rect: { width: number; height: number }): ImageFacts {
  const style = getComputedStyle(el);
  const hidden =
    el.hidden ||
    style.display === 'none' ||
    style.visibility === 'hidden' ||
    style.visibility === 'collapse' ||
    Number(style.opacity) === 0;
  const img = el.localName === 'img' ? (el as HTMLImageElement) : null;
  return {
    tag: img ? 'img' : 'input-image',
    alt: el.getAttribute('alt'),
    ariaHidden: el.getAttribute('aria-hidden'),
    role: el.getAttribute('role'),
    ariaLabel: el.getAttribute('aria-label'),
    ariaLabelledby: el.getAttribute('aria-labelledby'),
    title: el.getAttribute('title'),
    hiddenByAncestor: el.parentElement?.closest('[aria-hidden="true"]') != null,
    renderedWidthPx: rect.width,
    renderedHeightPx: rect.height,
    naturalWidthPx: img?.naturalWidth ?? 0,
    naturalHeightPx: img?.naturalHeight ?? 0,
    visibility: hidden ? 'hidden' : 'visible',
    imageUrl: imageUrlOf(el),
    generatedByUs: isGeneratedAlt(el),
  };
}
