import { type Dim, formatShape } from './shape.js';

/**
 * A shape mismatch found at run time. Its message uses the same wording as the compile-time
 * error for the same mistake, e.g. `matmul: inner dims 10 and 784 differ ([10, 10] x [784, m])`.
 */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  /** The operation that refused its input, e.g. `matmul`. */
  readonly op: string;
  /** The shapes involved, as the error shows them (named dims by name). */
  readonly shapes: readonly (readonly Dim[])[];

  constructor(op: string, message: string, shapes: readonly (readonly Dim[])[] = []) {
    super(`${op}: ${message}`);
    this.op = op;
    this.shapes = shapes;
  }
}

/**
 * Throws a ShapeError when `ok` is false. The message is built only on failure, so checks on
 * the hot path cost a comparison.
 */
export function check(
  ok: boolean,
  op: string,
  message: () => string,
  shapes: readonly (readonly Dim[])[] = [],
): asserts ok {
  if (!ok) throw new ShapeError(op, message(), shapes);
}

/** `([10, 10] x [784, m])`: the shapes of a binary op as they appear in messages. */
export function pair(a: readonly Dim[], b: readonly Dim[], sep = 'x'): string {
  return `(${formatShape(a)} ${sep} ${formatShape(b)})`;
}
