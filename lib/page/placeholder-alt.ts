/**
 * Tells an author's alt that describes nothing ("IMG_1234.jpg", "image", "null") from a real text
 * alternative, however short ("Logo", "Go"). Pure: strings in, a boolean out.
 */

/** Extensions that make an alt read as a file name rather than a description. */
const IMAGE_FILE_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg', 'jpeg', 'jpe', 'jfif', 'pjpeg', 'pjp', 'png', 'apng', 'gif', 'webp', 'avif', 'svg', 'svgz',
  'bmp', 'ico', 'cur', 'tif', 'tiff', 'heic', 'heif', 'jxl', 'dng', 'raw', 'cr2', 'nef', 'arw', 'psd',
]);

/**
 * Words that only say "this is an image". "icon" is here: alone it names no function or subject.
 * "logo" and "avatar" are not: next to the page's context they say whose brand or person it is.
 */
const GENERIC_IMAGE_WORDS: ReadonlySet<string> = new Set([
  'image', 'images', 'img', 'photo', 'photos', 'photograph', 'picture', 'pictures', 'pic', 'pics',
  'graphic', 'graphics', 'icon', 'thumbnail', 'thumb', 'screenshot', 'figure', 'fig', 'spacer', 'blank',
  'foto', 'bild', 'imagen', 'immagine', 'imagem',
]);

/** Leftovers of templates and code: text nobody meant a reader to hear. */
const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  'untitled', 'unnamed', 'placeholder', 'alt', 'null', 'undefined', 'nan', 'none', 'todo', 'tbd', 'fixme',
  'dummy', 'temp', 'tmp', 'default', 'test',
]);

/** Whole alts (tokens joined by single spaces) that are placeholders though their words are not. */
const PLACEHOLDER_PHRASES: ReadonlySet<string> = new Set(['n a', 'object object', 'lorem ipsum']);

/**
 * Prefixes cameras, phones and apps put before a sequence number (DSC_0042, PXL_20230101_123456).
 * Some are also names ("Sam"), so they count only beside a long enough number.
 */
const CAMERA_FILE_PREFIXES: ReadonlySet<string> = new Set([
  'img', 'dsc', 'dscn', 'dscf', 'dsci', 'pxl', 'mvimg', 'pano', 'vid', 'mov', 'dcim', 'gopr', 'gopro', 'dji',
  'cimg', 'pict', 'imag', 'hpim', 'wp', 'sam', 'p', 'whatsapp', 'scan', 'capture', 'screen', 'shot',
  'bildschirmfoto', 'fullsizerender',
]);

/** A camera prefix needs a number at least this long: "SAM_0001" is a file, "Sam 2" may be a person. */
const CAMERA_SEQUENCE_MIN_DIGITS = 3;

/** Words that say nothing on their own but often sit between the parts of a file name. */
const FILLER_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'of', 'at', 'am', 'pm', 'from', 'copy', 'edited', 'edit', 'final', 'mp', 'hdr',
  'portrait', 'burst', 'cover', 'text', 'tag', 'description', 'here', 'insert', 'enter',
]);

/** Shorter hex runs can be words ("decade", "facade") or model numbers. */
const MIN_HASH_HEX_CHARS = 12;
/** Opaque ids from CDNs and upload tools: long, unbroken, letters and digits shuffled together. */
const MIN_OPAQUE_ID_CHARS = 16;
/** Letter↔digit switches that tell "kx93hd0a2mzq71bv" from a slug such as "team-offsite-2023". */
const MIN_OPAQUE_ID_SWITCHES = 4;

const SURROUNDING_PUNCTUATION = /^[\s"'`“”‘’«»„()[\]{}<>*,;:!?|]+|[\s"'`“”‘’«»„()[\]{}<>*,;:!?|.]+$/gu;
const ONLY_PUNCTUATION = /^[\p{P}\p{Sm}\p{Sk}\s]+$/u;
const URL_START = /^(?:[a-z][a-z0-9+.-]*:\/\/|(?:data|blob|file|javascript):|\/\/|www\.)/;
const PATH_START = /^(?:\/|\.{1,2}[\\/]|~\/|\\\\|[a-z]:[\\/])/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MEANINGFUL_SYMBOLS = /[\p{S}%‰]/u;
const PLAIN_WORDS = /^[\p{L}\s'’]+$/u;

/**
 * True when `alt` is not a real text alternative: a file name, URL or path, the image's own file name
 * (from `imageUrl`), generic or placeholder words, a bare number, a camera file id or a hash.
 * Empty or whitespace-only alt is false: that is the author marking the image decorative, not a placeholder.
 */
export function isPlaceholderAlt(alt: string, imageUrl?: string): boolean {
  const trimmed = alt.trim();
  if (trimmed === '') return false;
  if (ONLY_PUNCTUATION.test(trimmed)) return true;
  const text = trimmed.replace(SURROUNDING_PUNCTUATION, '').toLowerCase();
  return (
    isUrlOrPath(text) ||
    isFileName(text) ||
    (imageUrl !== undefined && isOwnFileName(text, imageUrl)) ||
    isHashLike(text) ||
    isPlaceholderWording(text)
  );
}

function isUrlOrPath(text: string): boolean {
  if (URL_START.test(text)) return true;
  return !/\s/.test(text) && PATH_START.test(text);
}

/** "photo.png", "images/cat.jpg?v=2", "Screenshot 2024-01-02 at 10.11.12.png". */
function isFileName(text: string): boolean {
  const extension = /\.([a-z0-9]{2,5})(?:[?#]\S*)?$/.exec(text)?.[1];
  return extension !== undefined && IMAGE_FILE_EXTENSIONS.has(extension);
}

/**
 * The alt repeats the image's file name. Without its extension a name made only of words ("cat" for
 * cat.jpg, "Company Logo" for Company%20Logo.png) may well be what the author meant, so it stays real.
 */
function isOwnFileName(text: string, imageUrl: string): boolean {
  const fileName = lastPathSegment(imageUrl);
  if (fileName === '') return false;
  const dot = fileName.lastIndexOf('.');
  const hasExtension = dot > 0 && fileName.length - dot - 1 <= 5;
  if (hasExtension && text === fileName) return true;
  const stem = hasExtension ? fileName.slice(0, dot) : fileName;
  return text === stem && !PLAIN_WORDS.test(stem);
}

/** Decoded, lower-case last segment of a URL's path; '' for data: URLs and bare origins. */
function lastPathSegment(imageUrl: string): string {
  if (/^data:/i.test(imageUrl)) return '';
  const path = imageUrl.replace(/[?#].*$/s, '');
  const segment = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment).trim().toLowerCase();
  } catch {
    return segment.trim().toLowerCase(); // malformed %-escape: compare it as written
  }
}

/** UUIDs, content hashes ("a3f9c2e1b4d5…") and opaque upload ids. */
function isHashLike(text: string): boolean {
  if (UUID.test(text)) return true;
  if (/\s/.test(text)) return false;
  if (text.length >= MIN_HASH_HEX_CHARS && /^[0-9a-f]+$/.test(text) && /\d/.test(text)) return true;
  if (text.length < MIN_OPAQUE_ID_CHARS || !/^[a-z0-9_-]+$/.test(text)) return false;
  const letterDigitSwitches = text.replace(/[_-]/g, '').match(/[a-z](?=\d)|\d(?=[a-z])/g)?.length ?? 0;
  return letterDigitSwitches >= MIN_OPAQUE_ID_SWITCHES;
}

/**
 * Every word is generic, placeholder, filler, a number or a camera prefix, and at least one says
 * something placeholder-like: "image 1 of 5", "IMG_1234", "Screenshot 2024-01-02 at 10.11.12", "1234".
 * Any other word ("cat", "search", "logo") makes the alt real.
 */
function isPlaceholderWording(text: string): boolean {
  if (MEANINGFUL_SYMBOLS.test(text)) return false; // "$5", "50%", "5★" say something; "1234" does not
  const tokens = text.split(/[^\p{L}\p{N}]+/u).filter((token) => token !== '');
  if (tokens.length === 0) return false;
  if (PLACEHOLDER_PHRASES.has(tokens.join(' '))) return true;
  const hasCameraSequence = tokens.some((token) => /^\d+$/.test(token) && token.length >= CAMERA_SEQUENCE_MIN_DIGITS);
  let saysPlaceholder = false;
  for (const token of tokens) {
    if (FILLER_WORDS.has(token) || IMAGE_FILE_EXTENSIONS.has(token)) continue;
    const isPlaceholderToken =
      /^\d+$/.test(token) ||
      GENERIC_IMAGE_WORDS.has(token) ||
      PLACEHOLDER_WORDS.has(token) ||
      isGenericWordWithNumber(token) ||
      (hasCameraSequence && CAMERA_FILE_PREFIXES.has(token));
    if (!isPlaceholderToken) return false;
    saysPlaceholder = true;
  }
  return saysPlaceholder;
}

/** "image1", "photo02", "img1234", "dsc00012", "p1010001": a word and a number run together. */
function isGenericWordWithNumber(token: string): boolean {
  const match = /^(\p{L}+)(\d+)$/u.exec(token);
  if (!match) return false;
  const [, word = '', digits = ''] = match;
  if (GENERIC_IMAGE_WORDS.has(word) || PLACEHOLDER_WORDS.has(word)) return true;
  return CAMERA_FILE_PREFIXES.has(word) && digits.length >= CAMERA_SEQUENCE_MIN_DIGITS;
}
