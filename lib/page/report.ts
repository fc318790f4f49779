/**
 * How the popup shows a page's image report: a short name a person can hear without a 1,000-character
 * data: URL read aloud, a thumbnail only where showing it costs no request, and failures that many
 * images share told once for the page instead of once per image. Pure: reports in, view data out.
 */
import { t } from '../i18n';
import type { PageImageReport } from '../messages';

/** Long enough for "IMG_20240102_101112.jpg" or "quarterly-results-chart.png", short enough for one line at 420 px. */
export const MAX_IMAGE_NAME_CHARS = 40;
/** From this many images failing for the same reason, the reason is said once for the page. */
export const SHARED_FAILURE_MIN_IMAGES = 2;
/**
 * A data: URL bigger than this is not drawn as a thumbnail: the popup would decode megabytes every
 * refresh for a 32 px square. 256 KiB of base64 is a 190 KB image, far above a typical inline icon.
 */
export const MAX_THUMBNAIL_DATA_URL_CHARS = 256 * 1024;

export const EMBEDDED_IMAGE_NAME = t('imageNameEmbedded');
const UNNAMED_IMAGE_NAME = t('imageNameUnnamed');

/**
 * What to call an image in a list: the file name from its URL path, decoded, at most `maxChars`
 * characters (the middle elided, so the extension stays); "Embedded image" for data:/blob:; the host
 * name when the path has no file name. Never the URL itself.
 */
export function shortImageName(imageUrl: string, maxChars = MAX_IMAGE_NAME_CHARS): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(imageUrl.trim())?.[1]?.toLowerCase();
  if (scheme === 'data' || scheme === 'blob') return EMBEDDED_IMAGE_NAME;
  let url: URL;
  try {
    url = new URL(imageUrl);
  } catch {
    return UNNAMED_IMAGE_NAME;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'file:') return UNNAMED_IMAGE_NAME;
  const segment = url.pathname.split('/').filter(Boolean).pop();
  const name = clean(segment ? decodeSegment(segment) : '') || url.hostname || UNNAMED_IMAGE_NAME;
  return elideMiddle(name, maxChars);
}

/**
 * The thumbnail the popup may draw without any request: the image's own data: URL (raster or SVG; an
 * <img> runs no script). http(s) images are not shown: the popup would fetch them again, from the
 * popup, with the user's cookies, outside the engine's fetch policy. blob: URLs belong to the page's
 * origin and don't load in the popup. Both get a generic icon instead.
 */
export function thumbnailSrc(imageUrl: string): string | null {
  if (imageUrl.length > MAX_THUMBNAIL_DATA_URL_CHARS) return null;
  return /^data:image\/(png|jpeg|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon|svg\+xml)[;,]/i.test(imageUrl) ? imageUrl : null;
}

/**
 * A headline shorter than this is not a cause ("Error: …", "TypeError: …"): such messages are grouped
 * only with the very same text.
 */
const MIN_HEADLINE_CHARS = 16;

export interface SharedFailure {
  /** What went wrong, as one sentence: "The captioning model could not be loaded." */
  headline: string;
  /** Why, when the message said: the most common detail among the group's images. */
  detail: string | null;
  /** Images that failed for this reason. */
  count: number;
}

export interface FailureGroups {
  /** Reasons several images share, most images first: shown once, at the top of the page's section. */
  shared: SharedFailure[];
  /** Whether this image's reason is told in `shared` (it then shows only a short note). */
  isShared(image: PageImageReport): boolean;
  /** Every failed image, shared reason or not. */
  failedCount: number;
}

/**
 * Groups the page's failures by cause, so a cause many images share is told once. Failure messages
 * read "What went wrong: why" ("The captioning model could not be loaded: AltSight could not reach
 * 127.0.0.1:9 for tokenizer.json: …"), and the why can differ per image in a detail (which file a
 * download stopped at) while the cause is one: images group by the part before the first ": ".
 */
export function groupFailures(images: readonly PageImageReport[], minImages = SHARED_FAILURE_MIN_IMAGES): FailureGroups {
  const groups = new Map<string, { count: number; details: Map<string, number> }>();
  let failedCount = 0;
  for (const image of images) {
    if (image.state !== 'failed') continue;
    failedCount++;
    const { headline, detail } = splitReason(reasonOf(image));
    const group = groups.get(headline) ?? { count: 0, details: new Map<string, number>() };
    group.count++;
    if (detail) group.details.set(detail, (group.details.get(detail) ?? 0) + 1);
    groups.set(headline, group);
  }
  const shared = [...groups]
    .filter(([, g]) => g.count >= minImages)
    .map(([headline, g]) => ({ headline: sentence(headline), detail: mostCommon(g.details), count: g.count }))
    .sort((a, b) => b.count - a.count);
  const sharedHeadlines = new Set([...groups].filter(([, g]) => g.count >= minImages).map(([headline]) => headline));
  return {
    shared,
    failedCount,
    isShared: (image) => image.state === 'failed' && sharedHeadlines.has(splitReason(reasonOf(image)).headline),
  };
}

/** The reason as shown: trimmed, with a fallback for a failure that came without one. */
export function reasonOf(image: PageImageReport): string {
  return image.reason?.trim() || t('unknownError');
}

/** "Cause: why" → both; a message without that shape is all headline. A URL's "https:" is no separator. */
function splitReason(reason: string): { headline: string; detail: string | null } {
  const at = reason.indexOf(': ');
  if (at < MIN_HEADLINE_CHARS) return { headline: reason, detail: null };
  // trimEnd: French puts a space before the colon ("…chargé : why").
  return { headline: reason.slice(0, at).trimEnd(), detail: reason.slice(at + 2).trim() || null };
}

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function mostCommon(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [text, count] of counts) {
    if (count > bestCount) [best, bestCount] = [text, count];
  }
  return best;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a stray "%" that is not an escape
  }
}

/** Control characters and runs of white space would read as noise (or break the line). */
function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
}

/** "a-very-long-file-name-….png": keeps the start and the extension, counted in code points. */
function elideMiddle(text: string, maxChars: number): string {
  const chars = [...text];
  if (chars.length <= maxChars) return text;
  const dot = text.lastIndexOf('.');
  const extensionChars = dot > 0 ? [...text.slice(dot)].length : 0;
  const tailChars = extensionChars > 0 && extensionChars <= 8 ? Math.min(extensionChars + 4, maxChars >> 1) : Math.floor((maxChars - 1) / 3);
  const headChars = maxChars - 1 - tailChars;
  return `${chars.slice(0, headChars).join('')}…${chars.slice(chars.length - tailChars).join('')}`;
}
