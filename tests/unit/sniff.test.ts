import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sniffImage } from '@/lib/images/sniff';
import { fitWithin } from '@/lib/images/limits';
import { IMAGES_DIR, decompressionBombPng } from '../support/servers';

const fixture = (file: string) => new Uint8Array(readFileSync(join(IMAGES_DIR, file)));

describe('sniffImage', () => {
  it.each([
    { file: 'red-circle.png', format: 'png', w: 256, h: 256, animated: false },
    { file: 'blue-square.jpg', format: 'jpeg', w: 320, h: 240, animated: false },
    { file: 'yellow-circle.webp', format: 'webp', w: 256, h: 256 },
    { file: 'anim-green-square.gif', format: 'gif', w: 200, h: 200, animated: true },
    { file: 'big-blue-circle.png', format: 'png', w: 3000, h: 2000, animated: false },
    { file: 'red-square.svg', format: 'svg', w: null, h: null, animated: false },
  ])('reads $format size from the header of $file', ({ file, format, w, h, animated }) => {
    const sniffed = sniffImage(fixture(file));
    expect(sniffed).toMatchObject({ format, widthPx: w, heightPx: h });
    if (animated !== undefined) expect(sniffed?.mayBeAnimated).toBe(animated);
  });

  it('sees the size a decompression bomb claims before anything decodes it', () => {
    expect(sniffImage(new Uint8Array(decompressionBombPng()))).toMatchObject({ format: 'png', widthPx: 30000, heightPx: 30000 });
  });

  it.each([
    { name: 'HTML error page', bytes: '<!doctype html><p>Not found</p>' },
    { name: 'JSON', bytes: '{"error":"nope"}' },
    { name: 'empty', bytes: '' },
    { name: 'truncated PNG signature', bytes: '\x89PN' },
  ])('rejects $name', ({ bytes }) => {
    expect(sniffImage(new TextEncoder().encode(bytes))).toBeNull();
  });

  it('recognises SVG behind an XML declaration', () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>';
    expect(sniffImage(new TextEncoder().encode(svg))?.format).toBe('svg');
  });
});

describe('fitWithin', () => {
  it.each([
    { w: 3000, h: 2000, max: 512, want: { widthPx: 512, heightPx: 341 } },
    { w: 2000, h: 3000, max: 512, want: { widthPx: 341, heightPx: 512 } },
    { w: 100, h: 50, max: 512, want: { widthPx: 100, heightPx: 50 } }, // never upscales
    { w: 10000, h: 1, max: 512, want: { widthPx: 512, heightPx: 1 } }, // never reaches zero
  ])('fits $w×$h into $max', ({ w, h, max, want }) => {
    expect(fitWithin(w, h, max)).toEqual(want);
  });
});
