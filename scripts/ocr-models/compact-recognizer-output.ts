/**
 * Makes the recogniser answer with what the pipeline reads (lib/ocr/recognizer-output.ts) instead of all
 * 6,625 class probabilities per step: each step's best class and its probability, the probabilities of
 * the kept classes, which classes those are, and how many classes the model has (for the dictionary
 * check). The model's own output is computed as before; these nodes only read it.
 */
import { RECOGNIZER_OUTPUT_NAMES } from '../../lib/ocr/recognizer-output';
import { DataType, intAttribute, intsAttribute, namedNode, readOnnxModel } from './onnx-graph';

const int64Bytes = (values: readonly number[]) => new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
const int32Bytes = (values: readonly number[]) => new Uint8Array(Int32Array.from(values).buffer);

/** `model`'s one output is [N,T,C] probabilities; `keptClasses` are the classes whose probabilities stay. */
export function compactRecognizerOutput(model: Uint8Array, keptClasses: readonly number[]): Uint8Array {
  const opened = readOnnxModel(model);
  const { graph } = opened;
  if (graph.graphOutputs.size !== 1) throw new Error(`compact-recognizer-output: expected one output, found ${graph.graphOutputs.size}`);
  const [probabilities] = [...graph.graphOutputs] as [string];
  const names = RECOGNIZER_OUTPUT_NAMES;
  const classAxis = 2;
  const bestClass64 = graph.freshName('best_class_int64');
  const shape = graph.freshName('probabilities_shape');
  const classCount64 = graph.freshName('class_count_int64');
  const keptIndices = graph.addRawTensor('kept_class_indices', DataType.INT64, [keptClasses.length], int64Bytes(keptClasses));
  const keptClassList = graph.addRawTensor('kept_class_list', DataType.INT32, [keptClasses.length], int32Bytes(keptClasses));
  const classAxisIndex = graph.addRawTensor('class_axis', DataType.INT64, [], int64Bytes([classAxis]));
  // ReduceMax's axes became an input in opset 18.
  const reduceMax =
    opened.opsetVersion >= 18
      ? namedNode('compact/best_probability', 'ReduceMax', [probabilities, graph.addRawTensor('reduce_axes', DataType.INT64, [1], int64Bytes([classAxis]))], [names.bestProbability], [intAttribute('keepdims', 0)])
      : namedNode('compact/best_probability', 'ReduceMax', [probabilities], [names.bestProbability], [intsAttribute('axes', [classAxis]), intAttribute('keepdims', 0)]);
  graph.nodes.push(
    // ArgMax gives the first of equal maxima, as the decoder always took.
    namedNode('compact/best_class', 'ArgMax', [probabilities], [bestClass64], [intAttribute('axis', classAxis), intAttribute('keepdims', 0)]),
    namedNode('compact/best_class_int32', 'Cast', [bestClass64], [names.bestClass], [intAttribute('to', DataType.INT32)]),
    reduceMax,
    namedNode('compact/kept_probabilities', 'Gather', [probabilities, keptIndices], [names.keptProbabilities], [intAttribute('axis', classAxis)]),
    namedNode('compact/kept_classes', 'Identity', [keptClassList], [names.keptClasses]),
    namedNode('compact/shape', 'Shape', [probabilities], [shape]),
    namedNode('compact/class_count', 'Gather', [shape, classAxisIndex], [classCount64], [intAttribute('axis', 0)]),
    namedNode('compact/class_count_int32', 'Cast', [classCount64], [names.classCount], [intAttribute('to', DataType.INT32)]),
  );
  opened.replaceOutputs([
    { name: names.bestClass, dataType: DataType.INT32 },
    { name: names.bestProbability, dataType: DataType.FLOAT },
    { name: names.keptProbabilities, dataType: DataType.FLOAT },
    { name: names.keptClasses, dataType: DataType.INT32 },
    { name: names.classCount, dataType: DataType.INT32 },
  ]);
  return opened.encode();
}
