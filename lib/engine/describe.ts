/**
 * Auto-fill's choice between an image's text and a caption: a screenshot of text, a sign or a meme is
 * better described by what it says than by "a white rectangle with black text".
 */
export interface TextCoverage {
  /** Characters read, whitespace excluded. */
  characters: number;
  meanConfidence: number;
  /** Share of the image area covered by text boxes, 0..1. */
  areaShare: number;
}

export const MOSTLY_TEXT = { minCharacters: 8, minConfidence: 0.75, minAreaShare: 0.12 } as const;
/** Long image texts are cut: alt is read in one breath, and a screenshot's full text belongs in OCR. */
export const MAX_IMAGE_TEXT_ALT_CHARS = 600;

export function isMostlyText(c: TextCoverage): boolean {
  return (
    c.characters >= MOSTLY_TEXT.minCharacters &&
    c.meanConfidence >= MOSTLY_TEXT.minConfidence &&
    c.areaShare >= MOSTLY_TEXT.minAreaShare
  );
}

export function coverageOf(
  lines: { text: string; confidence: number; box: [number, number][] }[],
  widthPx: number,
  heightPx: number,
): TextCoverage {
  let characters = 0;
  let weighted = 0;
  let area = 0;
  for (const line of lines) {
    const n = line.text.replace(/\s/g, '').length;
    characters += n;
    weighted += line.confidence * n;
    area += polygonArea(line.box);
  }
  return {
    characters,
    meanConfidence: characters > 0 ? weighted / characters : 0,
    areaShare: widthPx * heightPx > 0 ? Math.min(1, area / (widthPx * heightPx)) : 0,
  };
}

/** One line of alt text from OCR lines: line breaks become spaces, and very long text is cut at a word. */
export function imageTextAlt(lines: { text: string }[]): string {
  const text = lines.map((l) => l.text.trim()).filter(Boolean).join(' ').replace(/\s+/g, ' ');
  if (text.length <= MAX_IMAGE_TEXT_ALT_CHARS) return text;
  const cut = text.slice(0, MAX_IMAGE_TEXT_ALT_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_IMAGE_TEXT_ALT_CHARS - 40))}…`;
}

function polygonArea(points: [number, number][]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return Math.abs(sum) / 2;
}
