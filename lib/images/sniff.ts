/**
 * Reads an image's format and pixel size from its bytes, before decoding: the decode-size cap must stop
 * a decompression bomb (a tiny file that decodes to gigabytes) before it is decoded. It reads the whole
 * file it is given, not a fixed-size head, so a JPEG frame header behind megabytes of EXIF data or an
 * AVIF `meta` box after `mdat` is still found; every walk hops over length-prefixed blocks, so this is
 * cheap even for a large file.
 */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'avif' | 'svg' | 'ico';

export interface SniffedImage {
  format: ImageFormat;
  /**
   * The largest size the file declares (over all the frames, icon entries or image items a decoder may
   * pick). null when the format doesn't state one (SVG) or the file hides it (a JPEG with no readable
   * frame header, an AVIF without `ispe`): the caller then caps the file's bytes instead.
   */
  widthPx: number | null;
  heightPx: number | null;
  /** GIF/PNG/WebP/AVIF can hold several frames; we caption the first. */
  mayBeAnimated: boolean;
}

interface Size {
  widthPx: number;
  heightPx: number;
}

const ascii = (b: Uint8Array, start: number, len: number) => String.fromCharCode(...b.subarray(start, start + len));
const u16be = (b: Uint8Array, o: number) => ((b[o]! << 8) | b[o + 1]!) >>> 0;
const u16le = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8)) >>> 0;
const u24le = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
const u32be = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const u32le = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const i32le = (b: Uint8Array, o: number) => u32le(b, o) | 0;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  const sized = (format: ImageFormat, size: Size | null, mayBeAnimated: boolean): SniffedImage => ({
    format,
    // A zero side is no size at all (a JPEG whose height comes later, in a DNL marker).
    widthPx: size && size.widthPx > 0 && size.heightPx > 0 ? size.widthPx : null,
    heightPx: size && size.widthPx > 0 && size.heightPx > 0 ? size.heightPx : null,
    mayBeAnimated,
  });

  if (bytes.length >= 24 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG') {
    return sized('png', pngSize(bytes, 0), hasPngChunk(bytes, 'acTL'));
  }
  if (bytes.length >= 10 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    return sized('gif', gifSize(bytes), true);
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    return sized('jpeg', jpegSize(bytes), false);
  }
  if (bytes.length >= 30 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    const chunk = ascii(bytes, 12, 4);
    if (chunk === 'VP8X') return sized('webp', { widthPx: u24le(bytes, 24) + 1, heightPx: u24le(bytes, 27) + 1 }, true);
    if (chunk === 'VP8L') {
      const b = bytes;
      const w = 1 + (((b[22]! & 0x3f) << 8) | b[21]!);
      const h = 1 + (((b[24]! & 0x0f) << 10) | (b[23]! << 2) | ((b[22]! & 0xc0) >> 6));
      return sized('webp', { widthPx: w, heightPx: h }, false);
    }
    return sized('webp', { widthPx: u16le(bytes, 26) & 0x3fff, heightPx: u16le(bytes, 28) & 0x3fff }, false);
  }
  if (bytes.length >= 26 && ascii(bytes, 0, 2) === 'BM') {
    return sized('bmp', dibSize(bytes, 14), false);
  }
  const brands = bytes.length >= 16 && ascii(bytes, 4, 4) === 'ftyp' ? ftypBrands(bytes) : [];
  if (brands.includes('avif') || brands.includes('avis')) {
    return sized('avif', avifSize(bytes), brands.includes('avis'));
  }
  if (bytes.length >= 22 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 1 && bytes[3] === 0) {
    return sized('ico', icoSize(bytes), false);
  }
  if (looksLikeSvg(bytes)) return { format: 'svg', widthPx: null, heightPx: null, mayBeAnimated: false };
  return null;
}

function pngSize(b: Uint8Array, start: number): Size | null {
  if (start + 24 > b.length || !PNG_SIGNATURE.every((byte, i) => b[start + i] === byte)) return null;
  // IHDR must be the first chunk; anything else and the numbers at 16/20 aren't a size.
  if (ascii(b, start + 12, 4) !== 'IHDR') return null;
  return { widthPx: u32be(b, start + 16), heightPx: u32be(b, start + 20) };
}

function hasPngChunk(png: Uint8Array, type: string): boolean {
  // Chunks before the first IDAT are enough: acTL must precede image data.
  let o = 8;
  while (o + 8 <= png.length) {
    const len = u32be(png, o);
    const name = ascii(png, o + 4, 4);
    if (name === type) return true;
    if (name === 'IDAT') return false;
    o += 12 + len;
  }
  return false;
}

/**
 * Chunks that make a decoder change a PNG's pixels (colour profile, gamma, chromaticities, HDR metadata)
 * or turn it (EXIF orientation), or add frames. sRGB is not one: it names the canvas's own colour space
 * (the decode tests hold both paths to the same bytes with it, in Chromium and Firefox).
 */
const PNG_CHUNKS_THAT_TRANSFORM = new Set(['iCCP', 'gAMA', 'cHRM', 'cICP', 'mDCV', 'mDCv', 'cLLI', 'cLLi', 'eXIf', 'acTL']);

/**
 * Whether a PNG is one whose stored samples are its pixels: 8 bits or fewer per channel, one frame, and
 * none of the chunks above before its image data. Such a file decodes to the same bytes whichever decoder
 * reads it, so the engine may take WebCodecs' ImageDecoder's copy of them instead of a canvas's (see
 * lib/images/load.ts); anything else, and anything malformed, is false.
 */
export function isPlainPng(png: Uint8Array): boolean {
  if (pngSize(png, 0) === null || png.length < 33) return false;
  const bitDepth = png[24]!;
  if (bitDepth > 8) return false;
  let o = 8;
  while (o + 8 <= png.length) {
    const name = ascii(png, o + 4, 4);
    if (name === 'IDAT') return true;
    if (PNG_CHUNKS_THAT_TRANSFORM.has(name)) return false;
    o += 12 + u32be(png, o);
  }
  return false;
}

/** The logical screen, grown to cover the first frame: a frame may be larger than the screen it claims. */
function gifSize(b: Uint8Array): Size {
  const screen = { widthPx: u16le(b, 6), heightPx: u16le(b, 8) };
  let o = 13;
  if (b[10]! & 0x80) o += 3 * (1 << ((b[10]! & 0x07) + 1)); // global colour table
  while (o < b.length) {
    if (b[o] === 0x21) {
      // Extension: label, then sub-blocks until a zero-length one.
      o += 2;
      while (o < b.length) {
        const blockLength = b[o]!;
        o += 1 + blockLength;
        if (blockLength === 0) break;
      }
    } else if (b[o] === 0x2c && o + 9 <= b.length) {
      return {
        widthPx: Math.max(screen.widthPx, u16le(b, o + 1) + u16le(b, o + 5)),
        heightPx: Math.max(screen.heightPx, u16le(b, o + 3) + u16le(b, o + 7)),
      };
    } else {
      break;
    }
  }
  return screen;
}

/**
 * The frame header (SOF), found by walking marker segments through the whole file, however much
 * EXIF/ICC/XMP comes first. Bytes between segments are skipped up to the next marker, as libjpeg does.
 */
function jpegSize(b: Uint8Array): Size | null {
  let o = 2;
  while (o + 1 < b.length) {
    if (b[o] !== 0xff) {
      o++;
      continue;
    }
    const marker = b[o + 1]!;
    if (marker === 0xff) {
      o++; // fill byte
      continue;
    }
    if (marker === 0x00 || marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2; // no length follows
      continue;
    }
    // Image data or the end before any frame header: the file doesn't say its size.
    if (marker === 0xda || marker === 0xd9) return null;
    if (o + 4 > b.length) return null;
    // Start-of-frame markers (baseline, progressive, lossless, arithmetic) carry the size; DHT/JPG/DAC don't.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (o + 9 > b.length) return null;
      return { heightPx: u16be(b, o + 5), widthPx: u16be(b, o + 7) };
    }
    const segmentLength = u16be(b, o + 2);
    if (segmentLength < 2) return null;
    o += 2 + segmentLength;
  }
  return null;
}

/** A BMP's or an icon entry's DIB header; its height is signed (negative: top-down rows). */
function dibSize(b: Uint8Array, headerStart: number): Size | null {
  if (headerStart + 12 > b.length) return null;
  const headerBytes = u32le(b, headerStart);
  // OS/2 1.x BITMAPCOREHEADER has 16-bit sides; every later header has 32-bit ones.
  if (headerBytes === 12) return { widthPx: u16le(b, headerStart + 4), heightPx: u16le(b, headerStart + 6) };
  return { widthPx: Math.abs(i32le(b, headerStart + 4)), heightPx: Math.abs(i32le(b, headerStart + 8)) };
}

/** The largest entry of an icon: browsers decode the biggest, and an entry's PNG may be larger than its directory says. */
function icoSize(b: Uint8Array): Size | null {
  const entryCount = u16le(b, 4);
  let largest: Size | null = null;
  for (let i = 0; i < entryCount; i++) {
    const entry = 6 + 16 * i;
    if (entry + 16 > b.length) break;
    const dataOffset = u32le(b, entry + 12);
    const declared = { widthPx: b[entry] || 256, heightPx: b[entry + 1] || 256 };
    const dib = dibSize(b, dataOffset);
    // A DIB's height counts the AND mask too.
    const embedded = pngSize(b, dataOffset) ?? (dib && { widthPx: dib.widthPx, heightPx: Math.ceil(dib.heightPx / 2) });
    for (const size of [declared, embedded]) {
      if (size && (!largest || size.widthPx * size.heightPx > largest.widthPx * largest.heightPx)) largest = size;
    }
  }
  return largest;
}

function ftypBrands(b: Uint8Array): string[] {
  const boxBytes = Math.min(u32be(b, 0), b.length);
  const brands = [ascii(b, 8, 4)];
  for (let o = 16; o + 4 <= boxBytes; o += 4) brands.push(ascii(b, o, 4));
  return brands;
}

/** Boxes whose children are boxes, and how many bytes of their own fields come first. */
const ISOBMFF_CONTAINERS: Record<string, number> = {
  meta: 4, // full box: version and flags
  iprp: 0,
  ipco: 0,
  moov: 0,
  trak: 0,
  mdia: 0,
  minf: 0,
  stbl: 0,
  stsd: 8, // full box + entry count
};
const ISOBMFF_MAX_DEPTH = 8;

/**
 * The largest size an AVIF declares: every `ispe` (image spatial extents, mandatory on each image item;
 * the grid item's is the whole picture, which libavif checks against what it decodes) and, for image
 * sequences, each track's header and AV1 sample entry.
 */
function avifSize(b: Uint8Array): Size | null {
  let largest: Size | null = null;
  const consider = (size: Size) => {
    if (!largest || size.widthPx * size.heightPx > largest.widthPx * largest.heightPx) largest = size;
  };
  const walk = (start: number, end: number, depth: number) => {
    let o = start;
    while (o + 8 <= end) {
      let boxBytes = u32be(b, o);
      const type = ascii(b, o + 4, 4);
      let headerBytes = 8;
      if (boxBytes === 1) {
        if (o + 16 > end) return;
        boxBytes = u32be(b, o + 8) * 2 ** 32 + u32be(b, o + 12);
        headerBytes = 16;
      } else if (boxBytes === 0) {
        boxBytes = end - o; // to the end of the file
      }
      if (boxBytes < headerBytes) return;
      const payload = o + headerBytes;
      const boxEnd = Math.min(end, o + boxBytes);
      if (type === 'ispe' && payload + 12 <= boxEnd) {
        consider({ widthPx: u32be(b, payload + 4), heightPx: u32be(b, payload + 8) });
      } else if (type === 'tkhd') {
        const sizeAt = payload + 4 + (b[payload] === 1 ? 32 : 20) + 52;
        // 16.16 fixed point.
        if (sizeAt + 8 <= boxEnd) consider({ widthPx: u32be(b, sizeAt) >>> 16, heightPx: u32be(b, sizeAt + 4) >>> 16 });
      } else if (type === 'av01' && payload + 28 <= boxEnd) {
        consider({ widthPx: u16be(b, payload + 24), heightPx: u16be(b, payload + 26) });
      } else if (type in ISOBMFF_CONTAINERS && depth < ISOBMFF_MAX_DEPTH) {
        walk(payload + ISOBMFF_CONTAINERS[type]!, boxEnd, depth + 1);
      }
      o += boxBytes;
    }
  };
  walk(0, b.length, 0);
  return largest;
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).trimStart().toLowerCase();
  return head.startsWith('<svg') || ((head.startsWith('<?xml') || head.startsWith('<!doctype svg')) && head.includes('<svg'));
}
