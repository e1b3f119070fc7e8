/**
 * A training session: one run's weights and optimiser state held by a kernel and stepped in
 * place. The wasm kernel keeps them in its own layout in shared memory for the whole run and
 * fuses forward, backward and the update into one call per step; the reference session below
 * is the plain kernel followed by the JS `Optimizer`, and is what the fast one is tested against.
 */
import type { Params } from '../network/params.js';
import type { BatchStats, KernelData, TrainingKernel } from './kernel.js';
import { Optimizer, type OptimizerSettings } from './optimizer.js';

export interface TrainingSession {
  /** Sets the order the next steps take their examples in (after each shuffle). */
  reorder(order: Uint32Array): void;
  /** One update with rate `alpha` from the examples order[from…to) of `data`. */
  step(data: KernelData, from: number, to: number, alpha: number): BatchStats;
  /** Writes the current weights into the session's parameters and returns them. */
  params(): Params<'h'>;
}

/** A kernel that runs sessions itself (the wasm kernel). */
export interface SessionKernel extends TrainingKernel {
  openSession(params: Params<'h'>, settings: OptimizerSettings): TrainingSession;
}

const hasSessions = (k: TrainingKernel): k is SessionKernel =>
  typeof (k as Partial<SessionKernel>).openSession === 'function';

/** A session on `kernel` starting from `params` (updated in place by the reference session). */
export function openSession(
  kernel: TrainingKernel,
  params: Params<'h'>,
  settings: OptimizerSettings,
): TrainingSession {
  if (hasSessions(kernel)) return kernel.openSession(params, settings);
  const optimizer = new Optimizer(params, settings);
  let order: Uint32Array = new Uint32Array(0);
  return {
    reorder: (o) => {
      order = o;
    },
    step(data, from, to, alpha) {
      const stats = kernel.step(params, data, order, from, to);
      optimizer.apply(params, kernel.grads, alpha);
      return stats;
    },
    params: () => params,
  };
}
