/**
 * A run on the wasm kernel: the weights in the kernel's layout and the optimiser's state, in
 * shared memory from the first step to the last. A step is the parts' forward and backward
 * (`gradients`, on the threads) and the `update` that sums them and applies the rule (SGD,
 * momentum or Adam, the same formulas as the JS `Optimizer`, in float32). The weights come back
 * out only when asked (`params()`: evaluations, the end of the run).
 */
import type { Params } from '../../network/params.js';
import type { BatchStats, KernelData } from '../kernel.js';
import { type OptimizerName, type OptimizerSettings, optimizerSettings } from '../optimizer.js';
import type { TrainingSession } from '../session.js';
import type { WasmKernel } from './kernel.js';
import * as L from './layout.js';
import { blockFloats, readWeights, writeWeights } from './weights.js';

const RULES: Record<OptimizerName, number> = {
  sgd: L.OPT_SGD,
  momentum: L.OPT_MOMENTUM,
  adam: L.OPT_ADAM,
};

export class WasmSession implements TrainingSession {
  private readonly weights: number;
  private readonly state1: number;
  private readonly state2: number;
  private readonly settings: Required<OptimizerSettings>;
  private t = 0;

  constructor(
    private readonly kernel: WasmKernel,
    private readonly parameters: Params<'h'>,
    settings: OptimizerSettings,
  ) {
    this.settings = optimizerSettings(settings);
    const bytes = blockFloats(kernel.Hp) * 4;
    const heap = kernel.heap;
    this.weights = heap.alloc(bytes);
    const name = this.settings.name;
    this.state1 = name === 'sgd' ? 0 : heap.alloc(bytes);
    this.state2 = name === 'adam' ? heap.alloc(bytes) : 0;
    writeWeights(heap.f32, this.weights >> 2, kernel.Hp, parameters);
  }

  reorder(order: Uint32Array): void {
    this.kernel.setOrder(order);
  }

  step(data: KernelData, from: number, to: number, alpha: number): BatchStats {
    const k = this.kernel;
    const stats = k.run(L.OP_GRADIENTS, this.weights, data, true, from, to);
    const { name, momentum, beta1, beta2, epsilon } = this.settings;
    this.t++;
    const f32 = k.heap.f32;
    const at = k.job >> 2;
    k.set(L.J_OPTIMIZER, RULES[name]);
    k.set(L.J_STATE1, this.state1);
    k.set(L.J_STATE2, this.state2);
    f32[at + L.J_ALPHA] = alpha;
    f32[at + L.J_BETA1] = name === 'momentum' ? momentum : beta1;
    f32[at + L.J_BETA2] = beta2;
    f32[at + L.J_EPSILON] = epsilon;
    f32[at + L.J_CORRECT1] = 1 - beta1 ** this.t;
    f32[at + L.J_CORRECT2] = 1 - beta2 ** this.t;
    k.update();
    return stats;
  }

  params(): Params<'h'> {
    readWeights(this.kernel.heap.f32, this.weights >> 2, this.kernel.Hp, this.parameters);
    return this.parameters;
  }
}
