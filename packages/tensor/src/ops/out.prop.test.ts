import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dim, matrixFrom, pool } from '../../test/arbitraries.js';
import { type Mat, raw } from '../../test/reference.js';
import { bind, zerosLike } from '../create.js';
import type { Tensor } from '../tensor.js';
import { columns, gatherColumns } from './columns.js';
import { add, div, mul, sub } from './elementwise.js';
import { matmul } from './matmul.js';
import { oneHot } from './onehot.js';
import { argmax, max, sum } from './reduce.js';
import { addScalar, scale } from './scalar.js';
import { softmax } from './softmax.js';
import { transpose } from './transpose.js';
import { exp, log, relu, reluMask } from './unary.js';

/** The inputs every case draws from: A, B `[r, c]`, a column `[r, 1]`, K `[c, k]`, labels `[c]`. */
function inputs(a: Mat, b: Mat, col: Mat, k: Mat) {
  const labels = a[0]!.map((_, j) => j % 3);
  return bind(
    { A: ['r', 'c'], B: ['r', 'c'], b: ['r', 1], K: ['c', 'k'], y: ['c'] },
    { A: raw(a), B: raw(b), b: raw(col), K: raw(k), y: { data: labels, shape: [labels.length] } },
  );
}
type Inputs = ReturnType<typeof inputs>;

/**
 * Each op called without and with `out`. `out` is typed per op; here one untyped buffer serves
 * every case, so it goes in as a plain-JS caller would pass it.
 */
const cases: [string, (t: Inputs, out?: Tensor) => Tensor][] = [
  ['matmul', ({ A, K }, out) => matmul(A, K, out as never)],
  ['transpose', ({ A }, out) => transpose(A, out as never)],
  ['add', ({ A, B }, out) => add(A, B, out as never)],
  ['add (column)', ({ A, b }, out) => add(A, b, out as never)],
  ['sub', ({ A, B }, out) => sub(A, B, out as never)],
  ['mul', ({ A, b }, out) => mul(A, b, out as never)],
  ['div', ({ A, B }, out) => div(A, B, out as never)],
  ['scale', ({ A }, out) => scale(A, -1.5, out as never)],
  ['addScalar', ({ A }, out) => addScalar(A, 2.5, out as never)],
  ['exp', ({ A }, out) => exp(A, out as never)],
  ['log', ({ A }, out) => log(A, out as never)],
  ['relu', ({ A }, out) => relu(A, out as never)],
  ['reluMask', ({ A }, out) => reluMask(A, out as never)],
  ['sum', ({ A }, out) => sum(A, 1, {}, out as never)],
  ['sum (keepDims)', ({ A }, out) => sum(A, 1, { keepDims: true }, out as never)],
  ['max', ({ A }, out) => max(A, 0, {}, out as never)],
  ['argmax', ({ A }, out) => argmax(A, 0, { keepDims: true }, out as never)],
  ['softmax', ({ A }, out) => softmax(A, 0, out as never)],
  ['oneHot', ({ y }, out) => oneHot(y, 3, out as never)],
  ['columns', ({ A }, out) => columns(A, 0, A.shape[1]!, 'batch', out as never)],
  ['gatherColumns', ({ A }, out) => gatherColumns(A, [0, 0], 'batch', out as never)],
];

/** Ops for which `out` may be the first input: each element is read before it is written. */
const inPlace: [string, (t: Inputs, out?: Tensor) => Tensor][] = [
  ['add', ({ A, b }, out) => add(A, b, out as never)],
  ['sub', ({ A, B }, out) => sub(A, B, out as never)],
  ['mul', ({ A, B }, out) => mul(A, B, out as never)],
  ['div', ({ A, b }, out) => div(A, b, out as never)],
  ['scale', ({ A }, out) => scale(A, 3, out as never)],
  ['addScalar', ({ A }, out) => addScalar(A, -1, out as never)],
  ['exp', ({ A }, out) => exp(A, out as never)],
  ['relu', ({ A }, out) => relu(A, out as never)],
  ['reluMask', ({ A }, out) => reluMask(A, out as never)],
  ['softmax', ({ A }, out) => softmax(A, 0, out as never)],
];

const inputsArb = fc
  .tuple(dim, dim, dim, pool(), pool())
  .map(
    ([r, c, k, p, q]) =>
      [matrixFrom(r, c, p), matrixFrom(r, c, q), matrixFrom(r, 1, q), matrixFrom(c, k, p)] as const,
  );

/** A value no op here produces from these inputs, to show every element was written. */
const GARBAGE = 12345.5;

describe.each(cases)('%s with out', (_, f) => {
  it('gives the allocating result, written into the given buffer', () => {
    fc.assert(
      fc.property(inputsArb, ([a, b, col, k]) => {
        const t = inputs(a, b, col, k);
        const want = f(t);
        const out = zerosLike(want);
        out.data.fill(GARBAGE);
        const got = f(t, out);
        expect(got).toBe(out);
        expect(out.shape).toEqual(want.shape);
        expect(out.names).toEqual(want.names);
        expect(Array.from(out.data)).toEqual(Array.from(want.data));
      }),
      { numRuns: 30 },
    );
  });
});

describe.each(inPlace)('%s in place (out = its input)', (_, f) => {
  it('gives the allocating result', () => {
    fc.assert(
      fc.property(inputsArb, ([a, b, col, k]) => {
        const t = inputs(a, b, col, k);
        const want = f(t);
        const got = f(t, t.A);
        expect(got).toBe(t.A);
        expect(Array.from(t.A.data)).toEqual(Array.from(want.data));
      }),
      { numRuns: 30 },
    );
  });
});
