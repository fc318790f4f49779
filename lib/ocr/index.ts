/** On-device OCR with PaddleOCR PP-OCR models: pure TypeScript, the caller runs the models. */
export type { FloatTensor, OcrLine, OcrModels, OcrResult, Point, Quad, RgbaImage } from './types';
export { DEFAULT_OCR_OPTIONS, type OcrOptions } from './options';
export { parseDictionary } from './dictionary';
export { recognizeText } from './pipeline';
