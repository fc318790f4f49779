/**
 * On-device OCR with PaddleOCR's PP-OCRv4 detector and recogniser and the mobile direction classifier:
 * pure TypeScript, tensors in and lines out; the caller runs the models (onnxruntime-web or -node).
 *
 * Reads upright text from about 11 px, skewed text, lines turned 90° either way (boxes at least 1.5 times
 * taller than wide) and upside-down text; orders lines by columns, tables by rows, in the page's dominant
 * reading direction. A word turned 90° that is shorter than that aspect is read as garbage and usually
 * dropped by the confidence floor.
 */
export type { FloatTensor, GlyphClassifier, OcrLine, OcrModels, OcrResult, Point, Quad, RecognizerOutput, RgbaImage } from './types';
export { recognizerOutputOf } from './recognizer-output';
export { DEFAULT_OCR_OPTIONS, type OcrOptions } from './options';
export { parseDictionary } from './dictionary';
export { recognizeText } from './pipeline';
export { OcrScratchPool, type OcrScratch } from './scratch';
export { cropLine, looksHandwritten, withReadLines } from './handwriting';
