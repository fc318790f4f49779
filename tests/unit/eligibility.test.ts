import { describe, expect, it } from 'vitest';
import { MIN_IMAGE_SIZE_PX, needsTextAlternative, type Eligibility, type ImageFacts } from '../../lib/page/eligibility';

/** A visible, loaded, 200×150 <img> with no alt: the plainest image that needs a caption. */
const plainImage: ImageFacts = {
  tag: 'img',
  alt: null,
  ariaHidden: null,
  role: null,
  ariaLabel: null,
  ariaLabelledby: null,
  title: null,
  hiddenByAncestor: false,
  renderedWidthPx: 200,
  renderedHeightPx: 150,
  naturalWidthPx: 800,
  naturalHeightPx: 600,
  visibility: 'visible',
  imageUrl: 'https://example.com/photos/cat.jpg',
  generatedByUs: false,
};

const notLaidOut = { renderedWidthPx: 0, renderedHeightPx: 0 } satisfies Partial<ImageFacts>;
const notLoaded = { naturalWidthPx: 0, naturalHeightPx: 0 } satisfies Partial<ImageFacts>;

interface Case {
  name: string;
  facts: Partial<ImageFacts>;
  expected: Eligibility;
}

const cases: Case[] = [
  // caption
  { name: 'img without alt', facts: {}, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'img with file-name alt', facts: { alt: 'IMG_1234.jpg' }, expected: { decision: 'caption', why: 'placeholder-alt' } },
  { name: 'img with generic alt', facts: { alt: 'image' }, expected: { decision: 'caption', why: 'placeholder-alt' } },
  { name: 'img whose alt repeats its own file name', facts: { alt: 'hero_banner-2', imageUrl: 'https://example.com/hero_banner-2.png' }, expected: { decision: 'caption', why: 'placeholder-alt' } },
  { name: 'image button without alt', facts: { tag: 'input-image' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'image button with placeholder alt', facts: { tag: 'input-image', alt: 'submit.png' }, expected: { decision: 'caption', why: 'placeholder-alt' } },
  { name: 'image button with empty alt has no name', facts: { tag: 'input-image', alt: '' }, expected: { decision: 'caption', why: 'empty-alt-on-button' } },
  { name: 'image button ignores role=presentation (focusable)', facts: { tag: 'input-image', role: 'presentation' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'data URL image', facts: { imageUrl: 'data:image/png;base64,iVBORw0KGgo=' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'blob URL image', facts: { imageUrl: 'blob:https://example.com/550e8400-e29b-41d4-a716-446655440000' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'aria-hidden="false" hides nothing', facts: { ariaHidden: 'false' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'empty aria-label names nothing', facts: { ariaLabel: '  ' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'empty aria-labelledby names nothing', facts: { ariaLabelledby: '' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'non-presentational role', facts: { role: 'img' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'placeholder title is ignored', facts: { title: 'DSC_0042.JPG' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'whitespace title is ignored', facts: { title: '  ' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'title does not rescue a placeholder alt (alt wins in the name)', facts: { alt: 'photo', title: 'Sunset over Lisbon' }, expected: { decision: 'caption', why: 'placeholder-alt' } },
  { name: 'title absent (undefined)', facts: { title: undefined }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'exactly the minimum size', facts: { renderedWidthPx: MIN_IMAGE_SIZE_PX, renderedHeightPx: MIN_IMAGE_SIZE_PX }, expected: { decision: 'caption', why: 'missing-alt' } },
  // A lazy loader's stand-in in the final box: the real source's load brings the element back.
  { name: 'lazy 1×1 spacer in a large box', facts: { naturalWidthPx: 1, naturalHeightPx: 1 }, expected: { decision: 'wait', why: 'placeholder-source' } },
  { name: 'lazy blurred 16×16 thumbnail in a large box', facts: { naturalWidthPx: 16, naturalHeightPx: 16 }, expected: { decision: 'wait', why: 'placeholder-source' } },
  { name: 'small picture shown a little larger', facts: { naturalWidthPx: 40, naturalHeightPx: 40, renderedWidthPx: 64, renderedHeightPx: 64 }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'thin natural strip stretched', facts: { naturalWidthPx: 600, naturalHeightPx: 3 }, expected: { decision: 'wait', why: 'placeholder-source' } },
  { name: 'laid out before load', facts: notLoaded, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'natural size omitted', facts: { naturalWidthPx: undefined, naturalHeightPx: undefined }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'our alt from an earlier pass', facts: { alt: 'Auto-generated: a cat on a sofa', generatedByUs: true }, expected: { decision: 'caption', why: 'generated-before' } },
  { name: 'our alt even though a title exists', facts: { alt: 'Auto-generated: a cat', title: 'Sunset', generatedByUs: true }, expected: { decision: 'caption', why: 'generated-before' } },

  // skip: the author's intent
  { name: 'alt="" is decorative', facts: { alt: '' }, expected: { decision: 'skip', why: 'decorative' } },
  { name: 'whitespace-only alt is decorative', facts: { alt: '  ' }, expected: { decision: 'skip', why: 'decorative' } },
  { name: 'author alt', facts: { alt: 'A cat asleep on a sofa' }, expected: { decision: 'skip', why: 'author-alt' } },
  { name: 'short author alt', facts: { alt: 'Logo' }, expected: { decision: 'skip', why: 'author-alt' } },
  { name: 'image button with author alt', facts: { tag: 'input-image', alt: 'Search' }, expected: { decision: 'skip', why: 'author-alt' } },
  { name: 'aria-hidden="true"', facts: { ariaHidden: 'true' }, expected: { decision: 'skip', why: 'aria-hidden' } },
  { name: 'aria-hidden with odd case and spaces', facts: { ariaHidden: ' TRUE ' }, expected: { decision: 'skip', why: 'aria-hidden' } },
  { name: 'inside an aria-hidden ancestor', facts: { hiddenByAncestor: true }, expected: { decision: 'skip', why: 'inside-aria-hidden' } },
  { name: 'role=presentation', facts: { role: 'presentation' }, expected: { decision: 'skip', why: 'presentational-role' } },
  { name: 'role=none', facts: { role: 'none' }, expected: { decision: 'skip', why: 'presentational-role' } },
  { name: 'role=NONE with fallback token', facts: { role: ' NONE presentation' }, expected: { decision: 'skip', why: 'presentational-role' } },
  { name: 'role list led by another role', facts: { role: 'img presentation' }, expected: { decision: 'caption', why: 'missing-alt' } },
  { name: 'aria-label', facts: { ariaLabel: 'Company logo' }, expected: { decision: 'skip', why: 'has-aria-label' } },
  { name: 'aria-label beats a placeholder alt', facts: { alt: 'IMG_1234.jpg', ariaLabel: 'Our team' }, expected: { decision: 'skip', why: 'has-aria-label' } },
  { name: 'aria-labelledby', facts: { ariaLabelledby: 'caption-3' }, expected: { decision: 'skip', why: 'has-aria-labelledby' } },
  { name: 'real title without alt', facts: { title: 'Sunset over Lisbon' }, expected: { decision: 'skip', why: 'has-title' } },
  { name: 'image button with empty alt and a title', facts: { tag: 'input-image', alt: '', title: 'Search' }, expected: { decision: 'skip', why: 'has-title' } },
  { name: 'image button with aria-label', facts: { tag: 'input-image', ariaLabel: 'Submit order' }, expected: { decision: 'skip', why: 'has-aria-label' } },

  // skip: layout
  { name: 'hidden', facts: { visibility: 'hidden' }, expected: { decision: 'skip', why: 'hidden' } },
  { name: 'hidden and not laid out', facts: { visibility: 'hidden', ...notLaidOut }, expected: { decision: 'skip', why: 'hidden' } },
  { name: 'hidden with no source yet', facts: { visibility: 'hidden', imageUrl: '' }, expected: { decision: 'skip', why: 'hidden' } },
  { name: 'narrow image', facts: { renderedWidthPx: MIN_IMAGE_SIZE_PX - 1 }, expected: { decision: 'skip', why: 'too-small' } },
  { name: 'short image', facts: { renderedHeightPx: MIN_IMAGE_SIZE_PX - 0.5 }, expected: { decision: 'skip', why: 'too-small' } },
  { name: 'tracking pixel', facts: { renderedWidthPx: 1, renderedHeightPx: 1, naturalWidthPx: 1, naturalHeightPx: 1 }, expected: { decision: 'skip', why: 'too-small' } },
  { name: 'icon-sized', facts: { renderedWidthPx: 24, renderedHeightPx: 24 }, expected: { decision: 'skip', why: 'too-small' } },
  { name: 'not laid out but loaded small', facts: { ...notLaidOut, naturalWidthPx: 16, naturalHeightPx: 16 }, expected: { decision: 'skip', why: 'too-small' } },
  { name: 'not laid out, loaded, one natural side small', facts: { ...notLaidOut, naturalWidthPx: 600, naturalHeightPx: 20 }, expected: { decision: 'skip', why: 'too-small' } },
  { name: 'our alt on an image now too small', facts: { alt: 'Auto-generated: a cat', generatedByUs: true, renderedWidthPx: 20 }, expected: { decision: 'skip', why: 'too-small' } },
  { name: 'our alt on an image now aria-hidden', facts: { alt: 'Auto-generated: a cat', generatedByUs: true, ariaHidden: 'true' }, expected: { decision: 'skip', why: 'aria-hidden' } },

  // wait
  { name: 'no source yet', facts: { imageUrl: '' }, expected: { decision: 'wait', why: 'no-source' } },
  { name: 'no source yet, placeholder alt', facts: { imageUrl: '', alt: 'image' }, expected: { decision: 'wait', why: 'no-source' } },
  { name: 'no source and not laid out', facts: { imageUrl: '', ...notLaidOut, ...notLoaded }, expected: { decision: 'wait', why: 'no-source' } },
  { name: 'lazy image not laid out or loaded', facts: { ...notLaidOut, ...notLoaded }, expected: { decision: 'wait', why: 'not-laid-out' } },
  { name: 'zero width only', facts: { renderedWidthPx: 0 }, expected: { decision: 'wait', why: 'not-laid-out' } },
  { name: 'zero height before load', facts: { renderedHeightPx: 0, ...notLoaded }, expected: { decision: 'wait', why: 'not-laid-out' } },
  { name: 'loaded large in a collapsed container', facts: notLaidOut, expected: { decision: 'wait', why: 'not-laid-out' } },
  { name: 'one natural side known only', facts: { ...notLaidOut, naturalWidthPx: 10, naturalHeightPx: 0 }, expected: { decision: 'wait', why: 'not-laid-out' } },
  { name: 'non-finite rendered size', facts: { renderedWidthPx: Number.NaN }, expected: { decision: 'wait', why: 'not-laid-out' } },
];

describe('needsTextAlternative', () => {
  it.each(cases)('$name', ({ facts, expected }) => {
    expect(needsTextAlternative({ ...plainImage, ...facts })).toEqual(expected);
  });

  it('decides on the size constant, in CSS px', () => {
    expect(MIN_IMAGE_SIZE_PX).toBe(48);
  });
});
