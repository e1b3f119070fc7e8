import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CLASSES, type Params, PIXELS } from '../../network/params.js';
import type { Examples } from '../examples.js';
import { sparsePixels } from '../examples.js';
import type { BatchStats, FlatGradients, KernelData, TrainingKernel } from '../kernel.js';
import {
  ARGS,
  DONE,
  type KernelExports,
  MAILBOX_SLOTS,
  OP,
  OP_EVAL,
  OP_EXIT,
  OP_TRAIN,
  runJob,
  SEQ,
  waitWhileEqual,
} from './exports.js';
import { SharedHeap } from './memory.js';

/** A file of the built package (`dist/`), also when running from sources under a test runner. */
function builtFile(name: string): URL {
  for (const rel of [`../../${name}`, `../../../dist/${name}`]) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(
    `wasm kernel: ${name} not found next to ${fileURLToPath(import.meta.url)}; run \`pnpm build\` first`,
  );
}

let compiled: WebAssembly.Module | null = null;

/** Whether this runtime can run the wasm kernel (SIMD and shared memory). */
export function wasmKernelAvailable(): boolean {
  try {
    compiled ??= new WebAssembly.Module(readFileSync(builtFile('kernel.wasm')));
    return true;
  } catch {
    return false;
  }
}

interface WasmData extends KernelData {
  readonly start: number;
  readonly index: number;
  readonly value: number;
  readonly labels: number;
}

/** Per-thread regions: gradient sums, scratch, result. */
interface Slot {
  readonly dW1T: number;
  readonly db1: number;
  readonly dW2: number;
  readonly db2: number;
  readonly scratch: number;
  readonly result: number;
  readonly confusion: number;
  readonly mailbox: number;
  readonly worker: Worker | null;
}

/** A helper thread that has not finished its slice by then is taken as lost (never hang). */
const HELPER_TIMEOUT_MS = 120_000;

/** Batches smaller than this per thread run on fewer threads (thread hand-off costs ~10 µs). */
const MIN_PER_THREAD = 32;

/**
 * The fused kernel in WebAssembly (SIMD), split over `threads` threads that share one memory.
 * A batch is cut into contiguous parts, one per thread; the parts' gradient sums are added in
 * thread order, so a given seed and thread count always give the same weights.
 */
export class WasmKernel implements TrainingKernel {
  readonly hidden: number;
  readonly threads: number;
  readonly grads: FlatGradients;
  private readonly Hp: number;
  private readonly heap: SharedHeap;
  private readonly k: KernelExports;
  private readonly W1T: number;
  private readonly b1: number;
  private readonly W2: number;
  private readonly b2: number;
  private order = 0;
  private orderCapacity = 0;
  private readonly slots: Slot[];

  constructor(hidden: number, threads = availableParallelism()) {
    compiled ??= new WebAssembly.Module(readFileSync(builtFile('kernel.wasm')));
    this.hidden = hidden;
    this.threads = Math.max(1, Math.min(threads, 16));
    const Hp = Math.ceil(hidden / 16) * 16; // the kernel works 16 lanes at a time
    this.Hp = Hp;
    // The module's static data sits below heapBase; instantiate once to learn it.
    const probe = new WebAssembly.Memory({ initial: 16, maximum: 16384, shared: true });
    const base = (
      new WebAssembly.Instance(compiled, { env: { memory: probe } })
        .exports as unknown as KernelExports
    ).heapBase();
    this.heap = new SharedHeap(base);
    this.k = new WebAssembly.Instance(compiled, { env: { memory: this.heap.memory } })
      .exports as unknown as KernelExports;
    const h = this.heap;
    this.W1T = h.alloc(PIXELS * Hp * 4);
    this.b1 = h.alloc(Hp * 4);
    this.W2 = h.alloc(CLASSES * Hp * 4);
    this.b2 = h.alloc(64);
    this.slots = Array.from({ length: this.threads }, (_, t) => {
      const mailbox = h.alloc(MAILBOX_SLOTS * 4);
      const slot = {
        dW1T: h.alloc(PIXELS * Hp * 4),
        db1: h.alloc(Hp * 4),
        dW2: h.alloc(CLASSES * Hp * 4),
        db2: h.alloc(64),
        scratch: h.alloc((4 * Hp + 32) * 4),
        result: h.alloc(16),
        confusion: h.alloc(CLASSES * CLASSES * 4),
        mailbox,
        worker:
          t === 0
            ? null
            : new Worker(builtFile('train/wasm/worker.js'), {
                workerData: { module: compiled, memory: h.memory, mailbox },
              }),
      };
      slot.worker?.unref();
      return slot;
    });
    this.grads = {
      dW1: new Float64Array(hidden * PIXELS),
      db1: new Float64Array(hidden),
      dW2: new Float64Array(CLASSES * hidden),
      db2: new Float64Array(CLASSES),
    };
  }

  private readonly viewCache = new Map<
    Slot,
    { dW1T: Float32Array; db1: Float32Array; dW2: Float32Array; db2: Float32Array }
  >();

  /** Typed views of a thread's gradient sums (made once: shared memory never detaches). */
  private views(s: Slot) {
    let v = this.viewCache.get(s);
    if (!v) {
      const { heap, Hp } = this;
      v = {
        dW1T: heap.f32(s.dW1T, PIXELS * Hp),
        db1: heap.f32(s.db1, Hp),
        dW2: heap.f32(s.dW2, CLASSES * Hp),
        db2: heap.f32(s.db2, CLASSES),
      };
      this.viewCache.set(s, v);
    }
    return v;
  }

  attach(examples: Examples): WasmData {
    const sparse = sparsePixels(examples);
    const h = this.heap;
    const m = examples.count;
    const start = h.alloc((m + 1) * 4);
    const index = h.alloc(sparse.index.byteLength);
    const value = h.alloc(sparse.value.byteLength);
    const labels = h.alloc(m);
    h.u32(start, m + 1).set(sparse.start);
    new Uint16Array(h.memory.buffer, index, sparse.index.length).set(sparse.index);
    h.u8(value, sparse.value.length).set(sparse.value);
    h.u8(labels, m).set(examples.labels);
    if (m > this.orderCapacity) {
      this.order = h.alloc(m * 4);
      this.orderCapacity = m;
    }
    return { examples, start, index, value, labels };
  }

  /** Copies the weights into the kernel's padded, transposed layout. */
  private load(p: Params): void {
    const { hidden: H, Hp, heap } = this;
    const W1T = heap.f32(this.W1T, PIXELS * Hp);
    const W1 = p.W1.data;
    for (let hh = 0; hh < H; hh++) {
      const row = hh * PIXELS;
      for (let k = 0; k < PIXELS; k++) W1T[k * Hp + hh] = W1[row + k]!;
    }
    heap.f32(this.b1, H).set(p.b1.data);
    const W2 = heap.f32(this.W2, CLASSES * Hp);
    for (let c = 0; c < CLASSES; c++) W2.set(p.W2.data.subarray(c * H, (c + 1) * H), c * Hp);
    heap.f32(this.b2, CLASSES).set(p.b2.data);
  }

  /** Runs `job(slot, from, to)` for each thread's part of [from, to) and waits for all. */
  private parallel(
    from: number,
    to: number,
    op: number,
    args: (s: Slot, a: number, b: number) => number[],
  ): Slot[] {
    const n = to - from;
    const T = Math.max(1, Math.min(this.threads, Math.floor(n / MIN_PER_THREAD)));
    const used = this.slots.slice(0, T);
    const part = (t: number) => from + Math.floor((n * t) / T);
    for (let t = 1; t < T; t++) {
      const s = used[t]!;
      const box = this.heap.i32(s.mailbox, MAILBOX_SLOTS);
      box[OP] = op;
      box.set(args(s, part(t), part(t + 1)), ARGS);
      Atomics.add(box, SEQ, 1);
      Atomics.notify(box, SEQ);
    }
    const a = args(used[0]!, part(0), part(1));
    runJob(this.k, op, a);
    for (let t = 1; t < T; t++) {
      const box = this.heap.i32(used[t]!.mailbox, MAILBOX_SLOTS);
      const seq = Atomics.load(box, SEQ);
      for (let done = Atomics.load(box, DONE); done !== seq; )
        done = waitWhileEqual(box, DONE, done, 0.3, HELPER_TIMEOUT_MS);
    }
    return used;
  }

  step(p: Params, data: KernelData, order: Uint32Array, from: number, to: number): BatchStats {
    const d = data as WasmData;
    const { hidden: H, Hp, heap } = this;
    this.load(p);
    heap.u32(this.order, to - from).set(order.subarray(from, to));
    const used = this.parallel(0, to - from, OP_TRAIN, (s, a, b) => [
      H,
      Hp,
      d.start,
      d.index,
      d.value,
      d.labels,
      this.order,
      a,
      b,
      this.W1T,
      this.b1,
      this.W2,
      this.b2,
      s.dW1T,
      s.db1,
      s.dW2,
      s.db2,
      s.scratch,
      s.result,
    ]);
    // Add the parts in thread order (deterministic), scale, and un-transpose dW1, in one pass.
    const { dW1, db1, dW2, db2 } = this.grads;
    const inv = 1 / (to - from);
    const inv1 = inv / 255;
    const g = used.map((s) => this.views(s));
    const T = g.length;
    const first = g[0]!.dW1T;
    for (let hh = 0; hh < H; hh++) {
      const row = hh * PIXELS;
      for (let k = 0, src = hh; k < PIXELS; k++, src += Hp) dW1[row + k] = first[src]!;
    }
    for (let t = 1; t < T; t++) {
      const part = g[t]!.dW1T;
      for (let hh = 0; hh < H; hh++) {
        const row = hh * PIXELS;
        for (let k = 0, src = hh; k < PIXELS; k++, src += Hp) dW1[row + k]! += part[src]!;
      }
    }
    for (let i = 0; i < dW1.length; i++) dW1[i]! *= inv1;
    for (let hh = 0; hh < H; hh++) {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += g[t]!.db1[hh]!;
      db1[hh] = sum * inv;
    }
    for (let c = 0; c < CLASSES; c++) {
      for (let hh = 0; hh < H; hh++) {
        let sum = 0;
        for (let t = 0; t < T; t++) sum += g[t]!.dW2[c * Hp + hh]!;
        dW2[c * H + hh] = sum * inv;
      }
      let sum = 0;
      for (let t = 0; t < T; t++) sum += g[t]!.db2[c]!;
      db2[c] = sum * inv;
    }
    let loss = 0;
    let correct = 0;
    for (const s of used) {
      loss += heap.f64(s.result, 1)[0]!;
      correct += heap.i32(s.result + 8, 1)[0]!;
    }
    return { loss, correct };
  }

  evaluate(p: Params, data: KernelData, confusion: Uint32Array | null): BatchStats {
    const d = data as WasmData;
    const { heap, Hp } = this;
    this.load(p);
    for (const s of this.slots) heap.u32(s.confusion, CLASSES * CLASSES).fill(0);
    const used = this.parallel(0, d.examples.count, OP_EVAL, (s, a, b) => [
      Hp,
      d.start,
      d.index,
      d.value,
      d.labels,
      a,
      b,
      this.W1T,
      this.b1,
      this.W2,
      this.b2,
      s.scratch,
      s.result,
      confusion ? s.confusion : 0,
      0,
      0,
    ]);
    let loss = 0;
    let correct = 0;
    for (const s of used) {
      loss += heap.f64(s.result, 1)[0]!;
      correct += heap.i32(s.result + 8, 1)[0]!;
      if (confusion) {
        const c = heap.u32(s.confusion, CLASSES * CLASSES);
        for (let i = 0; i < c.length; i++) confusion[i]! += c[i]!;
      }
    }
    return { loss, correct };
  }

  /** Ends the helper threads. */
  dispose(): void {
    for (const s of this.slots) {
      if (!s.worker) continue;
      const box = this.heap.i32(s.mailbox, MAILBOX_SLOTS);
      box[OP] = OP_EXIT;
      Atomics.add(box, SEQ, 1);
      Atomics.notify(box, SEQ);
    }
  }
}
