/**
 * The PaddleOCR models as shipped (scripts/ocr-models): the elementwise folds leave every output as the
 * npm package's model computes it, up to float rounding, with far fewer nodes to run; the recogniser's
 * int8 copy for WASM picks the same characters. (Its CER on every set is ocr-accuracy.test.ts's.)
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldElementwiseOps } from '../../scripts/ocr-models/fold-elementwise';
import { bytesField, decodeMessage, encodeMessage, stringField, varintField } from '../../scripts/ocr-models/protobuf';
import { quantizeWeights } from '../../scripts/ocr-models/quantize-weights';
import { OCR_SOURCE_DIR, shippedOcrFile } from '../../scripts/ocr-models/shipped';
import { OCR_FILES } from '../../lib/engine/ocr-files';
import { parseDictionary } from '../../lib/ocr/dictionary';
import { classesReadBeyondBest, compactProbabilities, recognizerOutputOf } from '../../lib/ocr/recognizer-output';
import { ROOT } from '../support/servers';

const sourceOf = (file: string) => readFileSync(join(ROOT, OCR_SOURCE_DIR, file));

/** Smooth, signed values in the range the pipeline's normalised inputs take. */
function input(dims: number[]): ort.Tensor {
  const size = dims.reduce((a, b) => a * b, 1);
  return new ort.Tensor('float32', Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) * 0.9 + Math.cos(i * 0.011) * 0.3), dims);
}

async function outputOf(model: Uint8Array, feed: ort.Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  try {
    return (await session.run({ [session.inputNames[0]!]: feed }))[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function opTypesOf(model: Uint8Array): string[] {
  const graph = decodeMessage(decodeMessage(model).find((f) => f.no === 7)!.value as Uint8Array);
  return graph.filter((f) => f.no === 1).map((f) => new TextDecoder().decode(decodeMessage(f.value as Uint8Array).find((n) => n.no === 4)!.value as Uint8Array));
}

describe('the shipped PaddleOCR models', () => {
  it('reads and writes an ONNX file byte for byte when nothing is changed', () => {
    const bytes = sourceOf('ch_ppocr_mobile_v2.0_cls_infer.onnx');
    expect(Buffer.from(encodeMessage(decodeMessage(bytes))).equals(bytes)).toBe(true);
  });

  it.each([
    ['ch_PP-OCRv4_rec_infer.onnx', [2, 3, 48, 320]],
    ['ch_PP-OCRv4_det_infer.onnx', [1, 3, 160, 224]],
    ['ch_ppocr_mobile_v2.0_cls_infer.onnx', [3, 3, 48, 192]],
  ])('%s computes what the npm package’s does with fewer nodes, hard-swish in two ops', async (file, dims) => {
    const source = sourceOf(file);
    const { model, report } = foldElementwiseOps(source);
    const feed = input(dims);
    const [want, got] = [await outputOf(source, feed), await outputOf(model, feed)];
    expect(got.length).toBe(want.length);
    let largest = 0;
    for (let i = 0; i < want.length; i++) largest = Math.max(largest, Math.abs(got[i]! - want[i]!));
    expect(largest).toBeLessThan(1e-4);

    const before = opTypesOf(source);
    const after = opTypesOf(model);
    expect(report.nodesAfter).toBe(after.length);
    expect(after.length).toBeLessThan(before.length);
    // Every hard-swish was found: the four-op form leaves a Clip and a Div each.
    expect(after.filter((op) => op === 'Clip')).toHaveLength(before.filter((op) => op === 'Clip').length - report.hardSwish);
    expect(after.filter((op) => op === 'HardSigmoid').length).toBe(before.filter((op) => op === 'HardSigmoid').length + report.hardSwish);
    expect(report.hardSwish).toBeGreaterThan(0);
  });

  it('folds PP-LCNetV3’s scales and shifts into the convolutions of both PP-OCRv4 models', () => {
    for (const file of ['ch_PP-OCRv4_rec_infer.onnx', 'ch_PP-OCRv4_det_infer.onnx']) {
      const { report } = foldElementwiseOps(sourceOf(file));
      expect(report.foldedAfterConv, file).toBeGreaterThanOrEqual(50);
      expect(report.foldedBeforeConv, file).toBeGreaterThanOrEqual(20);
      // Both kinds of Conv met: shifts into an unpadded one's bias, and an Add kept before a padded one.
      expect(report.shiftsIntoBias, file).toBeGreaterThan(0);
      expect(report.shiftsIntoBias, file).toBeLessThan(report.foldedBeforeConv);
      expect(report.nodesAfter, file).toBeLessThan(report.nodesBefore * 0.6);
    }
  });

  it('gives the recogniser int8 weights in every pointwise Conv and constant MatMul, and it picks the same characters', async () => {
    const folded = foldElementwiseOps(sourceOf('ch_PP-OCRv4_rec_infer.onnx')).model;
    const { model, report } = quantizeWeights(folded);
    expect(report.skipped).toBeUndefined();
    // Opset 9 has no DynamicQuantizeLinear: the model moved to 11, its Slices rewritten to take inputs.
    expect(report).toMatchObject({ opsetBefore: 9, opsetAfter: 11 });
    expect(report.slices).toBeGreaterThan(0);

    const before = opTypesOf(folded);
    const after = opTypesOf(model);
    expect(after.filter((op) => op === 'ConvInteger')).toHaveLength(report.convs);
    expect(after.filter((op) => op === 'MatMulInteger')).toHaveLength(report.matMuls);
    expect(report.convs).toBeGreaterThanOrEqual(20);
    expect(after.filter((op) => op === 'Conv')).toHaveLength(before.filter((op) => op === 'Conv').length - report.convs);
    expect(after.filter((op) => op === 'MatMul')).toHaveLength(before.filter((op) => op === 'MatMul').length - report.matMuls);
    // An activation read by several products is quantised once.
    expect(after.filter((op) => op === 'DynamicQuantizeLinear').length).toBeLessThanOrEqual(report.convs + report.matMuls);
    expect(model.length).toBeLessThan(folded.length * 0.45);

    const feed = input([2, 3, 48, 320]);
    const [want, got] = [await outputOf(folded, feed), await outputOf(model, feed)];
    expect(got.length).toBe(want.length);
    const classes = 6625;
    let same = 0;
    let largest = 0;
    for (let t = 0; t < want.length / classes; t++) {
      let [w, g] = [0, 0];
      for (let c = 0; c < classes; c++) {
        const i = t * classes + c;
        if (want[i]! > want[t * classes + w]!) w = c;
        if (got[i]! > got[t * classes + g]!) g = c;
        largest = Math.max(largest, Math.abs(got[i]! - want[i]!));
      }
      if (w === g) same++;
    }
    expect(same / (want.length / classes)).toBeGreaterThanOrEqual(0.95);
    expect(largest).toBeLessThan(0.15);
  });

  it.each([
    ['float', OCR_FILES.recognize, (folded: Uint8Array) => folded],
    ['int8', OCR_FILES.recognizeInt8, (folded: Uint8Array) => quantizeWeights(folded).model],
  ])('the shipped %s recogniser answers with each step’s best class and the kept classes’ probabilities, as its full output has them', async (_, file, weights) => {
    const full = weights(foldElementwiseOps(sourceOf(OCR_FILES.recognize)).model);
    const shipped = readFileSync(shippedOcrFile(ROOT, file));
    const dictionary = parseDictionary(readFileSync(shippedOcrFile(ROOT, OCR_FILES.dictionary), 'utf8'));
    const kept = classesReadBeyondBest(dictionary);
    // Space and at least the accented vowels PP-OCRv4's dictionary has (é, è, à, ü...).
    expect(kept).toContain(dictionary.length - 1);
    expect(kept.length).toBeGreaterThan(10);
    const feed = input([2, 3, 48, 320]);
    const want = compactProbabilities({ data: await outputOf(full, feed), dims: [2, 40, dictionary.length] }, kept);

    const session = await ort.InferenceSession.create(shipped);
    try {
      const got = recognizerOutputOf(await session.run({ [session.inputNames[0]!]: feed }));
      expect(got).toEqual(want);
    } finally {
      await session.release();
    }
  });

  it('leaves a model it can’t move to opset 11 as it was, and says why', () => {
    // An opset-9 graph with a constant MatMul and an Upsample, an op opset 10 replaced.
    const node = (op: string, inputs: string[], output: string) =>
      bytesField(1, encodeMessage([...inputs.map((i) => stringField(1, i)), stringField(2, output), stringField(4, op)]));
    const weights = bytesField(5, encodeMessage([varintField(1, 2), varintField(1, 2), varintField(2, 1), stringField(8, 'w'), bytesField(9, new Uint8Array(16))]));
    const graph = encodeMessage([node('MatMul', ['x', 'w'], 'y'), node('Upsample', ['y', 'scales'], 'z'), weights]);
    const model = encodeMessage([varintField(1, 7), bytesField(8, encodeMessage([stringField(1, ''), varintField(2, 9)])), bytesField(7, graph)]);
    const { model: result, report } = quantizeWeights(model);
    expect(report.skipped).toMatch(/Upsample.*opset 11/);
    expect(result).toBe(model);
    expect(report.matMuls).toBe(0);
  });
});
