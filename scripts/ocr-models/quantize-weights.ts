/**
 * Int8 weights for the PP-OCRv4 recogniser on WASM, where most of its time is pointwise convolutions and
 * matrix products, i.e. GEMMs: ONNX Runtime's WASM integer GEMM does about twice the multiply-adds per
 * instruction of its float one. Measured in Chromium (WASM, the recogniser on strips of 160-800 px):
 * 1.6-1.8× faster at one thread, 1.5-1.8× at two; the mean CER of every set stayed within noise
 * (see docs/benchmarks.md).
 *
 * Dynamic quantisation, the way ONNX Runtime's `quantize_dynamic` does it: weights are stored as int8 per
 * output channel, symmetric (uint8 with zero point 128, since ORT's ConvInteger takes uint8 weights and one
 * zero point); activations are quantised per tensor at run time (DynamicQuantizeLinear), so no calibration
 * set is involved. Each 1×1 Conv becomes DynamicQuantizeLinear → ConvInteger → Cast → Mul(scale) [→ Add
 * bias], each MatMul by a constant matrix the same with MatMulInteger. Depthwise and wider kernels stay
 * float: quantising them measured no faster.
 *
 * DynamicQuantizeLinear needs opset 11; a model below it is moved up when every op in it means the same
 * there (Slice, the one that changed, is rewritten to take its bounds as inputs). Anything else is left
 * as it was.
 */
import { attribute, attributesExcept, DataType, domainOf, intAttribute, intOfAttribute, intsOfAttribute, namedNode, readOnnxModel, removeAttributes, type Graph, type GraphNode } from './onnx-graph';

export interface QuantizeReport {
  convs: number;
  matMuls: number;
  /** Opset-9 Slices given their bounds as inputs, for the move to opset 11. */
  slices: number;
  opsetBefore: number;
  opsetAfter: number;
  /** Why nothing was changed, when nothing was. */
  skipped?: string;
}

const QUANTIZED_OPSET = 11;

/**
 * Ops whose meaning for an opset 9 or 10 model is the same at opset 11 (the later versions only add
 * negative axes, optional inputs or new types). Slice is handled apart.
 */
const SAME_AT_OPSET_11 = new Set([
  'Add', 'AveragePool', 'BatchNormalization', 'Cast', 'Concat', 'Constant', 'Conv', 'Div', 'Exp', 'Flatten',
  'GlobalAveragePool', 'HardSigmoid', 'Identity', 'MatMul', 'MaxPool', 'Mul', 'Pow', 'ReduceMean', 'Relu',
  'Reshape', 'Shape', 'Sigmoid', 'Softmax', 'Sqrt', 'Squeeze', 'Sub', 'Tanh', 'Transpose', 'Unsqueeze',
]);

const ZERO_POINT = 128;

/**
 * Symmetric int8 per channel, stored as uint8 around ZERO_POINT: q = round(w / s) + 128 with
 * s = max |w| / 127 over the channel. `channelOf(i)` says which channel element i belongs to.
 */
export function quantizePerChannel(data: Float32Array, channels: number, channelOf: (index: number) => number): { quantized: Uint8Array; scales: Float32Array } {
  const scales = new Float32Array(channels);
  for (let i = 0; i < data.length; i++) {
    const c = channelOf(i);
    scales[c] = Math.max(scales[c]!, Math.abs(data[i]!));
  }
  for (let c = 0; c < channels; c++) scales[c] = scales[c]! > 0 ? scales[c]! / 127 : 1;
  const quantized = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) quantized[i] = Math.max(-127, Math.min(127, Math.round(data[i]! / scales[channelOf(i)]!))) + ZERO_POINT;
  return { quantized, scales };
}

function int64Bytes(values: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return bytes;
}

/** Opset 9's Slice (bounds as attributes) as opset 10+ writes it (bounds as int64 inputs). */
function sliceWithBoundsAsInputs(graph: Graph, slice: GraphNode): void {
  const starts = intsOfAttribute(attribute(slice, 'starts'));
  const ends = intsOfAttribute(attribute(slice, 'ends'));
  const axesAttribute = attribute(slice, 'axes');
  const axes = axesAttribute ? intsOfAttribute(axesAttribute) : starts.map((_, i) => BigInt(i));
  const input = (values: bigint[]) => graph.addRawTensor(slice.outputs[0]!, DataType.INT64, [values.length], int64Bytes(values));
  slice.inputs = [slice.inputs[0]!, input(starts), input(ends), input(axes)];
  removeAttributes(slice, ['starts', 'ends', 'axes']);
}

/** The ops the rewrite would need to move to opset 11, or why it can't. */
function blockerForOpset11(graph: Graph, opset: number): string | undefined {
  if (opset >= QUANTIZED_OPSET) return undefined;
  const foreign = graph.nodes.find((n) => (domainOf(n) !== '' && domainOf(n) !== 'ai.onnx') || (n.opType !== 'Slice' && !SAME_AT_OPSET_11.has(n.opType)));
  return foreign ? `${foreign.opType} may mean something else at opset ${QUANTIZED_OPSET}` : undefined;
}

function isPointwiseConv(graph: Graph, node: GraphNode): boolean {
  if (node.opType !== 'Conv' || domainOf(node) !== '') return false;
  const weights = graph.constants.get(node.inputs[1] ?? '');
  if (!weights || weights.dims.length !== 4 || weights.dims[2] !== 1 || weights.dims[3] !== 1) return false;
  if ((intOfAttribute(attribute(node, 'group')) ?? 1) !== 1) return false;
  const bias = node.inputs[2] ? graph.constants.get(node.inputs[2]) : null;
  return bias === null || bias?.data.length === weights.dims[0];
}

function isMatMulByConstant(graph: Graph, node: GraphNode): boolean {
  if (node.opType !== 'MatMul' || domainOf(node) !== '' || graph.constants.has(node.inputs[0] ?? '')) return false;
  return graph.constants.get(node.inputs[1] ?? '')?.dims.length === 2;
}

export function quantizeWeights(model: Uint8Array): { model: Uint8Array; report: QuantizeReport } {
  const opened = readOnnxModel(model);
  const graph = opened.graph;
  const report: QuantizeReport = { convs: 0, matMuls: 0, slices: 0, opsetBefore: opened.opsetVersion, opsetAfter: opened.opsetVersion };
  const targets = graph.nodes.filter((n) => isPointwiseConv(graph, n) || isMatMulByConstant(graph, n));
  const blocker = targets.length === 0 ? 'nothing to quantise' : blockerForOpset11(graph, opened.opsetVersion);
  if (blocker) return { model, report: { ...report, skipped: blocker } };

  if (opened.opsetVersion < QUANTIZED_OPSET) {
    for (const slice of graph.nodes.filter((n) => n.opType === 'Slice' && n.inputs.length === 1)) {
      sliceWithBoundsAsInputs(graph, slice);
      report.slices++;
    }
    opened.opsetVersion = QUANTIZED_OPSET;
  }

  // One DynamicQuantizeLinear per activation, however many products read it.
  const quantizedActivations = new Map<string, [string, string, string]>();
  for (const node of targets) {
    const at = graph.nodes.indexOf(node);
    const name = node.outputs[0]!;
    const added: GraphNode[] = [];
    const x = node.inputs[0]!;
    let activation = quantizedActivations.get(x);
    if (!activation) {
      activation = [graph.freshName(`${x}/quantized`), graph.freshName(`${x}/scale`), graph.freshName(`${x}/zero_point`)];
      quantizedActivations.set(x, activation);
      added.push(namedNode(graph.freshName(`${x}/DynamicQuantizeLinear`), 'DynamicQuantizeLinear', [x], [...activation]));
    }
    const [xq, xScale, xZeroPoint] = activation;
    const weights = graph.constants.get(node.inputs[1]!)!;
    const isConv = node.opType === 'Conv';
    const outputs = isConv ? weights.dims[0]! : weights.dims[1]!;
    const perOutput = weights.data.length / outputs;
    const { quantized, scales } = quantizePerChannel(weights.data, outputs, isConv ? (i) => Math.floor(i / perOutput) : (i) => i % outputs);
    const wq = graph.addRawTensor(`${name}/weights_int8`, DataType.UINT8, weights.dims, quantized);
    const wZeroPoint = graph.addRawTensor(`${name}/weights_zero_point`, DataType.UINT8, [], Uint8Array.of(ZERO_POINT));
    // Per-channel factors broadcast over NCHW for a Conv, over the last axis for a MatMul.
    const channelDims = isConv ? [1, outputs, 1, 1] : [outputs];
    const wScale = graph.addConstant(`${name}/weights_scale`, { dims: channelDims, data: scales });
    const [integer, float, scale, scaled] = ['int32', 'float', 'scale', 'scaled'].map((s) => graph.freshName(`${name}/${s}`)) as [string, string, string, string];
    const bias = isConv && node.inputs[2] ? graph.constants.get(node.inputs[2])! : null;
    added.push(
      isConv
        ? namedNode(graph.freshName(`${name}/ConvInteger`), 'ConvInteger', [xq, wq, xZeroPoint, wZeroPoint], [integer], attributesExcept(node, []))
        : namedNode(graph.freshName(`${name}/MatMulInteger`), 'MatMulInteger', [xq, wq, xZeroPoint, wZeroPoint], [integer]),
      namedNode(graph.freshName(`${name}/Cast`), 'Cast', [integer], [float], [intAttribute('to', DataType.FLOAT)]),
      namedNode(graph.freshName(`${name}/Mul`), 'Mul', [wScale, xScale], [scale]),
      namedNode(graph.freshName(`${name}/Mul`), 'Mul', [float, scale], [bias ? scaled : name]),
    );
    if (bias) {
      const biasName = graph.addConstant(`${name}/bias`, { dims: channelDims, data: bias.data.slice() });
      added.push(namedNode(graph.freshName(`${name}/Add`), 'Add', [scaled, biasName], [name]));
    }
    graph.nodes.splice(at, 1, ...added);
    if (isConv) report.convs++;
    else report.matMuls++;
  }
  report.opsetAfter = opened.opsetVersion;
  return { model: opened.encode(), report };
}
