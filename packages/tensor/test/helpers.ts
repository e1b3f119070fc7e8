/** Test helpers: nested arrays into tensors, and the exact check of a ShapeError. */
import { expect } from 'vitest';
import { bind, type Dim, ShapeError, type Tensor, tensor } from '../src/index.js';
import { type Mat, type Nested, raw } from './reference.js';

/** A matrix as a `Tensor<['r', 'c']>`, through `bind` as untyped data would arrive. */
export function asMatrix(a: Mat): Tensor<['r', 'c']> {
  return bind({ A: ['r', 'c'] }, { A: raw(a) }).A;
}

/** A nested array of any rank ≥ 1 as an untyped tensor, the way a plain-JS caller holds one. */
export function asTensor(x: Nested): Tensor {
  return tensor(x as never) as unknown as Tensor;
}

/** What a ShapeError must carry. */
export interface ExpectedShapeError {
  readonly op: string;
  /** The whole message, `op: …`. */
  readonly message: string;
  readonly shapes?: readonly (readonly Dim[])[];
}

/** Expects `f` to throw a ShapeError with exactly this message, op and (when given) shapes. */
export function expectShapeError(f: () => unknown, want: ExpectedShapeError): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a ShapeError to be thrown').toBeInstanceOf(ShapeError);
  const e = thrown as ShapeError;
  expect(e.message).toBe(want.message);
  expect(e.name).toBe('ShapeError');
  expect(e.op).toBe(want.op);
  if (want.shapes !== undefined) expect(e.shapes).toEqual(want.shapes);
}
