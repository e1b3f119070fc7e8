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
 * raw_data. The protobuf is written by protobufjs from the subset of onnx.proto below (field
 * numbers as in onnx/onnx.proto); the metadata carries the model's hidden width, accuracy,
 * creation time and training config.
 */
import protobuf from 'protobufjs';
import { CLASSES, hiddenWidth, PIXELS } from '../network/params.js';
import type { Model } from './model.js';

/** The ONNX operator set the graph uses, and the IR version that goes with it. */
export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 7;

/** The messages of onnx.proto (ONNX 1.8+) this exporter writes, with their field numbers. */
const ONNX_PROTO = `
syntax = "proto2";
package onnx;
message AttributeProto {
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  repeated int64 ints = 8;
  optional int32 type = 20;
}
message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
}
message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}
message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  optional string name = 8;
  optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
  }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
}
message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

/** TensorProto.DataType and AttributeProto.AttributeType values used here. */
const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;

let schema: protobuf.Type | null = null;
/** onnx.ModelProto, parsed once. */
export function onnxModelProto(): protobuf.Type {
  schema ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return schema;
}

const dim = (d: number | string) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d });
const tensorType = (name: string, elemType: number, dims: (number | string)[], doc: string) => ({
  name,
  doc_string: doc,
  type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map(dim) } } },
});
const initializer = (name: string, dims: number[], data: Float32Array) => ({
  name,
  dims,
  data_type: FLOAT,
  // Float32Array stores in the platform's order, little-endian on every platform Node runs on.
  raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
});
const intAttr = (name: string, i: number) => ({ name, i, type: ATTR_INT });
const node = (
  op_type: string,
  input: string[],
  output: string,
  attribute: object[] = [],
  doc = '',
) => ({ op_type, input, output: [output], name: output, attribute, doc_string: doc });

/** The model as ONNX protobuf bytes (a `.onnx` file). */
export function modelToOnnx(model: Model, producerVersion = '0.1.0'): Uint8Array {
  const { params, meta } = model;
  const H = hiddenWidth(params);
  const graph = {
    name: 'mnist-ts',
    doc_string:
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
  const Proto = onnxModelProto();
  const message = Proto.fromObject({
    ir_version: ONNX_IR_VERSION,
    producer_name: 'mnist-ts',
    producer_version: producerVersion,
    model_version: 1,
    doc_string: 'The notes’ two-layer MNIST network, exported by mnist-ts.',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph,
    metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  return Proto.encode(message).finish();
}
