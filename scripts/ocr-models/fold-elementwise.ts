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
import { attribute, floatAttribute, floatOfAttribute, intsOfAttribute, readOnnxModel, stringOfAttribute, type FloatConstant, type Graph, type GraphNode } from './onnx-graph';

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
    const low = clip.inputs.length > 1 ? graph.scalarAt(clip, 1) : floatOfAttribute(attribute(clip, 'min'));
    const high = clip.inputs.length > 2 ? graph.scalarAt(clip, 2) : floatOfAttribute(attribute(clip, 'max'));
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
  const padMode = stringOfAttribute(attribute(conv, 'auto_pad')) ?? 'NOTSET';
  return intsOfAttribute(attribute(conv, 'pads')).every((p) => p === 0n) && (padMode === 'NOTSET' || padMode === 'VALID');
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
  const opened = readOnnxModel(model);
  const graph = opened.graph;
  const report: FoldReport = { foldedAfterConv: 0, hardSwish: 0, foldedBeforeConv: 0, shiftsIntoBias: 0, nodesBefore: graph.nodes.length, nodesAfter: 0 };
  foldAfterConvs(graph, report);
  rewriteHardSwish(graph, report);
  foldBeforeConvs(graph, report);
  const rewritten = opened.encode();
  report.nodesAfter = graph.nodes.length;
  return { model: rewritten, report };
}
