import type { TrainConfig } from '@mnist/net';
import { rate } from './render/text.js';

/** `784→10→10, adam α=0.003 (cosine), batch 64, 12 epochs, he init, seed 1` */
export function describeConfig(c: TrainConfig): string {
  const batch =
    c.batchSize === 'full'
      ? `full batch, ${c.iterations} iterations`
      : `batch ${c.batchSize}, ${c.epochs} epoch${c.epochs === 1 ? '' : 's'}`;
  const schedule = c.schedule === 'constant' ? '' : ` (${c.schedule})`;
  const limit = c.limit > 0 ? `, first ${c.limit} images` : '';
  return `784→${c.hidden}→10, ${c.optimizer} α=${rate(c.learningRate)}${schedule}, ${batch}, ${c.init} init, seed ${c.seed}${limit}`;
}

/** `epoch 3/12` for mini-batch runs, `iteration 120/500` for full-batch ones. */
export function where(c: TrainConfig | null, step: number, epoch: number): string {
  if (!c) return `step ${step}`;
  return c.batchSize === 'full'
    ? `iteration ${step}/${c.iterations}`
    : `epoch ${Math.min(epoch, c.epochs)}/${c.epochs}`;
}
