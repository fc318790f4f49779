/** Every tunable of the OCR pipeline, with its default and the reason for it, in one place. */

export interface OcrOptions {
  /** Images above this many pixels are box-downsampled first, bounding memory and every later stage. */
  maxSourcePixels: number;
  /** Width cap of the detector input (big pages are cut into tiles instead, see detectionTileMaxPixels). */
  detectionMaxWidthPx: number;
  /** Area cap of everything the detector sees: detection time grows with area, so this bounds the work. */
  detectionMaxPixels: number;
  /** Most pixels in one detector call on a big page: its memory grows with area, and WASM memory keeps its peak. */
  detectionTileMaxPixels: number;
  /**
   * Detector inputs up to this many pixels run whole: a seam, even with a margin of context, can cut a
   * region of text probability in two and so change the boxes, which small images feel most.
   */
  detectionWholeMaxPixels: number;
  /** Images whose long side is below this are enlarged for detection (up to detectionMaxUpscale). */
  detectionUpscaleBelowPx: number;
  /** Largest enlargement for small images, so tiny crops are not blown up into blur. */
  detectionMaxUpscale: number;
  /** Probability above which a detector pixel counts as text. */
  binarizeThreshold: number;
  /** Mean probability inside a box below which the box is dropped. */
  boxScoreThreshold: number;
  /** How far DB's shrunk text kernels are grown back: offset = area × ratio / perimeter. */
  unclipRatio: number;
  /** Boxes with a side shorter than this (detector-map pixels) are noise. */
  minBoxSidePx: number;
  /** Most text boxes considered per image, bounding recognition work on pathological pages. */
  maxBoxes: number;
  /** Run the 0°/180° classifier to nominate strips that are also read upside down. */
  classifyDirection: boolean;
  /** Classifier probability of 180° at which a strip is nominated. */
  upsideDownThreshold: number;
  /** Strips read upright with less confidence than this are also read turned (the classifier misses some). */
  rereadTurnedBelowConfidence: number;
  /** How much more confident the turned reading of a strip the classifier didn't flag must be to win. */
  unflaggedTurnMargin: number;
  /**
   * Confident strips (rereadTurnedBelowConfidence or more), all upright, that settle a page as upright, so
   * its weak strips are not read turned; Infinity always reads them turned.
   */
  uprightPageMinConfidentStrips: number;
  /**
   * Share of a page's strips the direction classifier must call upright (as surely as upsideDownThreshold)
   * for it to settle the page, with at least uprightPageMinConfidentStrips of them (classifierSettlesUpright);
   * or nominate as upside down for it to turn the page over, so that strips reading surely turned are not
   * also read upright (classifierTurnsPage). Above 1 it does neither.
   */
  uprightPageClassifierShare: number;
  /** Crops per direction-classifier call (its input width is fixed, so batches cost no padding). */
  classifierBatchSize: number;
  /** Strips per recogniser call. */
  recognitionBatchSize: number;
  /** Narrowest recogniser input: shorter strips are padded to it. */
  recognitionMinWidthPx: number;
  /** Recogniser input widths are rounded up to a multiple of this; 1 reads each strip at its own width. */
  recognitionWidthStepPx: number;
  /** Widest recogniser input; longer lines are squeezed to fit, bounding memory per batch. */
  recognitionMaxWidthPx: number;
  /**
   * Space probability on a blank step between characters that, with a gap in the pixels, still makes a
   * space (see word-gaps.ts); Infinity turns these hinted spaces off.
   */
  spaceProbabilityFloor: number;
  /** Lines recognised with less mean confidence than this are dropped as noise. */
  minLineConfidence: number;
}

export const DEFAULT_OCR_OPTIONS: Readonly<OcrOptions> = Object.freeze({
  maxSourcePixels: 4096 * 4096,
  // Text below about 10 px in the detector input is missed, so pages keep their native scale up to these caps.
  detectionMaxWidthPx: 2560,
  detectionMaxPixels: 1280 * 9600,
  // The detector's WASM memory grows about 180 MB per megapixel of its largest call and never shrinks. A
  // 2560×3300 scan peaked (the extension's renderer) at 513 MB in 0.4 MP tiles, 467-486 in 0.25 MP ones;
  // with 64-px margins that cost its detection 15% more time than 1 MP calls, and the real-world set's
  // CER went from 0.0539 (1 MP bands) to 0.0544; the rendered sets, all run whole, did not change.
  detectionTileMaxPixels: 250_000,
  // Every image enlarged toward detectionUpscaleBelowPx (736×736 at most once rounded) runs whole.
  detectionWholeMaxPixels: 736 * 736,
  // Enlarging toward 960 instead cost 40% more detector pixels on the test set for no better CER (0.0045
  // against 0.0041; validation set 0.0055 against 0.0053); at 640 a 16-px word turned 90° broke up.
  detectionUpscaleBelowPx: 720,
  detectionMaxUpscale: 2,
  // PaddleOCR's inference defaults for PP-OCRv4 (det_db_thresh, det_db_box_thresh).
  binarizeThreshold: 0.3,
  boxScoreThreshold: 0.6,
  // PaddleOCR's 1.5 crops small UI text so tight the recogniser drops spaces (CER 2.1%). Taller crops also
  // make shorter strips at height 48: 2.2 read 6% fewer columns than 2 and cut CER from 0.0069 to 0.0054.
  // From 2.4 the letters get too few steps and double letters merge ("fill" read "fil").
  unclipRatio: 2.2,
  minBoxSidePx: 3,
  maxBoxes: 1000,
  classifyDirection: true,
  upsideDownThreshold: 0.9,
  // Upright lines of real text read above 0.9 nearly always; upside-down ones rarely reach 0.6. A lone
  // upside-down line the classifier can't call (0.52) read 0.82 upright with the int8 recogniser, so 0.8
  // left it upside down; 0.9 costs 4% more recogniser columns on the real-world set.
  rereadTurnedBelowConfidence: 0.9,
  // Without it, at 0.9 a photo's upright line turned (its turned twin scored 0.1-0.2 higher); the lone
  // line above won by 0.15 and has no page to go against.
  unflaggedTurnMargin: 0.2,
  // Weak strips on settled pages are mostly handwriting and noise: skipping their turned reading cut the
  // real-world set's recogniser columns by 4.6% (two IAM pages by 37%) and changed no reading there, on the
  // test, validation, symbols and accents sets, or on all of those turned 180°.
  uprightPageMinConfidentStrips: 3,
  // Handwriting reads weakly either way up, so its pages seldom settle on the readings, and every weak
  // line was also read turned: half of one IAM page's recognition. Of the real-world set's pages of three
  // strips or more, turned 180°, the classifier called at most a third of a page's strips surely upright;
  // upright, a third to all of them. Two thirds keeps clear of both. Turned 180°, the sets' pages read each
  // strip both ways before; now a quarter fewer recogniser calls in all, every reading the same.
  uprightPageClassifierShare: 2 / 3,
  // PaddleOCR's cls_batch_num.
  classifierBatchSize: 6,
  // The recogniser mixes context across the whole strip, so the padding a shared batch width needs changes
  // what it reads: one strip per call read 18% fewer columns and cut CER from 0.0084 to 0.0069.
  // The same holds on WebGPU, where ORT's shaders don't depend on the input width (SwiftShader: a new
  // width cost no compile; a new batch size did), so exact widths there cost no extra shader compiles.
  recognitionBatchSize: 1,
  // PaddleOCR pads to 320; 160 costs short words (menu items, labels) half the columns at no loss in CER.
  recognitionMinWidthPx: 160,
  recognitionWidthStepPx: 1,
  recognitionMaxWidthPx: 3200,
  // Measured on rendered UI text: CER 3.0% with no hinted spaces, 0.3% with them (see word-gaps.ts).
  spaceProbabilityFloor: 0.02,
  // PaddleOCR's drop_score.
  minLineConfidence: 0.5,
});

export function resolveOcrOptions(overrides: Partial<OcrOptions> = {}): OcrOptions {
  return { ...DEFAULT_OCR_OPTIONS, ...overrides };
}
