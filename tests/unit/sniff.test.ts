import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPlainPng, sniffImage } from '@/lib/images/sniff';
import { MAX_DECODED_PIXELS, MAX_SVG_BYTES, MAX_UNKNOWN_SIZE_IMAGE_BYTES, checkDecodeSize, fitWithin } from '@/lib/images/limits';
import { IMAGES_DIR, decompressionBombPng } from '../support/servers';
import { pngVariants, withChunk } from '../support/png-variants';

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

// ---- crafted files --------------------------------------------------------------------------------

const concat = (...parts: (Uint8Array | number[])[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const be16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const le16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const text = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** An ISO BMFF box. */
const box = (type: string, ...payload: (Uint8Array | number[])[]) => {
  const body = concat(...payload);
  return concat(be32(8 + body.length), text(type), body);
};
const fullBox = (type: string, ...payload: (Uint8Array | number[])[]) => box(type, [0, 0, 0, 0], ...payload);
const ispe = (w: number, h: number) => fullBox('ispe', be32(w), be32(h));

function avif(...ispes: Uint8Array[]): Uint8Array {
  return concat(
    box('ftyp', text('avif'), be32(0), text('mif1'), text('miaf')),
    fullBox('meta', fullBox('hdlr', be32(0), text('pict'), new Uint8Array(13)), box('iprp', box('ipco', ...ispes))),
    box('mdat', new Uint8Array(64)),
  );
}

/** A baseline JPEG up to its frame header: SOI, an APPn segment of `appBytes`, SOF0 with the size. */
function jpeg(widthPx: number, heightPx: number, appBytes: number): Uint8Array {
  const app: number[][] = [];
  for (let left = appBytes; left > 0; ) {
    const n = Math.min(left, 65533);
    app.push([0xff, 0xe1, ...be16(n + 2)], Array(n).fill(0x45));
    left -= n;
  }
  return concat([0xff, 0xd8], ...app, [0xff, 0xc0, ...be16(17), 8, ...be16(heightPx), ...be16(widthPx), 3], new Uint8Array(9), [0xff, 0xda]);
}

const png = (w: number, h: number) => concat([0x89, ...text('PNG\r\n'), 0x1a, 0x0a], be32(13), text('IHDR'), be32(w), be32(h), [8, 6, 0, 0, 0], be32(0));

describe('sniffImage: sizes that hide', () => {
  it('reads an AVIF size from ispe inside meta/iprp/ipco', () => {
    expect(sniffImage(avif(ispe(1920, 1080)))).toEqual({ format: 'avif', widthPx: 1920, heightPx: 1080, mayBeAnimated: false });
  });

  it('takes the largest ispe of an AVIF (grid, tiles, alpha)', () => {
    expect(sniffImage(avif(ispe(512, 512), ispe(40000, 40000), ispe(512, 512)))).toMatchObject({ widthPx: 40000, heightPx: 40000 });
  });

  it('finds meta after mdat, and an AVIF that is only a compatible brand', () => {
    const file = concat(
      box('ftyp', text('mif1'), be32(0), text('mif1'), text('avif')),
      box('mdat', new Uint8Array(300 * 1024)),
      fullBox('meta', box('iprp', box('ipco', ispe(640, 480)))),
    );
    expect(sniffImage(file)).toMatchObject({ format: 'avif', widthPx: 640, heightPx: 480 });
  });

  it('reads an AVIF image sequence from its AV1 sample entry', () => {
    const av01 = box('av01', new Uint8Array(24), be16(4000), be16(3000), new Uint8Array(50));
    const file = concat(
      box('ftyp', text('avis'), be32(0), text('avis'), text('msf1')),
      box('moov', box('trak', box('mdia', box('minf', box('stbl', fullBox('stsd', be32(1), av01)))))),
    );
    expect(sniffImage(file)).toEqual({ format: 'avif', widthPx: 4000, heightPx: 3000, mayBeAnimated: true });
  });

  it('says an AVIF without ispe has no size', () => {
    expect(sniffImage(avif())).toMatchObject({ format: 'avif', widthPx: null, heightPx: null });
  });

  it('survives a box that claims to run past the end', () => {
    const broken = concat(box('ftyp', text('avif'), be32(0)), be32(0x7fffffff), text('meta'), [0, 0, 0, 0]);
    expect(sniffImage(broken)).toMatchObject({ format: 'avif', widthPx: null });
  });

  it('finds a JPEG frame header behind 300 KB of APP1 data', () => {
    const file = jpeg(30000, 30000, 300 * 1024);
    expect(file.length).toBeGreaterThan(300 * 1024);
    expect(sniffImage(file)).toMatchObject({ format: 'jpeg', widthPx: 30000, heightPx: 30000 });
  });

  it('skips fill bytes and stray bytes between JPEG segments, as libjpeg does', () => {
    const file = concat([0xff, 0xd8, 0xff, 0xff, 0xff, 0xe0, ...be16(4), 1, 2, 0x00, 0x13], [0xff, 0xc2, ...be16(17), 8, ...be16(300), ...be16(400), 3]);
    expect(sniffImage(file)).toMatchObject({ format: 'jpeg', widthPx: 400, heightPx: 300 });
  });

  it.each([
    { name: 'scan before any frame header', bytes: concat([0xff, 0xd8, 0xff, 0xda, 0, 8], new Uint8Array(8)) },
    { name: 'height left to a DNL marker', bytes: concat([0xff, 0xd8, 0xff, 0xc0, ...be16(17), 8, ...be16(0), ...be16(500), 3]) },
    { name: 'truncated inside APP1', bytes: concat([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff], new Uint8Array(100)) },
  ])('says a JPEG with $name has no size', ({ bytes }) => {
    expect(sniffImage(bytes)).toMatchObject({ format: 'jpeg', widthPx: null, heightPx: null });
  });

  it('grows a GIF to cover a first frame larger than its logical screen', () => {
    const gif = concat(text('GIF89a'), le16(10), le16(10), [0, 0, 0], [0x21, 0xf9, 4, 0, 0, 0, 0, 0], [0x2c, ...le16(5), ...le16(0), ...le16(20000), ...le16(9000), 0]);
    expect(sniffImage(gif)).toMatchObject({ format: 'gif', widthPx: 20005, heightPx: 9000 });
  });

  it('reads the largest icon entry, including a PNG larger than its directory says', () => {
    const dir = (w: number, h: number, size: number, offset: number) => [w, h, 0, 0, ...le16(1), ...le16(32), ...le32(size), ...le32(offset)];
    const small = concat(le32(40), le32(16), le32(32), new Uint8Array(28));
    const bomb = png(30000, 30000);
    const ico = concat([0, 0, 1, 0, ...le16(2)], dir(16, 16, small.length, 38), dir(0, 0, bomb.length, 38 + small.length), small, bomb);
    expect(sniffImage(ico)).toMatchObject({ format: 'ico', widthPx: 30000, heightPx: 30000 });
  });

  it('reads a plain icon entry size', () => {
    const dib = concat(le32(40), le32(48), le32(96), new Uint8Array(28));
    const ico = concat([0, 0, 1, 0, ...le16(1)], [48, 48, 0, 0, ...le16(1), ...le16(32), ...le32(dib.length), ...le32(22)], dib);
    expect(sniffImage(ico)).toMatchObject({ format: 'ico', widthPx: 48, heightPx: 48 });
  });

  it('reads an OS/2 BMP core header', () => {
    const bmp = concat(text('BM'), new Uint8Array(12), le32(12), le16(640), le16(480), new Uint8Array(8));
    expect(sniffImage(bmp)).toMatchObject({ format: 'bmp', widthPx: 640, heightPx: 480 });
  });

  it('refuses to read a size from a PNG whose first chunk is not IHDR', () => {
    const odd = png(100, 100);
    odd.set(text('tEXt'), 12);
    expect(sniffImage(odd)).toMatchObject({ format: 'png', widthPx: null });
  });
});

describe('checkDecodeSize', () => {
  const sniffed = (bytes: Uint8Array) => sniffImage(bytes)!;

  it('passes an ordinary image', () => {
    expect(checkDecodeSize(sniffed(png(3000, 2000)), 500_000)).toEqual({ ok: true });
  });

  it('refuses a declared size over the cap, whatever the format', () => {
    for (const file of [png(30000, 30000), jpeg(30000, 30000, 300 * 1024), avif(ispe(9000, 9000))]) {
      expect(checkDecodeSize(sniffed(file), file.length)).toMatchObject({ ok: false, reason: 'too-large' });
    }
  });

  it('refuses an image of unknown size over the unknown-size byte cap', () => {
    const sizeless = avif();
    expect(checkDecodeSize(sniffed(sizeless), MAX_UNKNOWN_SIZE_IMAGE_BYTES)).toEqual({ ok: true });
    const refused = checkDecodeSize(sniffed(sizeless), MAX_UNKNOWN_SIZE_IMAGE_BYTES + 1);
    expect(refused).toMatchObject({ ok: false, reason: 'too-large' });
    if (!refused.ok) expect(refused.message).toMatch(/doesn't say how many pixels/);
  });

  it('keeps the unknown-size cap below what the worst compression ratio could inflate past the pixel cap', () => {
    expect(MAX_UNKNOWN_SIZE_IMAGE_BYTES * 2048).toBeLessThanOrEqual(MAX_DECODED_PIXELS * 4);
  });

  it('lets SVG through by its byte size alone', () => {
    const svg = sniffed(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>'));
    expect(checkDecodeSize(svg, 2 * 1024 * 1024)).toEqual({ ok: true });
    expect(checkDecodeSize(svg, MAX_SVG_BYTES + 1)).toMatchObject({ ok: false, reason: 'too-large' });
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

describe('isPlainPng: stored samples are the pixels', () => {
  it('takes 8-bit and palette PNGs of any colour type, interlaced or not, with or without an sRGB chunk; not 16 bits, gamma or EXIF', async () => {
    const variants = await pngVariants();
    expect(variants.map((v) => ({ name: v.name, plain: isPlainPng(new Uint8Array(v.png)) }))).toEqual(variants.map((v) => ({ name: v.name, plain: v.plain })));
  });

  it.each(['iCCP', 'cHRM', 'cICP', 'mDCV', 'cLLI', 'acTL'])('refuses a PNG with %s before its image data', async (chunk) => {
    const rgb = (await pngVariants())[0]!.png;
    expect(isPlainPng(new Uint8Array(rgb))).toBe(true);
    expect(isPlainPng(new Uint8Array(withChunk(rgb, chunk, Buffer.alloc(8))))).toBe(false);
  });

  it('refuses what is not a whole PNG header and chunk list up to IDAT', async () => {
    const rgb = (await pngVariants())[0]!.png;
    expect(isPlainPng(new Uint8Array(rgb.subarray(0, 40)))).toBe(false); // cut before IDAT
    expect(isPlainPng(fixture('blue-square.jpg'))).toBe(false);
    expect(isPlainPng(new Uint8Array(0))).toBe(false);
    expect(isPlainPng(png(100, 100))).toBe(false); // IHDR only
    expect(isPlainPng(fixture('red-circle.png'))).toBe(true);
  });
});
