/**
 * The extension's icons, rendered from the one source (assets/icon.svg) into public/icon/{size}.png.
 * WXT's `build:before` hook runs it (wxt.config.ts), so an edit to the SVG reaches every size on the
 * next build; a PNG is rewritten only when its bytes change, so a build leaves a clean tree.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Chrome's toolbar (16, 32 at 2x), the extensions page (48) and the store and install dialog (128). */
export const ICON_SIZES = [16, 32, 48, 128] as const;
export const ICON_SOURCE = 'assets/icon.svg';
const ICON_DIR = 'public/icon';

/** `manifest.icons` and `action.default_icon`: size → path inside the built extension. */
export const ICON_PATHS: Record<string, string> = Object.fromEntries(ICON_SIZES.map((size) => [String(size), `icon/${size}.png`]));

/** Renders every size from `root`'s SVG; returns the files it wrote (none when all were up to date). */
export async function writeIcons(root: string): Promise<string[]> {
  const { default: sharp } = await import('sharp');
  const svg = await readFile(join(root, ICON_SOURCE));
  await mkdir(join(root, ICON_DIR), { recursive: true });
  const written: string[] = [];
  for (const size of ICON_SIZES) {
    // Rasterised at 4x and downscaled, so 16 px edges are antialiased, not snapped to the pixel grid.
    const png = await sharp(svg, { density: (72 * 4 * size) / 128 })
      .resize(size, size)
      .png({ compressionLevel: 9, palette: false })
      .toBuffer();
    const path = join(root, ICON_DIR, `${size}.png`);
    const current = await readFile(path).catch(() => null);
    if (current?.equals(png)) continue;
    await writeFile(path, png);
    written.push(path);
  }
  return written;
}
