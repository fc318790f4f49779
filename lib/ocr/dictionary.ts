/** The recogniser's character list, as PaddleOCR builds it from a keys file. */

/** Label 0 is CTC's blank; PaddleOCR names it "blank" and never emits it. */
export const BLANK_LABEL = 'blank';

/**
 * One character per line (CRLF or LF; a final newline adds nothing), prefixed with the blank label and
 * followed by a space, as PaddleOCR's use_space_char does: index i of the result is class i of the model.
 */
export function parseDictionary(keysFileText: string): string[] {
  const body = keysFileText.replace(/^\uFEFF/, '');
  const lines = body.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return [BLANK_LABEL, ...lines, ' '];
}
