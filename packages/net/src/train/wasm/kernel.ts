/**
 * The training kernel in WebAssembly SIMD (packages/net/assembly/), on `threads` threads that
 * share one memory. The data (compressed rows), the weights in the kernel's layout and the
 * optimiser state stay in that memory for the whole run; a step is one call per thread for the
 * gradients and one per thread for the update. A batch is cut into parts (fewer for small batches, see MIN_PER_PART), summed in
 * part order, so a given seed and thread count always give the same weights.
 */
import { availableParallelism } from 'node:os';
import type { Params } from '../../network/params.js';
import type { Examples } from '../examples.js';
import type { BatchStats, FlatGradients, KernelData, TrainingKernel } from '../kernel.js';
import type { OptimizerSettings } from '../optimizer.js';
import type { SessionKernel, TrainingSession } from '../session.js';
import { attachData, STAGE_BYTES } from './data.js';
import { Helpers } from './helpers.js';
import * as L from './layout.js';
import { align, SharedHeap } from './memory.js';
import { instantiate, type KernelExports, kernelModule } from './module.js';
import { WasmSession } from './session.js';
import { blockFloats, paddedWidth, readGradients, writeWeights } from './weights.js';

export { wasmKernelAvailable } from './module.js';

/**
 * Fewest examples worth a part of their own: below, a second thread's hand-off (~1–3 µs while
 * it spins, far more once it sleeps) outweighs the half of the arithmetic it takes.
 */
export const MIN_PER_PART = 16;

/** A data set in the kernel's memory: the address of its header (layout.ts: D_…). */
export interface WasmData extends KernelData {
  readonly header: number;
}

export class WasmKernel implements TrainingKernel, SessionKernel {
  readonly hidden: number;
  readonly threads: number;
  readonly grads: FlatGradients;
  readonly Hp: number;
  readonly heap: SharedHeap;
  readonly k: KernelExports;
  private readonly helpers: Helpers;
  /** The job header, and the weights block that `step(p)` and `evaluate(p)` load `p` into. */
  readonly job: number;
  private readonly weights: number;
  private readonly stage: number;
  private order = 0;
  private orderCapacity = 0;

  constructor(hidden: number, threads = availableParallelism()) {
    const { module, heapBase } = kernelModule();
    this.hidden = hidden;
    this.threads = Math.max(1, Math.min(threads, 16));
    const Hp = paddedWidth(hidden);
    this.Hp = Hp;
    const h = new SharedHeap(heapBase);
    this.heap = h;
    this.k = instantiate(module, h.memory);
    const T = this.threads;
    const block = blockFloats(Hp) * 4;
    this.job = h.alloc(L.JOB_SLOTS * 4);
    this.weights = h.alloc(block);
    this.stage = h.alloc(STAGE_BYTES);
    const scratch = align(L.SCRATCH_ROWS * Hp * 4 + L.SCRATCH_TAIL_BYTES, L.PART_ALIGN);
    this.set(L.J_HP, Hp);
    this.set(L.J_BLOCK_BYTES, block);
    this.set(L.J_SCRATCH_BYTES, scratch);
    this.set(L.J_GRADS, h.alloc(T * block));
    this.set(L.J_SCRATCH, h.alloc(T * scratch));
    this.set(L.J_RESULTS, h.alloc(T * L.RESULT_BYTES));
    this.set(L.J_CONFUSION, h.alloc(T * L.CONFUSION_BYTES));
    this.helpers = new Helpers(h, this.k, module, T - 1);
    this.grads = {
      dW1: new Float64Array(hidden * L.IMAGE_PIXELS),
      db1: new Float64Array(hidden),
      dW2: new Float64Array(L.OUTPUTS * hidden),
      db2: new Float64Array(L.OUTPUTS),
    };
  }

  /** Sets slot `s` of the job header. */
  set(s: number, value: number): void {
    this.heap.i32[(this.job >> 2) + s] = value;
  }

  /** Parts a batch of n examples is cut into: one per thread, at least MIN_PER_PART each. */
  partsFor(n: number): number {
    return Math.max(1, Math.min(this.threads, Math.floor(n / MIN_PER_PART)));
  }

  attach(examples: Examples): WasmData {
    const header = attachData(this.heap, this.k, this.stage, examples);
    if (examples.count > this.orderCapacity) {
      this.order = this.heap.alloc(examples.count * 4);
      this.orderCapacity = examples.count;
    }
    return { examples, header };
  }

  /** Copies `order` into the kernel's order array (sized for the largest data set attached). */
  setOrder(order: Uint32Array): void {
    if (order.length > this.orderCapacity)
      throw new Error(
        `wasm kernel: an order of ${order.length} examples, but the largest data set attached has ${this.orderCapacity}`,
      );
    this.heap.u32.set(order, this.order >> 2);
  }

  /**
   * Runs `op` over examples FROM…TO of `data` with the weights block at `weights`, in parts;
   * returns the summed loss and count correct (and the confusion, added to).
   */
  run(
    op: number,
    weights: number,
    data: KernelData,
    ordered: boolean,
    from: number,
    to: number,
    confusion: Uint32Array | null = null,
  ): BatchStats {
    const parts = this.partsFor(to - from);
    this.set(L.J_WEIGHTS, weights);
    this.set(L.J_DATA, (data as WasmData).header);
    this.set(L.J_ORDER, ordered ? this.order : 0);
    this.set(L.J_FROM, from);
    this.set(L.J_TO, to);
    this.set(L.J_PARTS, parts);
    this.helpers.run(op, this.job, parts);
    const { f64, i32, u32 } = this.heap;
    const results = i32[(this.job >> 2) + L.J_RESULTS]!;
    let loss = 0;
    let correct = 0;
    for (let t = 0; t < parts; t++) {
      loss += f64[(results + t * L.RESULT_BYTES) >> 3]!;
      correct += i32[(results + t * L.RESULT_BYTES + 8) >> 2]!;
    }
    if (confusion && op === L.OP_EVALUATE) {
      const c0 = i32[(this.job >> 2) + L.J_CONFUSION]! >> 2;
      for (let t = 0; t < parts; t++) {
        const c = c0 + (t * L.CONFUSION_BYTES) / 4;
        for (let i = 0; i < L.OUTPUTS * L.OUTPUTS; i++) confusion[i]! += u32[c + i]!;
      }
    }
    return { loss, correct };
  }

  /**
   * The update after `run(OP_GRADIENTS, …)`: the job's rule (J_OPTIMIZER and its slots, set by
   * the caller), in as many slices as the batch had parts, on the same threads.
   */
  update(): void {
    this.helpers.run(L.OP_UPDATE, this.job, this.heap.i32[(this.job >> 2) + L.J_PARTS]!);
  }

  /** The mean gradients of examples order[from…to) for `p`, into `grads` (the reference API). */
  step(p: Params, data: KernelData, order: Uint32Array, from: number, to: number): BatchStats {
    writeWeights(this.heap.f32, this.weights >> 2, this.Hp, p);
    this.setOrder(order.subarray(0, to));
    const stats = this.run(L.OP_GRADIENTS, this.weights, data, true, from, to);
    this.set(L.J_OPTIMIZER, L.OPT_MEAN);
    this.update();
    const g0 = this.heap.i32[(this.job >> 2) + L.J_GRADS]!;
    readGradients(this.heap.f32, g0 >> 2, this.Hp, this.grads);
    return stats;
  }

  evaluate(p: Params, data: KernelData, confusion: Uint32Array | null): BatchStats {
    writeWeights(this.heap.f32, this.weights >> 2, this.Hp, p);
    return this.run(L.OP_EVALUATE, this.weights, data, false, 0, data.examples.count, confusion);
  }

  openSession(params: Params<'h'>, settings: OptimizerSettings): TrainingSession {
    return new WasmSession(this, params, settings);
  }

  /**
   * Blocks until the helper threads have started (they start in the background and steps do
   * not wait for them: a part whose helper is not ready runs here). For tests and benchmarks.
   */
  waitForHelpers(timeoutMs = 60_000): number {
    return this.helpers.waitUntilReady(timeoutMs);
  }

  /** Ends the helper threads (also those still starting). */
  dispose(): void {
    this.helpers.dispose();
  }

  /** Resolves when the helper threads have ended, after `dispose`. */
  helpersExited(): Promise<void> {
    return this.helpers.exited();
  }
}
