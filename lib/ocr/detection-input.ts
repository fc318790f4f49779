/** Detector input: the size the DB model sees, the bands it is run on, and the normalised tensors. */
import type { OcrOptions } from './options';
import { resizeRgb, type RgbImage } from './raster';
import type { FloatTensor } from './types';

/** DB's feature pyramid downsamples by 32, so both sides must be multiples of it. */
export const DETECTION_SIZE_STEP_PX = 32;
/**
 * Bands overlap by this much (detector pixels): more than a tall heading, so every line lies whole in
 * the band that owns its centre.
 */
export const DETECTION_BAND_OVERLAP_PX = 128;

/**
 * ImageNet statistics, listed for B, G, R: PaddleOCR normalises cv2's BGR pixels with the RGB-ordered
 * ImageNet mean/std unchanged, and PP-OCRv4 det was trained that way, so we reproduce it exactly.
 */
const DETECTION_MEAN_BGR = [0.485, 0.456, 0.406] as const;
const DETECTION_STD_BGR = [0.229, 0.224, 0.225] as const;

/** One detector call: rows [topPx, topPx + heightPx) of the scaled image; boxes centred in [ownedFromPx, ownedToPx) are kept. */
export interface DetectionBand {
  topPx: number;
  heightPx: number;
  ownedFromPx: number;
  ownedToPx: number;
}

export interface DetectionPlan {
  /** The whole image scaled for detection, both multiples of 32. */
  widthPx: number;
  heightPx: number;
  bands: DetectionBand[];
}

export type DetectionPlanOptions = Pick<
  OcrOptions,
  'detectionMaxWidthPx' | 'detectionMaxPixels' | 'detectionBandMaxPixels' | 'detectionUpscaleBelowPx' | 'detectionMaxUpscale'
>;

/**
 * Scale small images up toward detectionUpscaleBelowPx (so 12-px text reaches the size DB reads well),
 * cap the width and the total area, round to multiples of 32, then cut tall results into overlapping
 * horizontal bands of at most detectionBandMaxPixels: memory stays bounded while a long page keeps its
 * text size instead of being shrunk into illegibility.
 */
export function planDetection(widthPx: number, heightPx: number, options: DetectionPlanOptions): DetectionPlan {
  const longSide = Math.max(widthPx, heightPx);
  let scale = 1;
  if (longSide < options.detectionUpscaleBelowPx) {
    scale = Math.min(options.detectionMaxUpscale, options.detectionUpscaleBelowPx / longSide);
  }
  scale = Math.min(scale, options.detectionMaxWidthPx / widthPx, Math.sqrt(options.detectionMaxPixels / (widthPx * heightPx)));
  const scaledWidth = roundToStep(widthPx * scale);
  const scaledHeight = roundToStep(heightPx * scale);
  const bandHeight = Math.max(
    DETECTION_BAND_OVERLAP_PX + DETECTION_SIZE_STEP_PX,
    Math.floor(options.detectionBandMaxPixels / scaledWidth / DETECTION_SIZE_STEP_PX) * DETECTION_SIZE_STEP_PX,
  );
  if (scaledHeight <= bandHeight) {
    return { widthPx: scaledWidth, heightPx: scaledHeight, bands: [{ topPx: 0, heightPx: scaledHeight, ownedFromPx: 0, ownedToPx: scaledHeight }] };
  }
  const bands: DetectionBand[] = [];
  const stride = bandHeight - DETECTION_BAND_OVERLAP_PX;
  for (let top = 0; ; top += stride) {
    const last = top + bandHeight >= scaledHeight;
    // The last band is pulled up to end at the bottom edge, keeping its full (multiple-of-32) height.
    const bandTop = last ? scaledHeight - bandHeight : top;
    const ownedFromPx = bands.length === 0 ? 0 : bands[bands.length - 1]!.ownedToPx;
    const ownedToPx = last ? scaledHeight : top + bandHeight - DETECTION_BAND_OVERLAP_PX / 2;
    bands.push({ topPx: bandTop, heightPx: bandHeight, ownedFromPx, ownedToPx });
    if (last) break;
  }
  return { widthPx: scaledWidth, heightPx: scaledHeight, bands };
}

function roundToStep(sizePx: number): number {
  return Math.max(DETECTION_SIZE_STEP_PX, Math.round(sizePx / DETECTION_SIZE_STEP_PX) * DETECTION_SIZE_STEP_PX);
}

/** [1,3,H,W] tensor of one band, channels B, G, R, each (v/255 - mean)/std, as PP-OCR det expects. */
export function detectionTensor(image: RgbImage, plan: DetectionPlan, band: DetectionBand): FloatTensor {
  const resized = resizeRgb(image, plan.widthPx, plan.heightPx, band.topPx, band.topPx + band.heightPx);
  const plane = resized.widthPx * resized.heightPx;
  const data = new Float32Array(3 * plane);
  for (let channel = 0; channel < 3; channel++) {
    const rgbChannel = 2 - channel;
    const mean = DETECTION_MEAN_BGR[channel]!;
    const std = DETECTION_STD_BGR[channel]!;
    const offset = channel * plane;
    for (let p = 0; p < plane; p++) data[offset + p] = (resized.data[p * 3 + rgbChannel]! / 255 - mean) / std;
  }
  return { data, dims: [1, 3, resized.heightPx, resized.widthPx] };
}
