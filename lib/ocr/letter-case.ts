/**
 * Letters whose capital is the small letter drawn larger (c o s u v w x z) can only be told apart by
 * size, which the recogniser judges one letter at a time: small capitals and short capitals read as
 * "MoPED" or "LoUVRE". The other letters of the word say which case it is set in.
 */

/** Latin letters whose capital and small forms have the same shape. */
const SAME_SHAPE_LETTERS = new Set('cosuvwxzCOSUVWXZ');
const WORD = /[\p{L}\p{M}]+/gu;

/**
 * Puts same-shape letters after a word's first into the case of the word's other letters when those all
 * agree: capitals ("MoPED" → "MOPED", "LoUVRE" → "LOUVRE") or small letters ("hoUse" → "house"). The
 * first letter is evidence only for capitals, as a capital there is just the start of a sentence or name.
 * Words with mixed case elsewhere ("iPhone", "McDonald") and words of same-shape letters only are left.
 */
export function harmonizeLetterCase(text: string): string {
  return text.replace(WORD, (word) => {
    const letters = [...word];
    const telling = letters.slice(1).filter((ch) => !SAME_SHAPE_LETTERS.has(ch) && hasCase(ch));
    if (telling.length === 0) return word;
    const first = letters[0]!;
    const toCase = telling.every(isUpper) && (SAME_SHAPE_LETTERS.has(first) || !hasCase(first) || isUpper(first))
      ? (ch: string) => ch.toUpperCase()
      : telling.every((ch) => !isUpper(ch))
        ? (ch: string) => ch.toLowerCase()
        : null;
    if (!toCase) return word;
    return letters.map((ch, i) => (i > 0 && SAME_SHAPE_LETTERS.has(ch) ? toCase(ch) : ch)).join('');
  });
}

function hasCase(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

function isUpper(ch: string): boolean {
  return hasCase(ch) && ch === ch.toUpperCase();
}
