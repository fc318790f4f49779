/**
 * PNGs of one picture in every form a decoder treats differently (colour type, bit depth, palette,
 * transparency, interlacing, and chunks that change or turn the pixels), for the decode-path tests.
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

export interface PngVariant {
  name: string;
  png: Buffer;
  /** Whether isPlainPng should take it. */
  plain: boolean;
  /** Whether every pixel is opaque: a plain PNG then decodes through ImageDecoder, where the browser has one. */
  opaque: boolean;
}

/** Odd sides, so rows don't fall on word boundaries; colour, ramps and noise, so a wrong byte shows. */
const WIDTH_PX = 97;
const HEIGHT_PX = 61;

function picture(channels: 3 | 4, alpha: (x: number, y: number) => number): Buffer {
  const data = Buffer.alloc(WIDTH_PX * HEIGHT_PX * channels);
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0x1f;
  for (let y = 0; y < HEIGHT_PX; y++) {
    for (let x = 0; x < WIDTH_PX; x++) {
      const o = (y * WIDTH_PX + x) * channels;
      data[o] = (x * 255) / (WIDTH_PX - 1);
      data[o + 1] = (y * 255) / (HEIGHT_PX - 1);
      data[o + 2] = ((x + y) * 7 + noise()) & 0xff;
      if (channels === 4) data[o + 3] = alpha(x, y);
    }
  }
  return data;
}

/** The PNG with `chunk` inserted right after IHDR (signature 8 bytes + IHDR 25). */
export function withChunk(png: Buffer, type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([png.subarray(0, 33), length, body, crc, png.subarray(33)]);
}

/** A big-endian TIFF header with one IFD entry: Orientation (0x0112) = 6, "rotate 90° clockwise to show". */
const EXIF_ORIENTATION_6 = Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);

export async function pngVariants(): Promise<PngVariant[]> {
  const raw = (channels: 3 | 4, alpha: (x: number, y: number) => number = () => 255) =>
    sharp(picture(channels, alpha), { raw: { width: WIDTH_PX, height: HEIGHT_PX, channels } });
  const seeThrough = (x: number) => Math.round((x * 255) / (WIDTH_PX - 1));
  const rgb = await raw(3).png().toBuffer();
  return [
    { name: 'RGB, 8 bits', png: rgb, plain: true, opaque: true },
    { name: 'RGBA, every pixel opaque', png: await raw(4).png().toBuffer(), plain: true, opaque: true },
    { name: 'RGBA, see-through', png: await raw(4, seeThrough).png().toBuffer(), plain: true, opaque: false },
    { name: 'palette', png: await raw(3).png({ palette: true, colours: 64, dither: 0 }).toBuffer(), plain: true, opaque: true },
    { name: 'palette with see-through entries', png: await raw(4, (x) => (x < 30 ? 0 : 255)).png({ palette: true, colours: 64, dither: 0 }).toBuffer(), plain: true, opaque: false },
    { name: 'grey', png: await raw(3).toColourspace('b-w').png().toBuffer(), plain: true, opaque: true },
    { name: 'interlaced (Adam7)', png: await raw(3).png({ progressive: true }).toBuffer(), plain: true, opaque: true },
    { name: '16 bits', png: await raw(3).toColourspace('rgb16').png().toBuffer(), plain: false, opaque: true },
    { name: 'gamma 1.0 (gAMA)', png: withChunk(rgb, 'gAMA', Buffer.from([0, 1, 0x86, 0xa0])), plain: false, opaque: true },
    { name: 'sRGB chunk', png: withChunk(rgb, 'sRGB', Buffer.from([0])), plain: true, opaque: true },
    { name: 'EXIF orientation 6 (eXIf)', png: withChunk(rgb, 'eXIf', EXIF_ORIENTATION_6), plain: false, opaque: true },
  ];
}

/**
 * What the decode-check page (entrypoints/decode-check) should report for a variant decoded at full size:
 * the canvas's bytes either way, through ImageDecoder where the browser has it and the PNG is plain and
 * opaque, and turned a quarter where its EXIF says so.
 */
export function expectedDecode(variant: PngVariant, hasImageDecoder: boolean) {
  const turned = variant.name.startsWith('EXIF');
  return {
    variant: variant.name,
    decodedBy: hasImageDecoder && variant.plain && variant.opaque ? 'image-decoder' : 'canvas',
    widthPx: turned ? HEIGHT_PX : WIDTH_PX,
    heightPx: turned ? WIDTH_PX : HEIGHT_PX,
    differingBytes: 0,
  };
}
