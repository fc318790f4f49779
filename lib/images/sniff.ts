/**
 * Reads an image's format and pixel size from its first bytes, before decoding: the decode-size cap
 * must stop a decompression bomb (a tiny file that decodes to gigabytes) before it is decoded.
 */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'avif' | 'svg' | 'ico';

export interface SniffedImage {
  format: ImageFormat;
  /** null when the format doesn't state it up front (SVG, some AVIF); the caller then limits the raster. */
  widthPx: number | null;
  heightPx: number | null;
  /** GIF/PNG/WebP can hold several frames; we caption the first. */
  mayBeAnimated: boolean;
}

const ascii = (b: Uint8Array, start: number, len: number) => String.fromCharCode(...b.subarray(start, start + len));

export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  const u16be = (o: number) => ((bytes[o]! << 8) | bytes[o + 1]!) >>> 0;
  const u16le = (o: number) => (bytes[o]! | (bytes[o + 1]! << 8)) >>> 0;
  const u32be = (o: number) => ((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0;
  const u24le = (o: number) => bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16);

  if (bytes.length >= 24 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG') {
    return { format: 'png', widthPx: u32be(16), heightPx: u32be(20), mayBeAnimated: hasChunk(bytes, 'acTL') };
  }
  if (bytes.length >= 10 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    return { format: 'gif', widthPx: u16le(6), heightPx: u16le(8), mayBeAnimated: true };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    return { format: 'jpeg', ...jpegSize(bytes, u16be), mayBeAnimated: false };
  }
  if (bytes.length >= 30 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    const chunk = ascii(bytes, 12, 4);
    if (chunk === 'VP8X') return { format: 'webp', widthPx: u24le(24) + 1, heightPx: u24le(27) + 1, mayBeAnimated: true };
    if (chunk === 'VP8L') {
      const b = bytes;
      const w = 1 + (((b[22]! & 0x3f) << 8) | b[21]!);
      const h = 1 + (((b[24]! & 0x0f) << 10) | (b[23]! << 2) | ((b[22]! & 0xc0) >> 6));
      return { format: 'webp', widthPx: w, heightPx: h, mayBeAnimated: false };
    }
    return { format: 'webp', widthPx: u16le(26) & 0x3fff, heightPx: u16le(28) & 0x3fff, mayBeAnimated: false };
  }
  if (bytes.length >= 26 && ascii(bytes, 0, 2) === 'BM') {
    const h = (bytes[22]! | (bytes[23]! << 8) | (bytes[24]! << 16) | (bytes[25]! << 24)) | 0;
    return { format: 'bmp', widthPx: u32le(bytes, 18), heightPx: Math.abs(h), mayBeAnimated: false };
  }
  if (bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp' && /avi[fs]/.test(ascii(bytes, 8, 4))) {
    return { format: 'avif', widthPx: null, heightPx: null, mayBeAnimated: ascii(bytes, 8, 4) === 'avis' };
  }
  if (bytes.length >= 6 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 1 && bytes[3] === 0) {
    return { format: 'ico', widthPx: bytes[6] || 256, heightPx: bytes[7] || 256, mayBeAnimated: false };
  }
  if (looksLikeSvg(bytes)) return { format: 'svg', widthPx: null, heightPx: null, mayBeAnimated: false };
  return null;
}

function u32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function hasChunk(png: Uint8Array, type: string): boolean {
  // Chunks before the first IDAT are enough: acTL must precede image data.
  let o = 8;
  while (o + 8 <= png.length) {
    const len = ((png[o]! << 24) | (png[o + 1]! << 16) | (png[o + 2]! << 8) | png[o + 3]!) >>> 0;
    const name = ascii(png, o + 4, 4);
    if (name === type) return true;
    if (name === 'IDAT') return false;
    o += 12 + len;
  }
  return false;
}

function jpegSize(b: Uint8Array, u16be: (o: number) => number): { widthPx: number | null; heightPx: number | null } {
  let o = 2;
  while (o + 9 < b.length) {
    if (b[o] !== 0xff) return { widthPx: null, heightPx: null };
    const marker = b[o + 1]!;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    // Start-of-frame markers (baseline, progressive, …) carry the size; DHT/JPG/DAC don't.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { heightPx: u16be(o + 5), widthPx: u16be(o + 7) };
    }
    o += 2 + u16be(o + 2);
  }
  return { widthPx: null, heightPx: null };
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).trimStart().toLowerCase();
  return head.startsWith('<svg') || ((head.startsWith('<?xml') || head.startsWith('<!doctype svg')) && head.includes('<svg'));
}
