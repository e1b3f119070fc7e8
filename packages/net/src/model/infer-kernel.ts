/**
 * The inference kernel (`assembly/infer.ts`, built to `dist/infer.wasm`): the notes' forward
 * pass for a batch of images in WebAssembly SIMD. The module is compiled once per process; each
 * `InferenceKernel` owns one shared memory with the model laid out in it once, and two lanes (this
 * thread's and a helper thread's, `infer-helper.ts`), each a Job with a fixed window that images
 * pass through in chunks, so a call allocates only its answer (and O(1) array views).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLASSES, hiddenWidth, type Params, PIXELS } from '../network/params.js';
import type {} from '../train/wasm/webassembly.js';
import {
  AVAIL,
  BLOCK,
  DONE,
  FLOAT,
  HELPED,
  type Helper,
  IMAGES,
  JOB,
  LABELS,
  MAILBOX_SLOTS,
  NEXT,
  PROBS,
  roundSlots,
  startHelper,
  takeBlocks,
  waitDone,
  X,
} from './infer-helper.js';

/** Hidden units per tile of W1P. */
const TILE = 16;
/** Bytes of each of the two image windows: 1,024 images as bytes, or 256 as float32. */
const WINDOW_BYTES = 1024 * PIXELS;
const PAGE = 65536;
/** Below this many images a batch runs on the calling thread alone: the hand-off would not pay. */
export const SPLIT_MIN = 384;

/** The kernel's exports (`assembly/infer.ts`). */
export interface InferExports {
  /** The forward pass for the images of the Job at byte offset `job`. */
  infer(job: number): void;
  /** Bytes of one pixel's row in a tile of W1P, for hidden width H. */
  rowBytes(H: number): number;
  /** Bytes of one lane's scratch, for hidden width H. */
  scratchBytes(H: number): number;
  /** Bytes of the gather's tables. */
  tableBytes(): number;
  /** Writes the gather's tables at `at`, for W1P rows of `rowBytes`. */
  fillTables(at: number, rowBytes: number): void;
}

/** dist/infer.wasm, from the built package or from sources under a test runner. */
function wasmFile(): string {
  for (const rel of ['../infer.wasm', '../../dist/infer.wasm']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(
    `inference kernel: infer.wasm not found next to ${fileURLToPath(import.meta.url)}; run \`pnpm build\` first`,
  );
}

let compiled: WebAssembly.Module | null = null;
let failure: Error | null = null;

/** The compiled module (once per process), or the reason it cannot run here. */
export function inferModule(): WebAssembly.Module {
  if (failure) throw failure;
  try {
    compiled ??= new WebAssembly.Module(readFileSync(wasmFile()));
    return compiled;
  } catch (e) {
    failure = e as Error;
    throw failure;
  }
}

/** An instance of the kernel on `memory` (this thread's, or a helper's). */
export function instantiateInfer(
  memory: WebAssembly.Memory,
  module: WebAssembly.Module = inferModule(),
): InferExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as InferExports;
}

/** Whether the inference kernel can run in this process (built, and SIMD supported). */
export function inferenceKernelAvailable(): boolean {
  if (available === null) {
    try {
      instantiateInfer(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }));
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}
let available: boolean | null = null;

const align64 = (n: number) => Math.ceil(n / 64) * 64;

/** A window: byte offsets of its images, probabilities and labels; the images of its round. */
interface Window {
  readonly x: number;
  readonly probs: number;
  readonly labels: number;
  /** The round's first image in the batch, and its images (0: no round waiting). */
  from: number;
  count: number;
}

/** One model, laid out for the kernel: see the layouts in `assembly/infer.ts`. */
export class InferenceKernel {
  readonly hidden: number;
  private readonly k: InferExports;
  private readonly memory: WebAssembly.Memory;
  /** The two windows (images in, probabilities and labels out) and the round each holds. */
  private readonly windows: readonly Window[];
  /** This thread's Job and the helper's. */
  private readonly jobs: readonly [number, number];
  private readonly mailbox: number;
  private readonly box: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly floats: Float32Array;
  private readonly ints: Int32Array;
  private helper: Helper | null = null;
  private closed = false;
  /** Batches of SPLIT_MIN images or more so far. */
  private large = 0;
  /** Threads the last `run` ran on: 2 if the helper thread took any of its blocks, else 1. */
  lastThreads = 1;

  /** Copies the weights: later changes to `params` do not reach the kernel. */
  constructor(params: Params) {
    const H = hiddenWidth(params);
    this.hidden = H;
    const probe = instantiateInfer(
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }),
    );
    const row = probe.rowBytes(H);
    const tiles = Math.ceil(H / TILE);
    let top = 4096; // the module's own (empty) static data stays below
    const take = (bytes: number) => {
      const at = top;
      top = align64(top + bytes);
      return at;
    };
    const model = {
      W1P: take(tiles * PIXELS * row),
      b1: take(tiles * TILE * 4),
      W2T: take(H * TILE * 4),
      b2: take(TILE * 4),
      tables: take(probe.tableBytes()),
    };
    this.mailbox = take(MAILBOX_SLOTS * 4);
    const images = WINDOW_BYTES / PIXELS; // the most images per round (as bytes)
    this.windows = [0, 1].map(() => ({
      x: take(WINDOW_BYTES),
      probs: take(images * CLASSES * 4 + 64), // + slack: a row's last store is 8 bytes wide
      labels: take(images),
      from: 0,
      count: 0,
    }));
    this.jobs = [take(JOB.length * 4), take(JOB.length * 4)];
    const scratch = [take(probe.scratchBytes(H)), take(probe.scratchBytes(H))];
    const pages = Math.ceil(top / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.k = instantiateInfer(this.memory);
    this.bytes = new Uint8Array(this.memory.buffer);
    this.floats = new Float32Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
    this.box = new Int32Array(this.memory.buffer, this.mailbox, MAILBOX_SLOTS);
    this.k.fillTables(model.tables, row);
    this.layOut(params, H, model.W1P, row, model);
    this.jobs.forEach((job, t) => {
      const fields: Record<string, number> = { H, ...model, scratch: scratch[t]! };
      JOB.forEach((name, i) => {
        this.ints[job / 4 + i] = fields[name] ?? 0; // the rest is set per block
      });
    });
  }

  private layOut(
    params: Params,
    H: number,
    W1P: number,
    row: number,
    at: { b1: number; W2T: number; b2: number },
  ): void {
    const f = this.floats;
    const W1 = params.W1.data; // (H, 784)
    const lanes = row / 4;
    for (let h = 0; h < H; h++) {
      const tile = W1P / 4 + Math.floor(h / TILE) * PIXELS * lanes;
      const lane = h % TILE;
      for (let k = 0; k < PIXELS; k++) f[tile + k * lanes + lane] = W1[h * PIXELS + k]!;
    }
    f.set(params.b1.data, at.b1 / 4);
    const W2 = params.W2.data; // (10, H)
    for (let h = 0; h < H; h++)
      for (let c = 0; c < CLASSES; c++) f[at.W2T / 4 + h * TILE + c] = W2[c * H + h]!;
    f.set(params.b2.data, at.b2 / 4);
  }

  /**
   * Class probabilities and labels of n images: `uint8` bytes (n × 784) or `float32` values in
   * [0, 1]. Writes into `probabilities` (n × 10) and `labels` (n). Batches of SPLIT_MIN images
   * or more are shared with the helper thread (see infer-helper.ts), started on the second such
   * batch (or by `ready`); until it is up, they run here.
   */
  run(
    values: Uint8Array | Float32Array | readonly number[],
    float: boolean,
    probabilities: Float32Array,
    labels: Uint8Array,
  ): void {
    const n = values.length / PIXELS;
    const per = float ? WINDOW_BYTES / (PIXELS * 4) : WINDOW_BYTES / PIXELS;
    this.windows[0]!.count = this.windows[1]!.count = 0; // (a call that threw left them set)
    // The helper starts with the second large batch: a one-off call would not gain from it.
    if (n >= SPLIT_MIN && ++this.large >= 2 && !this.closed) this.helper ??= this.start();
    const helper = n >= SPLIT_MIN && this.helper?.isReady() ? this.helper : null;
    const box = this.box;
    Atomics.store(box, HELPED, 0);
    const out = { probabilities, labels };
    for (let from = 0, round = 0; from < n; from += per, round++) {
      const w = round & 1;
      const window = this.windows[w]!;
      if (window.count > 0) this.finish(w, out); // the round two before, in this window
      const count = Math.min(per, n - from);
      const blocks = Math.ceil(count / BLOCK);
      // Post the round (its fields before NEXT: a claim reads them after taking a block).
      const r = roundSlots(w);
      box[r + IMAGES] = count;
      box[r + X] = window.x;
      box[r + PROBS] = window.probs;
      box[r + LABELS] = window.labels;
      box[r + FLOAT] = float ? 1 : 0;
      Atomics.store(box, r + AVAIL, 0);
      Atomics.store(box, r + DONE, 0);
      Atomics.store(box, NEXT, (w << 30) | (blocks << 16));
      window.from = from;
      window.count = count;
      helper?.wake();
      // Copy the images in block by block, so that the helper can start on the first.
      for (let b = 0; b < blocks; b++) {
        const lo = (from + b * BLOCK) * PIXELS;
        const hi = Math.min(lo + BLOCK * PIXELS, (from + count) * PIXELS);
        const to = window.x + b * BLOCK * PIXELS * (float ? 4 : 1);
        if (!float) this.bytes.set((values as Uint8Array).subarray(lo, hi), to);
        else if (values instanceof Float32Array) this.floats.set(values.subarray(lo, hi), to / 4);
        else for (let i = lo, o = to / 4; i < hi; i++, o++) this.floats[o] = values[i]!;
        Atomics.store(box, r + AVAIL, b + 1);
      }
      takeBlocks(this.k, this.ints, box, this.jobs[0], false);
    }
    // The last rounds, oldest first.
    const last = this.windows[0]!.from > this.windows[1]!.from ? 0 : 1;
    for (const w of [1 - last, last]) if (this.windows[w]!.count > 0) this.finish(w, out);
    this.lastThreads = Atomics.load(box, HELPED) > 0 ? 2 : 1;
  }

  /** Waits for the round in window w and copies its answers out. */
  private finish(w: number, out: { probabilities: Float32Array; labels: Uint8Array }): void {
    const window = this.windows[w]!;
    const { from, count } = window;
    waitDone(this.box, w, Math.ceil(count / BLOCK));
    const p = window.probs / 4;
    out.probabilities.set(this.floats.subarray(p, p + count * CLASSES), from * CLASSES);
    out.labels.set(this.bytes.subarray(window.labels, window.labels + count), from);
    window.count = 0;
  }

  private start(): Helper {
    const input = { module: inferModule(), memory: this.memory, mailbox: this.mailbox };
    return startHelper(this, { ...input, job: this.jobs[1] });
  }

  /**
   * Starts the helper thread (unless closed) and resolves once it is up, so that the next large
   * batch is shared; resolves false when there will be no helper.
   */
  async ready(): Promise<boolean> {
    if (this.closed) return false;
    this.helper ??= this.start();
    return this.helper.ready;
  }

  /** Stops the helper thread for good: later calls run on this thread alone. */
  close(): void {
    this.closed = true;
    this.helper?.close();
    this.helper = null;
  }
}
