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
import { type Helper, startHelper } from './infer-helper.js';

/** Hidden units per tile of W1P. */
const TILE = 16;
/** Bytes of a lane's image window: 1,024 images as bytes, or 256 as float32. */
const WINDOW_BYTES = 256 * PIXELS;
/** The most images per chunk: a whole window of bytes. */
const WINDOW_IMAGES = WINDOW_BYTES / PIXELS;
const PAGE = 65536;
/** Below this many images a batch runs on this thread alone: the hand-off would not pay. */
export const SPLIT_MIN = 384;
/** The fields of `class Job` in `assembly/infer.ts`, one i32 each, in its order. */
const JOB = [
  'H',
  'n',
  'x',
  'float',
  'W1P',
  'b1',
  'W2T',
  'b2',
  'tables',
  'scratch',
  'probs',
  'labels',
];
const JOB_BYTES = 64;
const N_SLOT = JOB.indexOf('n');
const FLOAT_SLOT = JOB.indexOf('float');

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
export function instantiateInfer(memory: WebAssembly.Memory): InferExports {
  return new WebAssembly.Instance(inferModule(), { env: { memory } })
    .exports as unknown as InferExports;
}

/** Whether the inference kernel can run in this process (built, and SIMD supported). */
export function inferenceKernelAvailable(): boolean {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    instantiateInfer(memory);
    return true;
  } catch {
    return false;
  }
}

const align64 = (n: number) => Math.ceil(n / 64) * 64;

/** One lane: a Job block and its window, probabilities and labels. */
interface Lane {
  readonly job: number;
  readonly x: number;
  readonly probs: number;
  readonly labels: number;
}

/** One model, laid out for the kernel: see the layouts in `assembly/infer.ts`. */
export class InferenceKernel {
  readonly hidden: number;
  private readonly k: InferExports;
  private readonly memory: WebAssembly.Memory;
  private readonly lanes: readonly [Lane, Lane];
  private readonly mailbox: number;
  private readonly bytes: Uint8Array;
  private readonly floats: Float32Array;
  private readonly ints: Int32Array;
  private helper: Helper | null = null;
  private closed = false;
  /** Threads the last `run` used (1, or 2 when the helper took part). */
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
    this.mailbox = take(64);
    const lane = (): Lane => ({
      job: take(JOB_BYTES),
      x: take(WINDOW_BYTES),
      probs: take(WINDOW_IMAGES * CLASSES * 4 + 64), // + slack: a row's last store is 8 bytes wide
      labels: take(WINDOW_IMAGES),
    });
    this.lanes = [lane(), lane()];
    const scratch = [take(probe.scratchBytes(H)), take(probe.scratchBytes(H))];
    const pages = Math.ceil(top / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.k = instantiateInfer(this.memory);
    this.bytes = new Uint8Array(this.memory.buffer);
    this.floats = new Float32Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
    this.k.fillTables(model.tables, row);
    this.layOut(params, H, model.W1P, row, model);
    this.lanes.forEach((l, t) => {
      const fields: Record<string, number> = { H, ...model, scratch: scratch[t]!, ...l };
      JOB.forEach((name, i) => {
        if (name !== 'n' && name !== 'float') this.ints[l.job / 4 + i] = fields[name]!;
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
   * or more are split with the helper thread, started on the first such batch (until it is up,
   * they run here); who runs an image never changes its answer.
   */
  run(
    values: Uint8Array | Float32Array | readonly number[],
    float: boolean,
    probabilities: Float32Array,
    labels: Uint8Array,
  ): void {
    const n = values.length / PIXELS;
    const per = float ? WINDOW_BYTES / (PIXELS * 4) : WINDOW_IMAGES;
    if (n >= SPLIT_MIN && !this.closed) this.helper ??= this.start();
    const helper = n >= SPLIT_MIN && this.helper?.isReady() ? this.helper : null;
    this.lastThreads = helper ? 2 : 1;
    const [mine, theirs] = this.lanes;
    for (let from = 0; from < n; ) {
      if (helper) {
        // One round: the helper's chunk first (so it starts early), then this thread's.
        const count = Math.min(2 * per, n - from);
        const first = Math.ceil(count / 2);
        this.load(theirs, values, float, from, first);
        helper.send(theirs.job);
        this.load(mine, values, float, from + first, count - first);
        this.k.infer(mine.job);
        if (helper.claim())
          this.k.infer(theirs.job); // not started yet: run it here
        else helper.wait();
        this.unload(theirs, from, first, probabilities, labels);
        this.unload(mine, from + first, count - first, probabilities, labels);
        from += count;
      } else {
        const count = Math.min(per, n - from);
        this.load(mine, values, float, from, count);
        this.k.infer(mine.job);
        this.unload(mine, from, count, probabilities, labels);
        from += count;
      }
    }
  }

  /** Images from…from+count into the lane's window, and its Job's n and float. */
  private load(
    lane: Lane,
    values: Uint8Array | Float32Array | readonly number[],
    float: boolean,
    from: number,
    count: number,
  ): void {
    const lo = from * PIXELS;
    const hi = lo + count * PIXELS;
    if (!float) this.bytes.set((values as Uint8Array).subarray(lo, hi), lane.x);
    else if (values instanceof Float32Array) this.floats.set(values.subarray(lo, hi), lane.x / 4);
    else for (let i = lo, o = lane.x / 4; i < hi; i++, o++) this.floats[o] = values[i]!;
    this.ints[lane.job / 4 + N_SLOT] = count;
    this.ints[lane.job / 4 + FLOAT_SLOT] = float ? 1 : 0;
  }

  private unload(
    lane: Lane,
    from: number,
    count: number,
    probabilities: Float32Array,
    labels: Uint8Array,
  ): void {
    const p = lane.probs / 4;
    probabilities.set(this.floats.subarray(p, p + count * CLASSES), from * CLASSES);
    labels.set(this.bytes.subarray(lane.labels, lane.labels + count), from);
  }

  private start(): Helper {
    return startHelper(this, this.memory, this.mailbox);
  }

  /**
   * Starts the helper thread (unless closed) and resolves once it is up, so that the next large
   * batch is split; resolves false when there will be no helper.
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
