// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected messages quote `${M}` as the compiler prints it.
/**
 * Compile-time shape errors, tested by their text.
 *
 * Every case is a small snippet that imports the package's real `src/index.ts`. All snippets are
 * compiled together in ONE program with the package's own compiler options (tsconfig.json →
 * @mnist/tsconfig: strict, noUncheckedIndexedAccess, NodeNext), by each compiler a user may
 * meet: TypeScript 5 through its API, and the workspace's TypeScript 7 `tsc`. A
 * failing case marks the line of the bad call with `// <- error`; the test asserts that a
 * diagnostic on exactly that line carries the expected message, and that no other line has one.
 * A passing case must have no diagnostics at all, and checks its inferred types with `Equal`.
 */
import ts from 'typescript-api';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ENTRY,
  type Finding,
  type Findings,
  findingsOfApi,
  findingsOfTsc,
  PKG,
} from './compile.js';

const PRELUDE = `import {
  add, type AnyDim, argmax, axpy, bind, columns, type Dim, div, exp, gatherColumns, log, matmul,
  max, mul, oneHot, ones, randNormal, randUniform, relu, reluMask, reshape, Rng, scale, softmax,
  sub, sum, type Tensor, tensor, transpose, zeros,
} from ${JSON.stringify(ENTRY)};
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends (<T>() => T extends Y ? 1 : 2) ? true : false;
// The notes' tensors, m examples.
declare const W1: Tensor<[10, 784]>;
declare const b1: Tensor<[10, 1]>;
declare const W2: Tensor<[10, 10]>;
declare const b2: Tensor<[10, 1]>;
declare const X: Tensor<[784, 'm']>;
declare const Y: Tensor<[10, 'm']>;
`;

interface Case {
  readonly name: string;
  readonly code: string;
  /** The exact message expected on the line marked `// <- error`; none for a passing case. */
  readonly error?: string;
  /**
   * How the message is printed: `"…"` when the compiler could decide the check (concrete dims),
   * `` `…` `` with `${M}` for each type parameter when the check waits on a generic dim, and
   * `plain` for a compiler message of its own (the whole text must appear in the diagnostic).
   */
  readonly quote?: '"' | '`' | 'plain';
}

const MARK = '// <- error';

/** The opening of a function generic over the hidden width H and the batches M and N. */
const GENERIC =
  'function f<H extends Dim, M extends Dim, N extends Dim>(W1: Tensor<[H, 784]>, b1: Tensor<[H, 1]>, W2: Tensor<[10, H]>, b2: Tensor<[10, 1]>, X: Tensor<[784, M]>, Y: Tensor<[10, M]>, Q: Tensor<[10, N]>) {\n  const Z1 = add(matmul(W1, X), b1);\n  const A1 = relu(Z1);\n  const A2 = softmax(add(matmul(W2, A1), b2), 0);\n  const dZ2 = sub(A2, Y);\n';

const failing: Case[] = [
  {
    name: 'matmul(W2, X): inner dims 10 and 784',
    code: `matmul(W2, X); ${MARK}`,
    error: 'matmul: inner dims 10 and 784 differ ([10, 10] x [784, m])',
  },
  {
    name: 'matmul with named dims that differ',
    code: `declare const A: Tensor;
declare const B: Tensor;
const Z = matmul(A as Tensor<[10, 'm']>, B as Tensor<['n', 5]>); ${MARK}`,
    error: 'matmul: inner dims m and n differ ([10, m] x [n, 5])',
  },
  {
    name: 'a bias of the wrong height: add(matmul(W1, X), b) with b [784, 1]',
    code: `declare const b: Tensor<[784, 1]>;
add(matmul(W1, X), b); ${MARK}`,
    error:
      'add: shapes differ ([10, m] + [784, 1]); the second must equal the first or be a column [10, 1]',
  },
  {
    name: 'sub of shapes that differ',
    code: `declare const Q: Tensor<[10, 'n']>;
sub(Y, Q); ${MARK}`,
    error:
      'sub: shapes differ ([10, m] - [10, n]); the second must equal the first or be a column [10, 1]',
  },
  {
    name: 'mul of shapes that differ (the ReLU mask of the wrong layer)',
    code: `declare const Z1: Tensor<[10, 'm']>;
mul(matmul(W2, Z1), reluMask(X)); ${MARK}`,
    error:
      'mul: shapes differ ([10, m] * [784, m]); the second must equal the first or be a column [10, 1]',
  },
  {
    name: 'div by a row, which does not broadcast',
    code: `declare const row: Tensor<[1, 'm']>;
div(Y, row); ${MARK}`,
    error:
      'div: shapes differ ([10, m] / [1, m]); the second must equal the first or be a column [10, 1]',
  },
  ...(['sum', 'max', 'argmax', 'softmax'] as const).map((op) => ({
    name: `${op}(X, 2): an axis the shape does not have`,
    code: `${op}(X, 2); ${MARK}`,
    error: `${op}: axis 2 out of range for shape [784, m] (rank 2)`,
  })),
  {
    name: 'sum over a negative axis',
    code: `sum(Y, -1, { keepDims: true }); ${MARK}`,
    error: 'sum: axis -1 out of range for shape [10, m] (rank 2)',
  },
  {
    name: 'axpy with the gradient of another parameter',
    code: `declare const dW2: Tensor<[10, 10]>;
axpy(W1, 0.1, dW2); ${MARK}`,
    error:
      'axpy: shapes differ ([10, 784] - [10, 10]); the gradient must have the shape of the tensor it updates',
  },
  {
    name: 'zeros([n, 3]) with n: number',
    code: `declare const n: number;
zeros([n, 3]); ${MARK}`,
    error:
      "zeros: a dimension is widened to number or string; use a literal size (784) or a named dim ('m')",
  },
  {
    name: 'zeros(shape) with shape: number[]',
    code: `declare const shape: number[];
zeros(shape); ${MARK}`,
    error:
      "zeros: shape is number[]; write the dims as literals (e.g. [784, 'm']) or bring untyped data in through bind",
  },
  {
    name: 'tensor(arr) with arr: number[][]',
    code: `declare const arr: number[][];
tensor(arr); ${MARK}`,
    error:
      'tensor: array lengths are not known at compile time (number[]); write an array literal, or bring untyped data in through bind',
  },
  {
    name: 'a ragged tensor literal',
    code: `tensor([[1, 2], [3]]); ${MARK}`,
    error: 'tensor: ragged nested array; every array at one depth must have the same length',
  },
  {
    name: 'bind with a spec of widened dims',
    code: `declare const spec: number[];
bind({ X: spec }, { X: { data: [], shape: [] } }); ${MARK}`,
    error:
      "bind: shape is number[]; write the dims as literals (e.g. [784, 'm']) or bring untyped data in through bind",
  },
  {
    name: 'oneHot with classes: number',
    code: `declare const labels: Tensor<['m']>;
declare const classes: number;
oneHot(labels, classes); ${MARK}`,
    error:
      "oneHot: a dimension is widened to number or string; use a literal size (784) or a named dim ('m')",
  },
  {
    name: 'columns with a name of type string',
    code: `declare const name: string;
columns(X, 0, 128, name); ${MARK}`,
    error:
      "columns: a dimension is widened to number or string; use a literal size (784) or a named dim ('m')",
  },
  {
    name: 'a second mistake in a chain: W2 · A1 with A1 transposed',
    code: `const A1 = relu(add(matmul(W1, X), b1));
const Z2 = add(matmul(W2, transpose(A1)), b2); ${MARK}`,
    error: 'matmul: inner dims 10 and m differ ([10, 10] x [m, 10])',
  },

  // Generic code: the check waits on a type parameter, and the compiler prints the message
  // with each generic dim as `${M}`; see docs/errors.md.
  ...(
    [
      [
        'matmul(Z1, X): the issue’s example',
        'matmul(Z1, X)',
        'matmul: inner dims ${M} and 784 differ ([${H}, ${M}] x [784, ${M}])',
      ],
      [
        'matmul(W2, X): X where A1 belongs',
        'matmul(W2, X)',
        'matmul: inner dims ${H} and 784 differ ([10, ${H}] x [784, ${M}])',
      ],
      [
        'dW2 without the transpose: matmul(dZ2, A1)',
        'matmul(dZ2, A1)',
        'matmul: inner dims ${M} and ${H} differ ([10, ${M}] x [${H}, ${M}])',
      ],
      [
        'W2 · dZ2 without transposing W2',
        'matmul(W2, dZ2)',
        'matmul: inner dims ${H} and 10 differ ([10, ${H}] x [10, ${M}])',
      ],
      [
        'the bias of the other layer: add(W1·X, b2)',
        'add(matmul(W1, X), b2)',
        'add: shapes differ ([${H}, ${M}] + [10, 1]); the second must equal the first or be a column [${H}, 1]',
      ],
      [
        'labels of another set: sub(A2, Q)',
        'sub(A2, Q)',
        'sub: shapes differ ([10, ${M}] - [10, ${N}]); the second must equal the first or be a column [10, 1]',
      ],
      [
        'the ReLU mask of the input: mul(W2ᵀ·dZ2, g′(X))',
        'mul(matmul(transpose(W2), dZ2), reluMask(X))',
        'mul: shapes differ ([${H}, ${M}] * [784, ${M}]); the second must equal the first or be a column [${H}, 1]',
      ],
      [
        'div by a row',
        'div(Z1, sum(Z1, 0, { keepDims: true }))',
        'div: shapes differ ([${H}, ${M}] / [1, ${M}]); the second must equal the first or be a column [${H}, 1]',
      ],
      [
        'the update with the other layer’s gradient',
        'axpy(W1, 0.1, matmul(dZ2, transpose(A1)))',
        'axpy: shapes differ ([${H}, 784] - [10, ${H}]); the gradient must have the shape of the tensor it updates',
      ],
      [
        'sum over an axis the shape does not have',
        'sum(dZ2, 2, { keepDims: true })',
        'sum: axis 2 out of range for shape [10, ${M}] (rank 2)',
      ],
      [
        'softmax over an axis the shape does not have',
        'softmax(Z1, 2)',
        'softmax: axis 2 out of range for shape [${H}, ${M}] (rank 2)',
      ],
      ['transpose of a vector', 'transpose(sum(Z1, 1))', 'transpose: expects a matrix, got [${H}]'],
      [
        'oneHot of a matrix',
        'oneHot(A2, 10)',
        'oneHot: labels must be a vector [m], got [10, ${M}]',
      ],
      [
        'matmul of a vector',
        'matmul(W2, sum(A1, 1))',
        'matmul: expects two matrices, got rank 2 and rank 1 ([10, ${H}] x [${H}])',
      ],
    ] as const
  ).map(([name, call, error]) => ({
    name: `generic: ${name}`,
    code: `${GENERIC}  ${call}; ${MARK}\n}`,
    error,
    quote: '`' as const,
  })),
  {
    name: 'transpose of a vector (concrete)',
    code: `transpose(sum(Y, 1)); ${MARK}`,
    error: 'transpose: expects a matrix, got [10]',
  },
  {
    name: 'oneHot of one-hot labels (concrete)',
    code: `oneHot(Y, 10); ${MARK}`,
    error: 'oneHot: labels must be a vector [m], got [10, m]',
  },
  {
    name: 'matmul of a vector (concrete)',
    code: `matmul(sum(Y, 1), X); ${MARK}`,
    error: 'matmul: expects two matrices, got rank 1 and rank 2 ([10] x [784, m])',
  },
  {
    name: 'columns of a vector',
    code: `columns(sum(X, 1), 0, 10, 'batch'); ${MARK}`,
    error: 'columns: expects a matrix, got [784]',
  },
  {
    name: 'gatherColumns of a 3-d tensor',
    code: `declare const T3: Tensor<[2, 3, 4]>;
gatherColumns(T3, [0], 'batch'); ${MARK}`,
    error: 'gatherColumns: expects a matrix, got [2, 3, 4]',
  },
  {
    name: 'training outputs against test labels: mTrain and mTest never meet',
    code: `declare const Xtr: Tensor<[784, 'mTrain']>;
declare const Yte: Tensor<[10, 'mTest']>;
const A2 = softmax(add(matmul(W2, relu(add(matmul(W1, Xtr), b1))), b2), 0);
sub(A2, Yte); ${MARK}`,
    error:
      'sub: shapes differ ([10, mTrain] - [10, mTest]); the second must equal the first or be a column [10, 1]',
  },
  {
    name: 'a generic step called with training images and test labels: M does not widen to a union',
    code: `declare const Xtr: Tensor<[784, 'mTrain']>;
declare const Yte: Tensor<[10, 'mTest']>;
function step<M extends Dim>(X: Tensor<[784, M]>, Y: Tensor<[10, M]>) {
  return sub(softmax(add(matmul(W2, relu(add(matmul(W1, X), b1))), b2), 0), Y);
}
step(Xtr, Yte); ${MARK}`,
    error: `Type '"mTest"' is not assignable to type '"mTrain"'.`,
    quote: 'plain',
  },
  {
    name: 'the same inside generic code: two batch dims M and N are not one',
    code: `function step<M extends Dim>(X: Tensor<[784, M]>, Y: Tensor<[10, M]>) {
  return sub(softmax(add(matmul(W2, relu(add(matmul(W1, X), b1))), b2), 0), Y);
}
function outer<M extends Dim, N extends Dim>(X: Tensor<[784, M]>, Y: Tensor<[10, N]>) {
  return step(X, Y); ${MARK}
}`,
    error: `Type 'N' is not assignable to type 'M'.`,
    quote: 'plain',
  },
];

const passing: Case[] = [
  {
    name: 'matmul and transpose',
    code: `const r = matmul(W1, X);
const _r: Equal<typeof r, Tensor<[10, 'm']>> = true;
const t = transpose(X);
const _t: Equal<typeof t, Tensor<['m', 784]>> = true;
const g = matmul(Y, transpose(X));
const _g: Equal<typeof g, Tensor<[10, 784]>> = true;`,
  },
  {
    name: 'add with a bias column, and same-shape sub/mul/div',
    code: `const Z1 = add(matmul(W1, X), b1);
const _z: Equal<typeof Z1, Tensor<[10, 'm']>> = true;
const d = div(mul(sub(Z1, Y), Z1), Y);
const _d: Equal<typeof d, Tensor<[10, 'm']>> = true;`,
  },
  {
    name: 'sum with and without keepDims, max, argmax',
    code: `const s1 = sum(Y, 1);
const _s1: Equal<typeof s1, Tensor<[10]>> = true;
const k1 = sum(Y, 1, { keepDims: true });
const _k1: Equal<typeof k1, Tensor<[10, 1]>> = true;
const s0 = sum(Y, 0);
const _s0: Equal<typeof s0, Tensor<['m']>> = true;
const m0 = max(Y, 0, { keepDims: true });
const _m0: Equal<typeof m0, Tensor<[1, 'm']>> = true;
const p = argmax(Y, 0);
const _p: Equal<typeof p, Tensor<['m']>> = true;
declare const T3: Tensor<[2, 3, 4]>;
const r3 = sum(T3, 1);
const _r3: Equal<typeof r3, Tensor<[2, 4]>> = true;`,
  },
  {
    name: 'softmax, exp, log, relu, scale',
    code: `const A2 = softmax(add(matmul(W2, Y), b2), 0);
const _a: Equal<typeof A2, Tensor<[10, 'm']>> = true;
const e = scale(log(exp(relu(A2))), 2);
const _e: Equal<typeof e, Tensor<[10, 'm']>> = true;`,
  },
  {
    name: 'oneHot, columns, gatherColumns',
    code: `declare const labels: Tensor<['m']>;
const Y1 = oneHot(labels, 10);
const _y: Equal<typeof Y1, Tensor<[10, 'm']>> = true;
const B = columns(X, 0, 128, 'batch');
const _b: Equal<typeof B, Tensor<[784, 'batch']>> = true;
const G = gatherColumns(X, [3, 1, 2], 'batch');
const _g: Equal<typeof G, Tensor<[784, 'batch']>> = true;`,
  },
  {
    name: 'bind, tensor literals, zeros/ones/reshape and the random initialisers',
    code: `const { X: X2, Y: Y2 } = bind({ X: [784, 'm'], Y: [10, 'm'] }, { X: { data: [], shape: [784, 0] }, Y: { data: [], shape: [10, 0] } });
const _x: Equal<typeof X2, Tensor<[784, 'm']>> = true;
const _y: Equal<typeof Y2, Tensor<[10, 'm']>> = true;
const t = tensor([[1, 2], [3, 4]]);
const _t: Equal<typeof t, Tensor<[2, 2]>> = true;
const v = tensor([1, 2, 3]);
const _v: Equal<typeof v, Tensor<[3]>> = true;
const z = zeros([10, 'm'], { m: 32 });
const _z: Equal<typeof z, Tensor<[10, 'm']>> = true;
const o = ones([10, 1]);
const _o: Equal<typeof o, Tensor<[10, 1]>> = true;
const img = reshape(zeros([784]), [28, 28]);
const _img: Equal<typeof img, Tensor<[28, 28]>> = true;
const rng = new Rng(1);
const W = randUniform([10, 784], { rng });
const _w: Equal<typeof W, Tensor<[10, 784]>> = true;
const H = randNormal(['h', 784], { rng, std: 0.05 }, { h: 64 });
const _h: Equal<typeof H, Tensor<['h', 784]>> = true;`,
  },
  {
    name: 'the notes’ forward and backward pass, generic over the batch M and hidden width H, no casts',
    code: `function step<H extends Dim, M extends Dim>(
  W1: Tensor<[H, 784]>, b1: Tensor<[H, 1]>, W2: Tensor<[10, H]>, b2: Tensor<[10, 1]>,
  X: Tensor<[784, M]>, Y: Tensor<[10, M]>, alpha: number,
) {
  const m = X.shape[1]!;
  // ① forward
  const Z1 = add(matmul(W1, X), b1); //            (H, 784)·(784, m) + (H, 1)
  const A1 = relu(Z1); //                           (H, m)
  const Z2 = add(matmul(W2, A1), b2); //           (10, H)·(H, m) + (10, 1)
  const A2 = softmax(Z2, 0); //                     (10, m)
  // ② backward
  const dZ2 = sub(A2, Y); //                                      (10, m)
  const dW2 = scale(matmul(dZ2, transpose(A1)), 1 / m); //         (10, H)
  const db2 = scale(sum(dZ2, 1, { keepDims: true }), 1 / m); //    (10, 1)
  const dZ1 = mul(matmul(transpose(W2), dZ2), reluMask(Z1)); //   (H, m)
  const dW1 = scale(matmul(dZ1, transpose(X)), 1 / m); //          (H, 784)
  const db1 = scale(sum(dZ1, 1, { keepDims: true }), 1 / m); //    (H, 1)
  // ③ update
  axpy(W1, alpha, dW1);
  axpy(b1, alpha, db1);
  axpy(W2, alpha, dW2);
  axpy(b2, alpha, db2);
  const _z1: Equal<typeof Z1, Tensor<[H, M]>> = true;
  const _a2: Equal<typeof A2, Tensor<[10, M]>> = true;
  const _dz1: Equal<typeof dZ1, Tensor<[H, M]>> = true;
  return { A2, dW1, db1, dW2, db2 };
}
const g = step(W1, b1, W2, b2, X, Y, 0.1);
const _dW1: Equal<typeof g.dW1, Tensor<[10, 784]>> = true;
const _db1: Equal<typeof g.db1, Tensor<[10, 1]>> = true;
const _dW2: Equal<typeof g.dW2, Tensor<[10, 10]>> = true;
const _db2: Equal<typeof g.db2, Tensor<[10, 1]>> = true;
const _A2: Equal<typeof g.A2, Tensor<[10, 'm']>> = true;
declare const V1: Tensor<['h', 784]>;
declare const c1: Tensor<['h', 1]>;
declare const V2: Tensor<[10, 'h']>;
const h = step(V1, c1, V2, b2, X, Y, 0.1);
const _hW1: Equal<typeof h.dW1, Tensor<['h', 784]>> = true;
const _hb1: Equal<typeof h.db1, Tensor<['h', 1]>> = true;
const _hW2: Equal<typeof h.dW2, Tensor<[10, 'h']>> = true;
const _hb2: Equal<typeof h.db2, Tensor<[10, 1]>> = true;
// Inside the generic function the result types are the notes' shapes in H:
function shapes<H extends Dim, M extends Dim>(W1: Tensor<[H, 784]>, b1: Tensor<[H, 1]>, W2: Tensor<[10, H]>, b2: Tensor<[10, 1]>, X: Tensor<[784, M]>, Y: Tensor<[10, M]>) {
  const r = step(W1, b1, W2, b2, X, Y, 0.1);
  const _1: Equal<typeof r.dW1, Tensor<[H, 784]>> = true;
  const _2: Equal<typeof r.db1, Tensor<[H, 1]>> = true;
  const _3: Equal<typeof r.dW2, Tensor<[10, H]>> = true;
  const _4: Equal<typeof r.db2, Tensor<[10, 1]>> = true;
}`,
  },
  {
    name: 'valid programs: hidden sizes 10, 32, 128 and h, concrete and generic, mini-batches, a second set',
    code: `interface Params<H extends Dim = AnyDim> {
  readonly W1: Tensor<[H, 784]>;
  readonly b1: Tensor<[H, 1]>;
  readonly W2: Tensor<[10, H]>;
  readonly b2: Tensor<[10, 1]>;
}
function forward<H extends Dim, M extends Dim>(p: Params<H>, X: Tensor<[784, M]>) {
  const Z1 = add(matmul(p.W1, X), p.b1);
  const A1 = relu(Z1);
  const A2 = softmax(add(matmul(p.W2, A1), p.b2), 0);
  return { Z1, A1, A2 };
}
function train<H extends Dim, M extends Dim>(p: Params<H>, X: Tensor<[784, M]>, Y: Tensor<[10, M]>) {
  const { Z1, A1, A2 } = forward(p, X);
  const dZ2 = sub(A2, Y);
  const dW2 = matmul(dZ2, transpose(A1));
  const db2 = sum(dZ2, 1, { keepDims: true });
  const dZ1 = mul(matmul(transpose(p.W2), dZ2), reluMask(Z1));
  const dW1 = matmul(dZ1, transpose(X));
  const db1 = sum(dZ1, 1, { keepDims: true });
  axpy(p.W1, 0.1, dW1);
  axpy(p.b1, 0.1, db1);
  axpy(p.W2, 0.1, dW2);
  axpy(p.b2, 0.1, db2);
  return dZ2;
}
function width(p: Params): number {
  return p.W1.shape[0]!;
}
declare const Xtr: Tensor<[784, 'mTrain']>;
declare const Ltr: Tensor<['mTrain']>;
declare const Xte: Tensor<[784, 'mTest']>;
declare const Lte: Tensor<['mTest']>;
const rng = new Rng(1);
const p10 = { W1: randUniform([10, 784], { rng }), b1: zeros([10, 1]), W2: randUniform([10, 10], { rng }), b2: zeros([10, 1]) };
const p32 = { W1: randUniform([32, 784], { rng }), b1: zeros([32, 1]), W2: randUniform([10, 32], { rng }), b2: zeros([10, 1]) };
const p128 = { W1: randNormal([128, 784], { rng }), b1: zeros([128, 1]), W2: randNormal([10, 128], { rng }), b2: zeros([10, 1]) };
const ph: Params<'h'> = { W1: randUniform(['h', 784], { rng }, { h: 64 }), b1: zeros(['h', 1], { h: 64 }), W2: randUniform([10, 'h'], { rng }, { h: 64 }), b2: zeros([10, 1]) };
const Ytr = oneHot(Ltr, 10);
// sets of different widths together: typed Params (AnyDim), since H is one dim per call
const all: Params[] = [p10, p32, p128, ph];
for (const p of all) train(p, Xtr, Ytr);
train(p10, Xtr, Ytr);
train(p32, Xtr, Ytr);
train(ph, Xtr, Ytr);
// mini-batches: a slice and a shuffled gather, each its own named dim
const Xb = columns(Xtr, 0, 64, 'batch');
const Yb = columns(Ytr, 0, 64, 'batch');
const dZ2b = train(p128, Xb, Yb);
const _b: Equal<typeof dZ2b, Tensor<[10, 'batch']>> = true;
const idx = [3, 1, 2];
train(ph, gatherColumns(Xtr, idx, 'shuffled'), gatherColumns(Ytr, idx, 'shuffled'));
// evaluation on a second set, with the parameters trained on the first
const { A2: A2te } = forward(p32, Xte);
const predicted = argmax(A2te, 0);
const _p: Equal<typeof predicted, Tensor<['mTest']>> = true;
const err = sub(A2te, oneHot(Lte, 10));
const _e: Equal<typeof err, Tensor<[10, 'mTest']>> = true;
// code that does not track H, and untyped tensors
const widths = [width(p10), width(p128), width(ph)];
const any: Tensor = Xtr;
const _w: Equal<typeof widths, number[]> = true;`,
  },
  {
    name: 'the Equal helper itself tells types apart (a wrong expectation is an error)',
    code: `const r = matmul(W1, X);
const _r: Equal<typeof r, Tensor<[10, 784]>> = true; ${MARK}`,
    error: "Type 'true' is not assignable to type 'false'.",
  },
];

// ---------------------------------------------------------------------------------------------

const fileOf = (i: number) => `${PKG}test/__typecheck_${i}.ts`;
const cases = [...failing, ...passing];
const files = new Map(cases.map((c, i) => [fileOf(i), `${PRELUDE}${c.code}\n`]));

/** What one compiler reported: per case, and outside any snippet. */
interface Compiled {
  readonly name: string;
  readonly perCase: Map<Case, readonly Finding[]>;
  readonly global: readonly string[];
}

function compiled(name: string, result: { perFile: Findings; global: string[] }): Compiled {
  const perCase = new Map(cases.map((c, i) => [c, result.perFile.get(fileOf(i)) ?? []]));
  return { name, perCase, global: result.global };
}

/**
 * Both compilers a user may meet: TypeScript 5 through its API (one in-memory program), and the
 * workspace's `tsc` (TypeScript 7) over the same snippets on disk. Each must print every message.
 */
const compilers: Compiled[] = [];
beforeAll(async () => {
  compilers.push(compiled(`typescript ${ts.version} (API)`, findingsOfApi(files)));
  const native = await findingsOfTsc(files);
  compilers.push(compiled(`${native.version} (tsc)`, native));
}, 180_000);

function markedLine(c: Case): number {
  const lines = `${PRELUDE}${c.code}\n`.split('\n');
  const marked = lines.flatMap((l, i) => (l.includes(MARK) ? [i + 1] : []));
  expect(marked, `${c.name}: exactly one line marked ${MARK}`).toHaveLength(1);
  return marked[0]!;
}

describe.each([0, 1])('compiler %i of 2', (k) => {
  it('compiles every snippet in one program with the package options', () => {
    const compiler = compilers[k]!;
    expect(compiler.global, compiler.name).toEqual([]);
    expect(compiler.perCase.size).toBe(cases.length);
  });

  it.each(failing)('$name', (c) => {
    const compiler = compilers[k]!;
    const line = markedLine(c);
    const found = compiler.perCase.get(c)!;
    // The message is a string literal type in the diagnostic, so it must appear quoted: the
    // whole text, not a prefix of a longer one.
    const q = c.quote ?? '"';
    const want = q === 'plain' ? c.error! : `${q}${c.error}${q}`;
    const context = `${compiler.name}: ${JSON.stringify(found, null, 1)}`;
    expect(
      found.filter((d) => d.line === line && d.text.includes(want)),
      context,
    ).not.toEqual([]);
    expect(
      found.filter((d) => d.line !== line),
      context,
    ).toEqual([]);
  });

  it.each(passing)('correct code: $name', (c) => {
    const compiler = compilers[k]!;
    const found = compiler.perCase.get(c)!;
    if (c.error === undefined) {
      expect(found, compiler.name).toEqual([]);
      return;
    }
    expect(found, compiler.name).toEqual([{ line: markedLine(c), text: c.error }]);
  });
});
