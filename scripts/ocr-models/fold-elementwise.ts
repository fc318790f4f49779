/**
 * Rewrites PaddleOCR's exported graphs so ONNX Runtime's WASM build makes fewer passes over memory.
 * Paddle2ONNX writes each PP-LCNetV3 layer as Conv, a scale and a shift (its "learnable affine block"),
 * hard-swish as four ops (Add 3, Clip 0..6, Mul, Div 6), then another scale and shift: eight elementwise
 * passes per convolution, which ORT does not fuse (its Conv+Mul fusion wants the Conv's output first and
 * an initializer; these are Constant nodes). Here they become Conv (scale and shift folded into its
 * weights and bias), HardSigmoid and Mul (hard-swish: x·hardsigmoid(x) with α = 1/6, β = ½, valid from
 * opset 6), and the next Conv (the second scale folded into its weights; the shift into its bias where it
 * has no padding, else one Add is kept in front of it, since padding adds zeros, not the shift).
 *
 * The arithmetic is the same up to float rounding. Rules match shapes of graph, never node names, and
 * anything they don't recognise is left as it was.
 */
import { bytesField, decodeMessage, encodeMessage, float32Field, floatsOf, stringField, textOf, varintField, varintsOf, Wire, type Field } from './protobuf';

// ONNX's field numbers (onnx.proto3).
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_OUTPUT = 12;
const VALUE_INFO_NAME = 1;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const ATTR_NAME = 1;
const ATTR_F = 2;
const ATTR_S = 4;
const ATTR_T = 5;
const ATTR_INTS = 8;
const ATTR_TYPE = 20;
const ATTR_TYPE_FLOAT = 1;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_FLOAT_DATA = 4;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const TENSOR_EXTERNAL_DATA = 13;
const FLOAT = 1;

interface GraphNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  /** Everything else (name, domain, attributes), as read. */
  rest: Field[];
}

interface FloatConstant {
  dims: number[];
  data: Float32Array;
}

export interface FoldReport {
  /** Scales and shifts after a Conv folded into its weights and bias. */
  foldedAfterConv: number;
  /** Hard-swish written as HardSigmoid and Mul instead of four ops. */
  hardSwish: number;
  /** Scales before a Conv folded into its weights. */
  foldedBeforeConv: number;
  /** Of those, shifts folded into an unpadded Conv's bias (the others keep one Add). */
  shiftsIntoBias: number;
  nodesBefore: number;
  nodesAfter: number;
}

function tensorOf(fields: Field[]): { name: string; constant: FloatConstant | null } {
  const name = textOf(fields.find((f) => f.no === TENSOR_NAME) ?? stringField(TENSOR_NAME, ''));
  const type = Number(varintsOf(fields, TENSOR_DATA_TYPE)[0] ?? 0);
  if (type !== FLOAT || fields.some((f) => f.no === TENSOR_EXTERNAL_DATA)) return { name, constant: null };
  const dims = varintsOf(fields, TENSOR_DIMS).map(Number);
  const raw = fields.find((f) => f.no === TENSOR_RAW_DATA);
  let data: Float32Array;
  if (raw && raw.wire === Wire.Bytes) {
    // Copied: the file's bytes are not 4-aligned, and folds write into it.
    const view = new DataView(raw.value.buffer, raw.value.byteOffset, raw.value.byteLength);
    data = new Float32Array(raw.value.byteLength / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true);
  } else {
    data = Float32Array.from(floatsOf(fields, TENSOR_FLOAT_DATA));
  }
  const size = dims.reduce((a, b) => a * b, 1);
  return { name, constant: data.length === size ? { dims, data } : null };
}

function tensorFields(name: string, constant: FloatConstant): Field[] {
  const raw = new Uint8Array(constant.data.length * 4);
  const view = new DataView(raw.buffer);
  constant.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return [...constant.dims.map((d) => varintField(TENSOR_DIMS, d)), varintField(TENSOR_DATA_TYPE, FLOAT), stringField(TENSOR_NAME, name), bytesField(TENSOR_RAW_DATA, raw)];
}

const attributesOf = (node: GraphNode) => node.rest.filter((f) => f.no === NODE_ATTRIBUTE).map((f) => decodeMessage(f.value as Uint8Array));
function attribute(node: GraphNode, name: string): Field[] | undefined {
  return attributesOf(node).find((a) => textOf(a.find((f) => f.no === ATTR_NAME) ?? stringField(ATTR_NAME, '')) === name);
}

function floatAttribute(name: string, value: number): Field {
  return bytesField(NODE_ATTRIBUTE, encodeMessage([stringField(ATTR_NAME, name), float32Field(ATTR_F, value), varintField(ATTR_TYPE, ATTR_TYPE_FLOAT)]));
}

function encodeNode(node: GraphNode): Uint8Array {
  return encodeMessage([...node.inputs.map((i) => stringField(NODE_INPUT, i)), ...node.outputs.map((o) => stringField(NODE_OUTPUT, o)), stringField(NODE_OP_TYPE, node.opType), ...node.rest]);
}

function decodeNode(bytes: Uint8Array): GraphNode {
  const fields = decodeMessage(bytes);
  return {
    opType: textOf(fields.find((f) => f.no === NODE_OP_TYPE) ?? stringField(NODE_OP_TYPE, '')),
    inputs: fields.filter((f) => f.no === NODE_INPUT).map(textOf),
    outputs: fields.filter((f) => f.no === NODE_OUTPUT).map(textOf),
    rest: fields.filter((f) => f.no !== NODE_INPUT && f.no !== NODE_OUTPUT && f.no !== NODE_OP_TYPE),
  };
}

class Graph {
  readonly constants = new Map<string, FloatConstant>();
  /** Constants this rewrite made or changed, written as initializers. */
  readonly written = new Set<string>();
  private serial = 0;

  constructor(
    public nodes: GraphNode[],
    readonly graphOutputs: Set<string>,
  ) {}

  consumers(name: string): GraphNode[] {
    return this.nodes.filter((n) => n.inputs.includes(name));
  }

  /** The one node reading `name`, if only one does and it is not a graph output. */
  soleConsumer(name: string): GraphNode | undefined {
    const consumers = this.consumers(name);
    return consumers.length === 1 && !this.graphOutputs.has(name) ? consumers[0] : undefined;
  }

  /** The value of `node`'s other operand when it is a one-element constant. */
  scalarBeside(node: GraphNode, input: string): number | undefined {
    if (node.inputs.length !== 2 || node.inputs.filter((i) => i === input).length !== 1) return undefined;
    // Rank ≤ 1, so broadcasting it never changes the other operand's shape.
    const other = this.constants.get(node.inputs.find((i) => i !== input)!);
    return other && other.data.length === 1 && other.dims.length <= 1 ? other.data[0] : undefined;
  }

  scalarAt(node: GraphNode, index: number): number | undefined {
    const constant = this.constants.get(node.inputs[index] ?? '');
    return constant && constant.data.length === 1 && constant.dims.length <= 1 ? constant.data[0] : undefined;
  }

  addConstant(hint: string, constant: FloatConstant): string {
    const name = `${hint}/folded_${this.serial++}`;
    this.constants.set(name, constant);
    this.written.add(name);
    return name;
  }

  /** A copy of input `index` of `node` that only this node reads, so folding into it changes nothing else. */
  ownConstant(node: GraphNode, index: number): FloatConstant {
    const source = this.constants.get(node.inputs[index]!)!;
    const name = this.addConstant(node.outputs[0]!, { dims: [...source.dims], data: source.data.slice() });
    node.inputs[index] = name;
    return this.constants.get(name)!;
  }

  /** Removes `node`, whose output now means `replacement`. */
  bypass(node: GraphNode, replacement: string): void {
    const output = node.outputs[0]!;
    for (const n of this.nodes) n.inputs = n.inputs.map((i) => (i === output ? replacement : i));
    this.nodes = this.nodes.filter((n) => n !== node);
  }
}

/** A Conv whose weights (and bias, if any) are float constants this rewrite can fold into. */
function isFoldableConv(graph: Graph, node: GraphNode | undefined): node is GraphNode {
  if (!node || node.opType !== 'Conv' || node.inputs.length < 2) return false;
  const weights = graph.constants.get(node.inputs[1]!);
  if (!weights || weights.dims.length < 3) return false;
  const bias = node.inputs[2] ? graph.constants.get(node.inputs[2]) : null;
  return bias !== undefined && (bias === null || bias.data.length === weights.dims[0]);
}

/** Gives the Conv a bias of its own (zeros if it had none) and returns it with its own weights. */
function ownParameters(graph: Graph, conv: GraphNode): { weights: FloatConstant; bias: FloatConstant } {
  const weights = graph.ownConstant(conv, 1);
  if (!conv.inputs[2]) {
    conv.inputs[2] = graph.addConstant(conv.outputs[0]!, { dims: [weights.dims[0]!], data: new Float32Array(weights.dims[0]!) });
    return { weights, bias: graph.constants.get(conv.inputs[2])! };
  }
  return { weights, bias: graph.ownConstant(conv, 2) };
}

/** Conv → Mul(a) / Add(b), repeatedly: W·a, B·a + b. */
function foldAfterConvs(graph: Graph, report: FoldReport): void {
  for (const conv of graph.nodes.filter((n) => isFoldableConv(graph, n))) {
    let parameters: ReturnType<typeof ownParameters> | null = null;
    for (;;) {
      const next = graph.soleConsumer(conv.outputs[0]!);
      const operand = next && (next.opType === 'Mul' || next.opType === 'Add') ? graph.scalarBeside(next, conv.outputs[0]!) : undefined;
      if (!next || operand === undefined) break;
      parameters ??= ownParameters(graph, conv);
      if (next.opType === 'Mul') {
        parameters.weights.data.forEach((w, i) => (parameters!.weights.data[i] = w * operand));
        parameters.bias.data.forEach((b, i) => (parameters!.bias.data[i] = b * operand));
      } else {
        parameters.bias.data.forEach((b, i) => (parameters!.bias.data[i] = b + operand));
      }
      // The Conv takes over the folded node's output name, which later nodes (and graph outputs) use.
      graph.nodes = graph.nodes.filter((n) => n !== next);
      conv.outputs[0] = next.outputs[0]!;
      report.foldedAfterConv++;
    }
  }
}

/** x · clip(x + 3, 0, 6) / 6 → x · HardSigmoid(x) with α = 1/6, β = ½. */
function rewriteHardSwish(graph: Graph, report: FoldReport): void {
  for (const add of graph.nodes.filter((n) => n.opType === 'Add')) {
    const x = add.inputs.find((i) => !graph.constants.has(i));
    if (x === undefined || graph.scalarBeside(add, x) !== 3) continue;
    const clip = graph.soleConsumer(add.outputs[0]!);
    if (!clip || clip.opType !== 'Clip' || clip.inputs[0] !== add.outputs[0]) continue;
    // Opset < 11 gives the bounds as attributes, later ones as inputs.
    const low = clip.inputs.length > 1 ? graph.scalarAt(clip, 1) : floatsOf(attribute(clip, 'min') ?? [], ATTR_F)[0];
    const high = clip.inputs.length > 2 ? graph.scalarAt(clip, 2) : floatsOf(attribute(clip, 'max') ?? [], ATTR_F)[0];
    if (low !== 0 || high !== 6) continue;
    const mul = graph.soleConsumer(clip.outputs[0]!);
    if (!mul || mul.opType !== 'Mul' || mul.inputs.length !== 2 || !mul.inputs.includes(x) || !mul.inputs.includes(clip.outputs[0]!)) continue;
    const div = graph.soleConsumer(mul.outputs[0]!);
    if (!div || div.opType !== 'Div' || div.inputs[0] !== mul.outputs[0] || graph.scalarAt(div, 1) !== 6) continue;

    const gate = `${add.outputs[0]}/hard_sigmoid`;
    const hardSigmoid: GraphNode = { opType: 'HardSigmoid', inputs: [x], outputs: [gate], rest: [floatAttribute('alpha', 1 / 6), floatAttribute('beta', 0.5)] };
    const product: GraphNode = { opType: 'Mul', inputs: [x, gate], outputs: [div.outputs[0]!], rest: [] };
    const at = graph.nodes.indexOf(add);
    graph.nodes = graph.nodes.filter((n) => n !== add && n !== clip && n !== mul && n !== div);
    graph.nodes.splice(at, 0, hardSigmoid, product);
    report.hardSwish++;
  }
}

function isUnpadded(conv: GraphNode): boolean {
  const pads = attribute(conv, 'pads');
  const autoPad = attribute(conv, 'auto_pad');
  const padMode = autoPad ? textOf(autoPad.find((f) => f.no === ATTR_S) ?? stringField(ATTR_S, 'NOTSET')) : 'NOTSET';
  return (!pads || varintsOf(pads, ATTR_INTS).every((p) => p === 0n)) && (padMode === 'NOTSET' || padMode === 'VALID');
}

/** x → Mul(a) [→ Add(b)] → Conv: the Conv takes x with W·a; b goes into its bias, or stays as Add(b/a). */
function foldBeforeConvs(graph: Graph, report: FoldReport): void {
  for (const mul of graph.nodes.filter((n) => n.opType === 'Mul')) {
    const x = mul.inputs.find((i) => !graph.constants.has(i));
    const scale = x === undefined ? undefined : graph.scalarBeside(mul, x);
    if (x === undefined || scale === undefined || scale === 0) continue;
    const add = graph.soleConsumer(mul.outputs[0]!);
    const shift = add?.opType === 'Add' ? graph.scalarBeside(add, mul.outputs[0]!) : undefined;
    const last = shift === undefined ? mul : add!;
    const conv = graph.soleConsumer(last.outputs[0]!);
    if (!isFoldableConv(graph, conv) || conv.inputs[0] !== last.outputs[0]) continue;

    const { weights, bias } = ownParameters(graph, conv);
    const outputs = weights.dims[0]!;
    const perOutput = weights.data.length / outputs;
    if (shift !== undefined && isUnpadded(conv)) {
      // conv(a·x + b) = conv_{a·W}(x) + b·ΣW per output channel, when no padding zeros are mixed in.
      for (let o = 0; o < outputs; o++) {
        let sum = 0;
        for (let k = 0; k < perOutput; k++) sum += weights.data[o * perOutput + k]!;
        bias.data[o] = bias.data[o]! + shift * sum;
      }
      graph.bypass(add!, mul.outputs[0]!);
      report.shiftsIntoBias++;
    } else if (shift !== undefined) {
      add!.inputs = [mul.outputs[0]!, graph.addConstant(add!.outputs[0]!, { dims: [1], data: Float32Array.of(shift / scale) })];
    }
    weights.data.forEach((w, i) => (weights.data[i] = w * scale));
    graph.bypass(mul, x);
    report.foldedBeforeConv++;
  }
}

export function foldElementwiseOps(model: Uint8Array): { model: Uint8Array; report: FoldReport } {
  const modelFields = decodeMessage(model);
  const graphField = modelFields.find((f) => f.no === MODEL_GRAPH);
  if (!graphField || graphField.wire !== Wire.Bytes) throw new Error('not an ONNX model: no graph');
  const graphFields = decodeMessage(graphField.value);
  const outputs = new Set(graphFields.filter((f) => f.no === GRAPH_OUTPUT).map((f) => textOf(decodeMessage(f.value as Uint8Array).find((v) => v.no === VALUE_INFO_NAME)!)));
  const graph = new Graph(graphFields.filter((f) => f.no === GRAPH_NODE).map((f) => decodeNode(f.value as Uint8Array)), outputs);

  for (const field of graphFields.filter((f) => f.no === GRAPH_INITIALIZER)) {
    const { name, constant } = tensorOf(decodeMessage(field.value as Uint8Array));
    if (constant) graph.constants.set(name, constant);
  }
  for (const node of graph.nodes.filter((n) => n.opType === 'Constant' && n.outputs.length === 1)) {
    const value = attribute(node, 'value')?.find((f) => f.no === ATTR_T);
    if (!value || value.wire !== Wire.Bytes) continue;
    const { constant } = tensorOf(decodeMessage(value.value));
    if (constant) graph.constants.set(node.outputs[0]!, constant);
  }

  const report: FoldReport = { foldedAfterConv: 0, hardSwish: 0, foldedBeforeConv: 0, shiftsIntoBias: 0, nodesBefore: graph.nodes.length, nodesAfter: 0 };
  foldAfterConvs(graph, report);
  rewriteHardSwish(graph, report);
  foldBeforeConvs(graph, report);

  // Constant nodes and initializers nobody reads any more are dropped.
  const read = new Set([...graph.nodes.flatMap((n) => n.inputs), ...outputs]);
  graph.nodes = graph.nodes.filter((n) => n.opType !== 'Constant' || n.outputs.some((o) => read.has(o)));
  const initializers = graphFields.filter((f) => f.no === GRAPH_INITIALIZER && read.has(tensorOf(decodeMessage(f.value as Uint8Array)).name));
  const written = [...graph.written].filter((name) => read.has(name)).map((name) => bytesField(GRAPH_INITIALIZER, encodeMessage(tensorFields(name, graph.constants.get(name)!))));
  report.nodesAfter = graph.nodes.length;

  const newGraph: Field[] = [];
  for (const field of graphFields) {
    if (field.no === GRAPH_NODE || field.no === GRAPH_INITIALIZER) continue;
    newGraph.push(field);
  }
  newGraph.unshift(...graph.nodes.map((n) => bytesField(GRAPH_NODE, encodeNode(n))), ...initializers, ...written);
  const newModel = modelFields.map((f) => (f === graphField ? bytesField(MODEL_GRAPH, encodeMessage(newGraph)) : f));
  return { model: encodeMessage(newModel), report };
}
