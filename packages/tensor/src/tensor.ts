import { check } from './errors.js';
import { type Dim, formatShape, type Shape, sizeOf } from './shape.js';

/**
 * A dense tensor: one `Float32Array` in row-major order with its shape beside it.
 *
 * `S` is the shape as the type system sees it (`[10, 'm']`); `shape` holds the sizes at run time
 * (`[10, 60000]`) and `names` the name of each named dim (`[null, 'm']`). Make tensors with the
 * functions of this package (`tensor`, `zeros`, `bind`, `reshape`…), not with `new`.
 *
 * `S` is invariant (`in out`): a `Tensor<[10, 'mTrain']>` is not a `Tensor<[10, 'mTrain' |
 * 'mTest']>`, so a function generic over a dim `M` never infers a union of two sets' names.
 * `Tensor` with no argument (`Tensor<any>`) is any tensor, for code that checks at run time.
 *
 * @example
 * const W1 = randUniform([10, 784], { low: -0.5, high: 0.5, rng: new Rng(1) });
 * W1.shape; // [10, 784]
 */
// biome-ignore lint/suspicious/noExplicitAny: `Tensor` alone must accept every shape, and an invariant parameter is related to all of them only through `any`.
export class Tensor<in out S extends Shape = any> {
  /** Type-level shape. Exists only in the types. */
  declare readonly __shape: S;
  /** Sizes of each dimension, outermost first. */
  readonly shape: readonly number[];
  /** For each dimension, its name when it is a named dim (`'m'`), else `null`. */
  readonly names: readonly (string | null)[];
  /** The elements, row-major. */
  readonly data: Float32Array;

  /** @internal Use the creation functions instead. */
  constructor(shape: readonly number[], names: readonly (string | null)[], data: Float32Array) {
    check(
      names.length === shape.length,
      'Tensor',
      () => `${names.length} names for ${shape.length} dims`,
    );
    check(
      data.length === sizeOf(shape),
      'Tensor',
      () => `shape ${formatShape(shape)} needs ${sizeOf(shape)} elements, got ${data.length}`,
      [shape],
    );
    this.shape = Object.freeze([...shape]);
    this.names = Object.freeze([...names]);
    this.data = data;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** The shape as error messages show it: named dims by name, fixed dims by size. */
  get dims(): Dim[] {
    return this.shape.map((n, i) => this.names[i] ?? n);
  }

  /** The element at the given indices (bounds-checked). */
  get(...index: number[]): number {
    check(
      index.length === this.rank,
      'get',
      () =>
        `expected ${this.rank} indices for shape ${formatShape(this.dims)}, got ${index.length}`,
      [this.dims],
    );
    let offset = 0;
    for (let i = 0; i < index.length; i++) {
      const at = index[i]!;
      const n = this.shape[i]!;
      check(
        Number.isInteger(at) && at >= 0 && at < n,
        'get',
        () => `index ${at} out of range 0..${n - 1} for dim ${i} of ${formatShape(this.dims)}`,
        [this.dims],
      );
      offset = offset * n + at;
    }
    return this.data[offset]!;
  }

  /** The elements as nested arrays (for display and tests; not for hot paths). */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      const n = this.shape[dim]!;
      if (dim === this.rank - 1) return Array.from(this.data.subarray(offset, offset + n));
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: n }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return this.rank === 0 ? (this.data[0] as unknown as NestedArray) : build(0, 0);
  }

  toString(): string {
    return `Tensor${formatShape(this.dims)}`;
  }
}

/** Nested arrays of numbers, as `tensor()` takes and `toArray()` gives. */
export type NestedArray = number[] | NestedArray[];

/** Any tensor whose shape is a matrix. */
export type Matrix = readonly [Dim, Dim];
