/**
 * A model as a standard ONNX graph, the notes' forward pass ① in ONNX operators (opset 13):
 *
 *   input (N, 784) float, pixels in [0, 1] (bytes / 255, the notes' scaling)
 *   Z1 = Gemm(input, W1, b1, transB=1)        (N, H)    = X·W1ᵀ + b1
 *   A1 = Relu(Z1)                             (N, H)
 *   Z2 = Gemm(A1, W2, b2, transB=1)           (N, 10)
 *   probabilities = Softmax(Z2, axis=1)       (N, 10)   the notes' A2, one row per image
 *   labels = ArgMax(Z2, axis=1, keepdims=0)   (N) int64
 *
 * W1 (H, 784), b1 (H), W2 (10, H), b2 (10) are float initializers stored as little-endian
 * raw_data. The protobuf is written with the messages of onnx/onnx.proto as the `onnx-proto`
 * package compiles them (protobufjs), so the field numbers are ONNX's own; the metadata carries
 * the model's hidden width, accuracy, creation time and training config.
 */
import onnxProto, { type onnx as Onnx } from 'onnx-proto';
import { CLASSES, hiddenWidth, PIXELS } from '../network/params.js';
import type { Model } from './model.js';

const { onnx } = onnxProto;

/** The ONNX operator set the graph uses, and the IR version that goes with it. */
export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION: number = onnx.Version.IR_VERSION_2020_5_8; // 7

/** onnx.ModelProto (encode, decode, toObject), from onnx/onnx.proto. */
export const onnxModelProto = () => onnx.ModelProto;

const { FLOAT, INT64 } = onnx.TensorProto.DataType;

const dim = (d: number | string): Onnx.TensorShapeProto.IDimension =>
  typeof d === 'number' ? { dimValue: d } : { dimParam: d };
const tensorType = (
  name: string,
  elemType: number,
  dims: (number | string)[],
  docString: string,
): Onnx.IValueInfoProto => ({
  name,
  docString,
  type: { tensorType: { elemType, shape: { dim: dims.map(dim) } } },
});
const initializer = (name: string, dims: number[], data: Float32Array): Onnx.ITensorProto => ({
  name,
  dims,
  dataType: FLOAT,
  // Float32Array stores in the platform's order, little-endian on every platform Node runs on.
  rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
});
const intAttr = (name: string, i: number): Onnx.IAttributeProto => ({
  name,
  i,
  type: onnx.AttributeProto.AttributeType.INT,
});
const node = (
  opType: string,
  input: string[],
  output: string,
  attribute: Onnx.IAttributeProto[] = [],
  docString = '',
): Onnx.INodeProto => ({ opType, input, output: [output], name: output, attribute, docString });

/** The model as ONNX protobuf bytes (a `.onnx` file). */
export function modelToOnnx(model: Model, producerVersion = '0.1.0'): Uint8Array {
  const { params, meta } = model;
  const H = hiddenWidth(params);
  const graph: Onnx.IGraphProto = {
    name: 'mnist-ts',
    docString:
      'Two-layer MNIST network: Z1 = X·W1ᵀ + b1, A1 = ReLU(Z1), Z2 = A1·W2ᵀ + b2, A2 = softmax(Z2).',
    input: [
      tensorType('input', FLOAT, ['N', PIXELS], 'N images of 784 pixels in [0, 1] (bytes / 255)'),
    ],
    output: [
      tensorType(
        'probabilities',
        FLOAT,
        ['N', CLASSES],
        'class probabilities (A2), one row per image',
      ),
      tensorType('labels', INT64, ['N'], 'the most likely class of each image'),
    ],
    initializer: [
      initializer('W1', [H, PIXELS], params.W1.data),
      initializer('b1', [H], params.b1.data),
      initializer('W2', [CLASSES, H], params.W2.data),
      initializer('b2', [CLASSES], params.b2.data),
    ],
    node: [
      node('Gemm', ['input', 'W1', 'b1'], 'Z1', [intAttr('transB', 1)], 'Z1 = X·W1ᵀ + b1'),
      node('Relu', ['Z1'], 'A1', [], 'A1 = ReLU(Z1)'),
      node('Gemm', ['A1', 'W2', 'b2'], 'Z2', [intAttr('transB', 1)], 'Z2 = A1·W2ᵀ + b2'),
      node('Softmax', ['Z2'], 'probabilities', [intAttr('axis', 1)], 'A2 = softmax(Z2) per image'),
      node('ArgMax', ['Z2'], 'labels', [intAttr('axis', 1), intAttr('keepdims', 0)]),
    ],
  };
  const metadata: Record<string, string> = {
    hidden: String(H),
    testAccuracy: String(meta.testAccuracy ?? ''),
    createdAt: meta.createdAt,
    config: JSON.stringify(meta.config),
  };
  const message = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: 'mnist-ts',
    producerVersion,
    modelVersion: 1,
    docString: 'The notes’ two-layer MNIST network, exported by mnist-ts.',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(message).finish();
}
