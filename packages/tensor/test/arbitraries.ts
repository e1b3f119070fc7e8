/**
 * fast-check arbitraries: a shape first (dims 1..6), then data for it.
 *
 * The data is drawn as a fixed-length pool of values from which a shape takes the first ones it
 * needs, rather than with `chain`: shrinking then makes the dims smaller while keeping the
 * values, and the values simpler while keeping the dims, so a failure ends on a small shape.
 */
import fc from 'fast-check';
import { build, type Mat, type Nested } from './reference.js';

/** The largest dim. */
export const MAX_DIM = 6;

/** One dimension. */
export const dim = fc.integer({ min: 1, max: MAX_DIM });

/** A float32 value of moderate size (no NaN, no infinities). */
export const value = fc.float({ min: -8, max: 8, noNaN: true });

/** A float32 value away from zero, for divisors. */
export const nonZero = fc
  .tuple(fc.float({ min: Math.fround(0.25), max: 8, noNaN: true }), fc.boolean())
  .map(([v, negative]) => (negative ? -v : v));

/** A positive float32 value, for `log`. */
export const positive = fc.float({ min: Math.fround(1e-3), max: 8, noNaN: true });

/** Enough values for any shape of rank ≤ 3. */
export function pool(v: fc.Arbitrary<number> = value): fc.Arbitrary<number[]> {
  const n = MAX_DIM ** 3;
  return fc.array(v, { minLength: n, maxLength: n });
}

/** The first values of the pool laid out in `shape`, row-major. */
export function nestedFrom(shape: readonly number[], values: readonly number[]): Nested {
  let next = 0;
  return build(shape, () => values[next++]!);
}

/** A `rows × cols` matrix from the first values of the pool. */
export function matrixFrom(rows: number, cols: number, values: readonly number[]): Mat {
  return nestedFrom([rows, cols], values) as Mat;
}

/** A shape of rank `minRank..maxRank`. */
export function shapeArb(minRank: number, maxRank: number): fc.Arbitrary<number[]> {
  return fc.array(dim, { minLength: minRank, maxLength: maxRank });
}

/** A matrix of any size. */
export function anyMatrix(v: fc.Arbitrary<number> = value): fc.Arbitrary<Mat> {
  return fc.tuple(dim, dim, pool(v)).map(([r, c, p]) => matrixFrom(r, c, p));
}

/** A nested array of rank `minRank..maxRank` and any size. */
export function anyNested(
  minRank: number,
  maxRank: number,
  v: fc.Arbitrary<number> = value,
): fc.Arbitrary<Nested> {
  return fc.tuple(shapeArb(minRank, maxRank), pool(v)).map(([shape, p]) => nestedFrom(shape, p));
}

/** A nested array of rank 1..3 with one of its axes. */
export function withAxis(
  v: fc.Arbitrary<number> = value,
): fc.Arbitrary<{ x: Nested; axis: number }> {
  return fc
    .tuple(shapeArb(1, 3), fc.nat(2), pool(v))
    .map(([shape, axis, p]) => ({ x: nestedFrom(shape, p), axis: axis % shape.length }));
}
