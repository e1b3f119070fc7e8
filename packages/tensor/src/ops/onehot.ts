import { check } from '../errors.js';
import { type FormatShape, formatShape, type LiteralNumber, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { result } from './out.js';

/** The compile-time text of labels that are not a vector; the run-time error says the same. */
export type OneHotRankError<L extends Shape> =
  `oneHot: labels must be a vector [m], got ${FormatShape<L>}`;

/**
 * One-hot encoding, one example per column as in the notes: labels `[m]` become `Y` of shape
 * `[classes, m]` with a 1 in row `label` of each column. Labels must be integers in
 * `0..classes-1`.
 */
export function oneHot<L extends Shape, const C extends number>(
  input: [L['length']] extends [1] ? Tensor<L> : OneHotRankError<L>,
  classes: LiteralNumber<'oneHot', C>,
  out?: Tensor<[C, L[0]]>,
): Tensor<[C, L[0]]> {
  const labels = input as unknown as Tensor<L>;
  const k = classes as number;
  check(
    labels.rank === 1,
    'oneHot',
    () => `labels must be a vector [m], got ${formatShape(labels.dims)}`,
    [labels.dims],
  );
  check(
    Number.isInteger(k) && k > 0,
    'oneHot',
    () => `classes must be a positive integer, got ${k}`,
  );
  const m = labels.shape[0]!;
  const o = result('oneHot', [k, m], [null, labels.names[0]!], out);
  o.data.fill(0);
  for (let i = 0; i < m; i++) {
    const y = labels.data[i]!;
    check(
      Number.isInteger(y) && y >= 0 && y < k,
      'oneHot',
      () => `label ${y} at index ${i} is outside 0..${k - 1}`,
      [labels.dims],
    );
    o.data[y * m + i] = 1;
  }
  return o;
}
