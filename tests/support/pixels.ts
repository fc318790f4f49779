/** A fixture image as the engine's models get it: RGBA pixels. */
import { join } from 'node:path';
import { RawImage } from '@huggingface/transformers';
import type { Pixels } from '@/lib/images/load';
import { IMAGES_DIR } from './servers';

export async function fixturePixels(file: string, dir = IMAGES_DIR): Promise<Pixels> {
  const image = (await RawImage.read(join(dir, file))).rgba();
  return { rgba: new Uint8ClampedArray(image.data), widthPx: image.width, heightPx: image.height };
}
