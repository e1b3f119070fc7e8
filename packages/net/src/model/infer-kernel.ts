/**
 * The inference kernel (`assembly/infer.ts`, built to `dist/infer.wasm`): the notes' forward
 * pass for a batch of images in WebAssembly SIMD. The module is compiled once per process; each
 * `InferenceKernel` is one instance with the model laid out in its memory once, and a fixed
 * window that images pass through in chunks, so a call allocates only its answer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLASSES, hiddenWidth, type Params, PIXELS } from '../network/params.js';

/** Hidden units per tile of W1P; a pixel's weights in a tile are one 64-byte row. */
const TILE = 16;
/** Bytes of the image window: 1,024 images as bytes, or 256 as float32. */
const WINDOW_BYTES = 1024 * PIXELS;
const PAGE = 65536;

/** The kernel's exports (`assembly/infer.ts`). */
interface InferExports {
  readonly memory: WebAssembly.Memory;
  infer(
    H: number,
    n: number,
    x: number,
    float: boolean,
    W1P: number,
    b1: number,
    W2T: number,
    b2: number,
    scratch: number,
    probs: number,
    labels: number,
  ): void;
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
function module(): WebAssembly.Module {
  if (failure) throw failure;
  try {
    compiled ??= new WebAssembly.Module(readFileSync(wasmFile()));
    return compiled;
  } catch (e) {
    failure = e as Error;
    throw failure;
  }
}

/** Whether the inference kernel can run in this process (built, and SIMD supported). */
export function inferenceKernelAvailable(): boolean {
  try {
    module();
    return true;
  } catch {
    return false;
  }
}

const align64 = (n: number) => Math.ceil(n / 64) * 64;

/** One model, laid out for the kernel: see the layouts in `assembly/infer.ts`. */
export class InferenceKernel {
  readonly hidden: number;
  private readonly k: InferExports;
  private readonly at: {
    W1P: number;
    b1: number;
    W2T: number;
    b2: number;
    scratch: number;
    x: number;
    probs: number;
    labels: number;
  };
  private readonly bytes: Uint8Array;
  private readonly floats: Float32Array;

  /** Copies the weights: later changes to `params` do not reach the kernel. */
  constructor(params: Params) {
    const H = hiddenWidth(params);
    this.hidden = H;
    this.k = new WebAssembly.Instance(module(), {}).exports as unknown as InferExports;
    const tiles = Math.ceil(H / TILE);
    let top = align64(this.k.memory.buffer.byteLength);
    const take = (bytes: number) => {
      const at = top;
      top = align64(top + bytes);
      return at;
    };
    const windowImages = WINDOW_BYTES / PIXELS; // the most images per chunk (as bytes)
    this.at = {
      W1P: take(tiles * PIXELS * TILE * 4),
      b1: take(tiles * TILE * 4),
      W2T: take(H * TILE * 4),
      b2: take(TILE * 4),
      scratch: take((2 * PIXELS + tiles * TILE + TILE) * 4),
      x: take(WINDOW_BYTES),
      probs: take(windowImages * CLASSES * 4 + 64), // + slack: a row's last store is 8 bytes wide
      labels: take(windowImages),
    };
    const have = this.k.memory.buffer.byteLength;
    if (top > have) this.k.memory.grow(Math.ceil((top - have) / PAGE));
    this.bytes = new Uint8Array(this.k.memory.buffer);
    this.floats = new Float32Array(this.k.memory.buffer);
    this.layOut(params, H);
  }

  private layOut(params: Params, H: number): void {
    const f = this.floats;
    const { W1P, b1, W2T, b2 } = this.at;
    const W1 = params.W1.data; // (H, 784)
    for (let h = 0; h < H; h++) {
      const tile = W1P / 4 + Math.floor(h / TILE) * PIXELS * TILE;
      const lane = h % TILE;
      for (let k = 0; k < PIXELS; k++) f[tile + k * TILE + lane] = W1[h * PIXELS + k]!;
    }
    f.set(params.b1.data, b1 / 4);
    const W2 = params.W2.data; // (10, H)
    for (let h = 0; h < H; h++)
      for (let c = 0; c < CLASSES; c++) f[W2T / 4 + h * TILE + c] = W2[c * H + h]!;
    f.set(params.b2.data, b2 / 4);
  }

  /**
   * Class probabilities and labels of n images: `uint8` bytes (n × 784) or `float32` values in
   * [0, 1]. Writes into `probabilities` (n × 10) and `labels` (n).
   */
  run(
    values: Uint8Array | Float32Array | readonly number[],
    float: boolean,
    probabilities: Float32Array,
    labels: Uint8Array,
  ): void {
    const n = values.length / PIXELS;
    const per = float ? WINDOW_BYTES / (PIXELS * 4) : WINDOW_BYTES / PIXELS;
    const { x, probs } = this.at;
    for (let from = 0; from < n; from += per) {
      const count = Math.min(per, n - from);
      const lo = from * PIXELS;
      const hi = lo + count * PIXELS;
      if (!float) this.bytes.set((values as Uint8Array).subarray(lo, hi), x);
      else if (values instanceof Float32Array) this.floats.set(values.subarray(lo, hi), x / 4);
      else for (let i = lo, o = x / 4; i < hi; i++, o++) this.floats[o] = values[i]!;
      const a = this.at;
      this.k.infer(
        this.hidden,
        count,
        x,
        float,
        a.W1P,
        a.b1,
        a.W2T,
        a.b2,
        a.scratch,
        probs,
        a.labels,
      );
      probabilities.set(
        this.floats.subarray(probs / 4, probs / 4 + count * CLASSES),
        from * CLASSES,
      );
      labels.set(this.bytes.subarray(a.labels, a.labels + count), from);
    }
  }
}
