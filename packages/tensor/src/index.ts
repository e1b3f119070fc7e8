export type { NamesOf, RawTensor, ShapeOfNested, SizesArg } from './create.js';
export { bind, clone, fill, flatten, ones, reshape, tensor, zeros, zerosLike } from './create.js';
export { check, ShapeError } from './errors.js';
export type { AxisOk, KeepAt, Reduced, ReduceOptions, RemoveAt } from './ops/axis.js';
export { columns, gatherColumns } from './ops/columns.js';
export type { BroadcastError, BroadcastOperand, ColumnOf } from './ops/elementwise.js';
export { add, div, mul, sub } from './ops/elementwise.js';
export type { MatmulError, MatmulOk, MatmulRankError } from './ops/matmul.js';
export { matmul, matmulKernel } from './ops/matmul.js';
export { oneHot } from './ops/onehot.js';
export { argmax, max, sum } from './ops/reduce.js';
export { addScalar, axpy, scale } from './ops/scalar.js';
export { softmax } from './ops/softmax.js';
export { transpose } from './ops/transpose.js';
export { exp, log, relu, reluMask } from './ops/unary.js';
export type { NormalOptions, UniformOptions } from './random.js';
export { Rng, randNormal, randUniform } from './random.js';
export type {
  AnyDim,
  Dim,
  FormatShape,
  LiteralNumber,
  LiteralShape,
  Same,
  Shape,
  SizesOf,
  Writable,
} from './shape.js';
export { formatShape, sizeOf } from './shape.js';
export type { Matrix, NestedArray } from './tensor.js';
export { Tensor } from './tensor.js';
