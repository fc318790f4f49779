/**
 * An ONNX model as a list of nodes and a table of float constants, read and written with the wire codec
 * in protobuf.ts: what the build-time rewrites (fold-elementwise.ts, quantize-weights.ts) edit. Fields a
 * rewrite doesn't touch are written back as read.
 */
import { bytesField, decodeMessage, encodeMessage, float32Field, floatsOf, stringField, textOf, varintField, varintsOf, Wire, type Field } from './protobuf';

// ONNX's field numbers (onnx.proto3).
const MODEL_OPSET_IMPORT = 8;
const MODEL_GRAPH = 7;
const OPSET_DOMAIN = 1;
const OPSET_VERSION = 2;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_OUTPUT = 12;
const VALUE_INFO_NAME = 1;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const NODE_DOMAIN = 7;
const ATTR_NAME = 1;
const ATTR_F = 2;
const ATTR_I = 3;
const ATTR_S = 4;
const ATTR_T = 5;
const ATTR_INTS = 8;
const ATTR_TYPE = 20;
const ATTR_TYPE_FLOAT = 1;
const ATTR_TYPE_INT = 2;
const ATTR_TYPE_INTS = 7;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_TYPE_ELEM_TYPE = 1;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_FLOAT_DATA = 4;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const TENSOR_EXTERNAL_DATA = 13;

/** TensorProto.DataType values the rewrites write. */
export const DataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7 } as const;

export interface GraphNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  /** Everything else (name, domain, attributes), as read. */
  rest: Field[];
}

export interface FloatConstant {
  dims: number[];
  data: Float32Array;
}

function tensorOf(fields: Field[]): { name: string; constant: FloatConstant | null } {
  const name = textOf(fields.find((f) => f.no === TENSOR_NAME) ?? stringField(TENSOR_NAME, ''));
  const type = Number(varintsOf(fields, TENSOR_DATA_TYPE)[0] ?? 0);
  if (type !== DataType.FLOAT || fields.some((f) => f.no === TENSOR_EXTERNAL_DATA)) return { name, constant: null };
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

function floatTensorFields(name: string, constant: FloatConstant): Field[] {
  const raw = new Uint8Array(constant.data.length * 4);
  const view = new DataView(raw.buffer);
  constant.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return rawTensorFields(name, DataType.FLOAT, constant.dims, raw);
}

function rawTensorFields(name: string, dataType: number, dims: readonly number[], raw: Uint8Array): Field[] {
  return [...dims.map((d) => varintField(TENSOR_DIMS, d)), varintField(TENSOR_DATA_TYPE, dataType), stringField(TENSOR_NAME, name), bytesField(TENSOR_RAW_DATA, raw)];
}

const attributesOf = (node: GraphNode) => node.rest.filter((f) => f.no === NODE_ATTRIBUTE).map((f) => decodeMessage(f.value as Uint8Array));
const attributeName = (attribute: Field[]) => textOf(attribute.find((f) => f.no === ATTR_NAME) ?? stringField(ATTR_NAME, ''));

export function attribute(node: GraphNode, name: string): Field[] | undefined {
  return attributesOf(node).find((a) => attributeName(a) === name);
}

export const floatOfAttribute = (attribute: Field[] | undefined): number | undefined => floatsOf(attribute ?? [], ATTR_F)[0];
export const intOfAttribute = (attribute: Field[] | undefined): number | undefined => {
  const value = varintsOf(attribute ?? [], ATTR_I)[0];
  return value === undefined ? undefined : Number(value);
};
export const intsOfAttribute = (attribute: Field[] | undefined): bigint[] => varintsOf(attribute ?? [], ATTR_INTS);
export const stringOfAttribute = (attribute: Field[] | undefined): string | undefined => {
  const value = attribute?.find((f) => f.no === ATTR_S);
  return value ? textOf(value) : undefined;
};

export function floatAttribute(name: string, value: number): Field {
  return bytesField(NODE_ATTRIBUTE, encodeMessage([stringField(ATTR_NAME, name), float32Field(ATTR_F, value), varintField(ATTR_TYPE, ATTR_TYPE_FLOAT)]));
}

export function intAttribute(name: string, value: number): Field {
  return bytesField(NODE_ATTRIBUTE, encodeMessage([stringField(ATTR_NAME, name), varintField(ATTR_I, value), varintField(ATTR_TYPE, ATTR_TYPE_INT)]));
}

export function intsAttribute(name: string, values: readonly number[]): Field {
  return bytesField(NODE_ATTRIBUTE, encodeMessage([stringField(ATTR_NAME, name), ...values.map((v) => varintField(ATTR_INTS, v)), varintField(ATTR_TYPE, ATTR_TYPE_INTS)]));
}

/** `node`'s attributes but `names`, as fields to give another node. */
export function attributesExcept(node: GraphNode, names: readonly string[]): Field[] {
  return node.rest.filter((f) => f.no === NODE_ATTRIBUTE && !names.includes(attributeName(decodeMessage(f.value as Uint8Array))));
}

/** Drops `names` from `node`'s attributes. */
export function removeAttributes(node: GraphNode, names: readonly string[]): void {
  node.rest = node.rest.filter((f) => f.no !== NODE_ATTRIBUTE || !names.includes(attributeName(decodeMessage(f.value as Uint8Array))));
}

/** A node with a name, so ORT's messages and profiles can say which one. */
export function namedNode(name: string, opType: string, inputs: string[], outputs: string[], attributes: Field[] = []): GraphNode {
  return { opType, inputs, outputs, rest: [stringField(NODE_NAME, name), ...attributes] };
}

/** The node's domain; '' (or 'ai.onnx') is the standard operator set. */
export const domainOf = (node: GraphNode): string => textOf(node.rest.find((f) => f.no === NODE_DOMAIN) ?? stringField(NODE_DOMAIN, ''));

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

export class Graph {
  readonly constants = new Map<string, FloatConstant>();
  /** Float constants this rewrite made or changed, written as initializers. */
  readonly written = new Set<string>();
  /** Other tensors this rewrite made (integer weights, shapes), written as initializers. */
  readonly writtenRaw = new Map<string, Field[]>();
  private serial = 0;

  constructor(
    public nodes: GraphNode[],
    readonly graphOutputs: Set<string>,
  ) {}

  /** A name no tensor or node of this graph has, from `hint`. */
  freshName(hint: string): string {
    return `${hint}/rewritten_${this.serial++}`;
  }

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
    const name = this.freshName(hint);
    this.constants.set(name, constant);
    this.written.add(name);
    return name;
  }

  /** A tensor of any type from its little-endian bytes, e.g. uint8 weights. */
  addRawTensor(hint: string, dataType: number, dims: readonly number[], raw: Uint8Array): string {
    const name = this.freshName(hint);
    this.writtenRaw.set(name, rawTensorFields(name, dataType, dims, raw));
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

/** A model open for rewriting: its graph, its standard operator set's version, and a way to write it back. */
export interface OnnxModel {
  graph: Graph;
  /** The version of the standard ('' / 'ai.onnx') operator set the model imports. */
  opsetVersion: number;
  /** Makes these the graph's outputs, in this order (element type only: their shapes are left to the runtime). */
  replaceOutputs(outputs: readonly { name: string; dataType: number }[]): void;
  /** The model with the graph's nodes, the initializers still read, and every other field as read. */
  encode(): Uint8Array;
}

const isStandardDomain = (domain: string) => domain === '' || domain === 'ai.onnx';

export function readOnnxModel(model: Uint8Array): OnnxModel {
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

  const standardOpset = modelFields.find(
    (f) => f.no === MODEL_OPSET_IMPORT && isStandardDomain(textOf(decodeMessage(f.value as Uint8Array).find((o) => o.no === OPSET_DOMAIN) ?? stringField(OPSET_DOMAIN, ''))),
  );
  const readVersion = Number(varintsOf(standardOpset ? decodeMessage(standardOpset.value as Uint8Array) : [], OPSET_VERSION)[0] ?? 1);
  let outputFields = graphFields.filter((f) => f.no === GRAPH_OUTPUT);
  const opened: OnnxModel = {
    graph,
    opsetVersion: readVersion,
    replaceOutputs(replacements) {
      outputs.clear();
      for (const { name } of replacements) outputs.add(name);
      outputFields = replacements.map(({ name, dataType }) =>
        bytesField(
          GRAPH_OUTPUT,
          encodeMessage([
            stringField(VALUE_INFO_NAME, name),
            bytesField(VALUE_INFO_TYPE, encodeMessage([bytesField(TYPE_TENSOR, encodeMessage([varintField(TENSOR_TYPE_ELEM_TYPE, dataType)]))])),
          ]),
        ),
      );
    },
    encode() {
      // Constant nodes and initializers nobody reads any more are dropped.
      const read = new Set([...graph.nodes.flatMap((n) => n.inputs), ...outputs]);
      graph.nodes = graph.nodes.filter((n) => n.opType !== 'Constant' || n.outputs.some((o) => read.has(o)));
      const initializers = graphFields.filter((f) => f.no === GRAPH_INITIALIZER && read.has(tensorOf(decodeMessage(f.value as Uint8Array)).name));
      const written = [...graph.written].filter((name) => read.has(name)).map((name) => bytesField(GRAPH_INITIALIZER, encodeMessage(floatTensorFields(name, graph.constants.get(name)!))));
      const writtenRaw = [...graph.writtenRaw].filter(([name]) => read.has(name)).map(([, fields]) => bytesField(GRAPH_INITIALIZER, encodeMessage(fields)));
      const newGraph: Field[] = [
        ...graph.nodes.map((n) => bytesField(GRAPH_NODE, encodeNode(n))),
        ...initializers,
        ...written,
        ...writtenRaw,
        // The outputs where the first of them was, so an unchanged graph is written back in its own order.
        ...graphFields.flatMap((f, i) => {
          if (f.no === GRAPH_NODE || f.no === GRAPH_INITIALIZER) return [];
          if (f.no !== GRAPH_OUTPUT) return [f];
          return graphFields.findIndex((g) => g.no === GRAPH_OUTPUT) === i ? outputFields : [];
        }),
      ];
      const opset = bytesField(MODEL_OPSET_IMPORT, encodeMessage([stringField(OPSET_DOMAIN, ''), varintField(OPSET_VERSION, opened.opsetVersion)]));
      return encodeMessage(
        modelFields.map((f) => {
          if (f === graphField) return bytesField(MODEL_GRAPH, encodeMessage(newGraph));
          return f === standardOpset && opened.opsetVersion !== readVersion ? opset : f;
        }),
      );
    },
  };
  return opened;
}
