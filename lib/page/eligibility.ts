/**
 * What counts as an image needing a text alternative. DOM-free: the caller reads an element into
 * ImageFacts (image-facts.ts) and acts on the decision, so every rule is unit-testable.
 */
import { isPlaceholderAlt } from './placeholder-alt';

/** Smaller images are icons, bullets, spacers or trackers; a caption would add noise, not meaning. */
export const MIN_IMAGE_SIZE_PX = 48;

export interface ImageFacts {
  tag: 'img' | 'input-image';
  /** attribute values as read from the element; null when the attribute is absent */
  alt: string | null;
  ariaHidden: string | null;
  role: string | null;
  ariaLabel: string | null;
  ariaLabelledby: string | null;
  /**
   * A title is a weak alternative but still the author's words (WCAG F65 accepts it), so a real title
   * on an element without alt is left alone; a placeholder title ("IMG_1234.jpg") is ignored.
   */
  title?: string | null;
  /** e.g. inside an aria-hidden="true" ancestor (caller computes) */
  hiddenByAncestor: boolean;
  /** CSS px of the layout box (0 when not rendered) */
  renderedWidthPx: number;
  renderedHeightPx: number;
  /** 0/undefined when not yet loaded */
  naturalWidthPx?: number;
  naturalHeightPx?: number;
  /** computed: display:none, visibility:hidden, opacity:0, hidden attribute => 'hidden' */
  visibility: 'visible' | 'hidden';
  /** currentSrc or src; '' when none yet */
  imageUrl: string;
  /** element carries our marker (alt was written by AltSight) */
  generatedByUs: boolean;
}

export type CaptionReason =
  /** <img> or image button with no alt attribute at all */
  | 'missing-alt'
  /** alt is a file name, URL, "image", a camera id…: see isPlaceholderAlt */
  | 'placeholder-alt'
  /** an image button can't be decorative: alt="" leaves the button without a name */
  | 'empty-alt-on-button'
  /**
   * The alt is ours from an earlier pass. The caller re-captions only when the image source differs
   * from the one the caption describes; otherwise it keeps what it wrote.
   */
  | 'generated-before';

export type SkipReason =
  /** alt="" on <img>: the author marked it decorative */
  | 'decorative'
  | 'aria-hidden'
  | 'inside-aria-hidden'
  /** role="presentation" or role="none" on <img> */
  | 'presentational-role'
  /** aria-label and aria-labelledby win over alt, so writing alt would change nothing users hear */
  | 'has-aria-label'
  | 'has-aria-labelledby'
  | 'has-title'
  /** a non-placeholder alt the author wrote */
  | 'author-alt'
  | 'hidden'
  | 'too-small';

export type WaitReason =
  | 'no-source'
  | 'not-laid-out'
  /** a large box showing a 1×1 spacer or a blurred thumbnail while the real picture loads lazily */
  | 'placeholder-source';

/** A loaded picture this thin is a spacer or tracking pixel, whatever box it is stretched over. */
const PLACEHOLDER_MAX_SIDE_PX = 4;
/** A small picture blown up at least this much is a low-quality placeholder, not the image itself. */
const PLACEHOLDER_UPSCALE = 3;

export type Eligibility =
  | { decision: 'caption'; why: CaptionReason }
  | { decision: 'skip'; why: SkipReason }
  /** re-check later (lazy images, not yet loaded) */
  | { decision: 'wait'; why: WaitReason };

/**
 * Decides whether AltSight should write alt for this element. Rules about the author's intent come
 * first (they are stable and the clearest reason to show), then layout, which can change.
 */
export function needsTextAlternative(facts: ImageFacts): Eligibility {
  if (isTrueToken(facts.ariaHidden)) return skip('aria-hidden');
  if (facts.hiddenByAncestor) return skip('inside-aria-hidden');
  // Browsers ignore presentational roles on focusable elements, and an image button is focusable.
  if (facts.tag === 'img' && hasPresentationalRole(facts.role)) return skip('presentational-role');

  const altIsEmpty = facts.alt !== null && facts.alt.trim() === '';
  // Whitespace-only alt reads as empty to assistive technology, so it is the same decorative marking.
  if (facts.tag === 'img' && altIsEmpty) return skip('decorative');
  if (hasText(facts.ariaLabel)) return skip('has-aria-label');
  if (hasText(facts.ariaLabelledby)) return skip('has-aria-labelledby');

  const captionReason = facts.generatedByUs ? 'generated-before' : reasonFromAuthorAlt(facts);
  if (captionReason === null) return skip('author-alt');
  // alt outranks title in the accessible name, so a title only stands in when alt says nothing.
  if (captionReason !== 'placeholder-alt' && captionReason !== 'generated-before' && hasRealTitle(facts)) {
    return skip('has-title');
  }

  if (facts.visibility === 'hidden') return skip('hidden');
  if (facts.imageUrl.trim() === '') return wait('no-source');

  const layout = sizeVerdict(facts);
  if (layout) return layout;
  return { decision: 'caption', why: captionReason };
}

/** null when the author's alt is a real text alternative. */
function reasonFromAuthorAlt(facts: ImageFacts): CaptionReason | null {
  if (facts.alt === null) return 'missing-alt';
  if (facts.alt.trim() === '') return 'empty-alt-on-button'; // only image buttons get this far
  return isPlaceholderAlt(facts.alt, facts.imageUrl) ? 'placeholder-alt' : null;
}

/**
 * A zero-sized box on a visible element has not been laid out yet (lazy image, collapsed container):
 * wait for a load or attribute change, unless the loaded picture itself is already too small to matter.
 * Rendered size wins over natural size once there is a box: that is what a reader sees.
 */
function sizeVerdict(facts: ImageFacts): Eligibility | null {
  if (!isPositive(facts.renderedWidthPx) || !isPositive(facts.renderedHeightPx)) {
    const naturalWidthPx = facts.naturalWidthPx ?? 0;
    const naturalHeightPx = facts.naturalHeightPx ?? 0;
    const naturalKnown = isPositive(naturalWidthPx) && isPositive(naturalHeightPx);
    if (naturalKnown && isSmall(naturalWidthPx, naturalHeightPx)) return skip('too-small');
    return wait('not-laid-out');
  }
  if (isSmall(facts.renderedWidthPx, facts.renderedHeightPx)) return skip('too-small');
  return isLazyPlaceholder(facts) ? wait('placeholder-source') : null;
}

/**
 * Lazy loaders show a 1×1 GIF or a tiny blurred copy in the final box until the real source arrives; a
 * caption of that would describe nothing. The load of the real source brings the element back.
 */
function isLazyPlaceholder(facts: ImageFacts): boolean {
  const w = facts.naturalWidthPx ?? 0;
  const h = facts.naturalHeightPx ?? 0;
  if (!isPositive(w) || !isPositive(h)) return false; // not loaded, or no intrinsic size (SVG): unknown
  if (w <= PLACEHOLDER_MAX_SIDE_PX || h <= PLACEHOLDER_MAX_SIDE_PX) return true;
  return isSmall(w, h) && facts.renderedWidthPx >= w * PLACEHOLDER_UPSCALE && facts.renderedHeightPx >= h * PLACEHOLDER_UPSCALE;
}

function isSmall(widthPx: number, heightPx: number): boolean {
  return widthPx < MIN_IMAGE_SIZE_PX || heightPx < MIN_IMAGE_SIZE_PX;
}

function isPositive(px: number): boolean {
  return Number.isFinite(px) && px > 0;
}

function isTrueToken(value: string | null): boolean {
  return value !== null && value.trim().toLowerCase() === 'true';
}

/** Browsers take the first role token they know; authors put the one they mean first, so we read only that. */
function hasPresentationalRole(role: string | null): boolean {
  const firstRole = role?.trim().toLowerCase().split(/\s+/)[0];
  return firstRole === 'presentation' || firstRole === 'none';
}

function hasText(value: string | null | undefined): boolean {
  return value != null && value.trim() !== '';
}

function hasRealTitle(facts: ImageFacts): boolean {
  return hasText(facts.title) && !isPlaceholderAlt(facts.title ?? '', facts.imageUrl);
}

function skip(why: SkipReason): Eligibility {
  return { decision: 'skip', why };
}

function wait(why: WaitReason): Eligibility {
  return { decision: 'wait', why };
}
