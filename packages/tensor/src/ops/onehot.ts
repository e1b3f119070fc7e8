import { check } from '../errors.js';
import { type Dim, formatShape, type LiteralNumber } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { result } from './out.js';

/**
 * One-hot encoding, one example per column as in the notes: labels `[m]` become `Y` of shape
 * `[classes, m]` with a 1 in row `label` of each column. Labels must be integers in
 * `0..classes-1`.
 */
export function oneHot<M extends Dim, const C extends number>(
  labels: Tensor<[M]>,
  classes: LiteralNumber<'oneHot', C>,
  out?: Tensor<[C, M]>,
): Tensor<[C, M]> {
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
