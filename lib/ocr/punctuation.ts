/**
 * The Chinese-trained recogniser often reads Latin punctuation as its full-width twin ("f（x）", "a， b"),
 * since both look alike in a crop. Full-width forms belong next to CJK text only, so elsewhere they are
 * turned back into ASCII.
 */

const FULLWIDTH_ASCII_FIRST = 0xff01;
const FULLWIDTH_ASCII_LAST = 0xff5e;
const FULLWIDTH_TO_ASCII_OFFSET = 0xfee0;
/** Full-width signs outside the ASCII block, and their ordinary forms. */
const FULLWIDTH_SIGNS: Readonly<Record<string, string>> = { '￠': '¢', '￡': '£', '￥': '¥', '￦': '₩' };

/** Han, kana, Hangul, and the CJK punctuation and full-width blocks themselves. */
const CJK = /[\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

function asciiTwin(char: string): string | null {
  const code = char.codePointAt(0)!;
  if (code >= FULLWIDTH_ASCII_FIRST && code <= FULLWIDTH_ASCII_LAST) return String.fromCodePoint(code - FULLWIDTH_TO_ASCII_OFFSET);
  return FULLWIDTH_SIGNS[char] ?? null;
}

/** Nearest character before (step -1) or after (step 1) index i that is neither a space nor full-width. */
function neighbour(chars: readonly string[], i: number, step: -1 | 1): string | undefined {
  for (let j = i + step; j >= 0 && j < chars.length; j += step) {
    if (chars[j] !== ' ' && asciiTwin(chars[j]!) === null) return chars[j];
  }
  return undefined;
}

/** Full-width characters with no CJK character beside them become their ASCII (or ordinary) form. */
export function latinizeFullwidth(text: string): string {
  const chars = [...text];
  return chars
    .map((char, i) => {
      const twin = asciiTwin(char);
      if (twin === null) return char;
      const besideCjk = [neighbour(chars, i, -1), neighbour(chars, i, 1)].some((c) => c !== undefined && CJK.test(c));
      return besideCjk ? char : twin;
    })
    .join('');
}
