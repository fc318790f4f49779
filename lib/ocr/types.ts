/** Shapes the OCR pipeline speaks: pixels and tensors in, positioned lines out. */

/** Four-channel RGBA pixels, row-major, as ImageData and RawImage.rgba() hold them. */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  widthPx: number;
  heightPx: number;
}

/** A dense float tensor in ONNX layout; the caller converts to and from its runtime's tensor type. */
export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

/** The recogniser's answer for N strips of T steps (recognizer-output.ts says why it is not every class's probability). */
export interface RecognizerOutput {
  /** Strips, and steps per strip. */
  count: number;
  steps: number;
  /** Classes the model tells apart: the length of the dictionary it was trained with. */
  classCount: number;
  /** Per strip and step ([N·T]): the most probable class (the first, on a tie) and its probability. */
  bestClass: Int32Array;
  bestProbability: Float32Array;
  /** Classes whose probabilities are kept at every step, and those probabilities ([N·T·K]). */
  keptClasses: Int32Array;
  keptProbabilities: Float32Array;
}

/**
 * The three PaddleOCR models, run by the caller (onnxruntime-web in the engine host, onnxruntime-node in
 * tests), so this folder never imports a runtime and stays pure.
 */
export interface OcrModels {
  /** DB text detector: [1,3,H,W] normalised BGR -> probability map [1,1,H,W]. */
  detect(input: FloatTensor): Promise<FloatTensor>;
  /** Direction classifier: [N,3,48,192] -> [N,2] probabilities of (0°, 180°). */
  classify(input: FloatTensor): Promise<FloatTensor>;
  /** CTC recogniser: [N,3,48,W] -> per strip and step, the best class and the few others read (recognizer-output.ts). */
  recognize(input: FloatTensor): Promise<RecognizerOutput>;
  /** Names symbols the recogniser can't write (see unread-glyphs.ts); without it they are left out. */
  glyphs?: GlyphClassifier;
}

export interface GlyphClassifier {
  /** [N,1,32,32] ink levels -> [N,K] logits. */
  classify(input: FloatTensor): Promise<FloatTensor>;
  /** Class names; class 0 ("") is "none of these". */
  classes: readonly string[];
}

/** An (x, y) position in pixels. */
export type Point = [number, number];

/** Corners in order top-left, top-right, bottom-right, bottom-left (of the text, as read). */
export type Quad = [Point, Point, Point, Point];

export interface OcrLine {
  text: string;
  /** Mean per-character probability, 0..1. */
  confidence: number;
  /** Four corners in source-image pixels; a line merged from several boxes gets their bounding rectangle. */
  box: Quad;
  /** Lines with the same index form one block (paragraph, column piece, table); blocks count up in reading order. */
  blockIndex: number;
}

export interface OcrResult {
  /** Lines joined by newlines, blocks separated by a blank line. */
  text: string;
  lines: OcrLine[];
}
