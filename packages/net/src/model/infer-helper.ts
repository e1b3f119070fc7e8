/**
 * How a batch is shared between the calling thread and the inference kernel's helper thread (a
 * worker with its own instance of `infer.wasm` on the kernel's shared memory, started once per
 * kernel and reused). A batch goes through the kernel's two windows in rounds, alternately; a
 * round is cut into blocks of BLOCK images, and each thread takes the next block (an atomic
 * counter) until none are left: a helper that is starting, or that the OS has not scheduled,
 * leaves its share to the caller. The caller goes on to the next round in the other window at
 * once, and waits for a round's last blocks only before it reuses its window, and at the end.
 * Each image is computed whole by one thread, so who ran it never changes its answer.
 *
 * The mailbox (MAILBOX_SLOTS i32 at `mailbox`) holds NEXT (window << 30 + the round's blocks
 * << 16 + the next block: one atomic add both claims a block and says whether it exists, so a
 * late claim never reads another round's fields) and each window's round (its fields, AVAIL:
 * blocks whose images are in memory, DONE: blocks finished). The worker is
 * unref'd and stopped by `close` or when its kernel is collected: it never keeps the process
 * alive.
 */
import { Worker } from 'node:worker_threads';
import { builtFile } from '../train/wasm/module.js';
import { waitUntil } from '../train/wasm/wait.js';
import type {} from '../train/wasm/webassembly.js';
import type { InferExports } from './infer-kernel.js';

/** Images per block. */
export const BLOCK = 32;
/** Mailbox slots. */
export const SEQ = 0; //  bumped to wake the worker for a round (or to exit)
export const READY = 1; // 1 once the worker is up
export const EXIT = 2; //  1: the worker stops
export const HELPED = 3; // blocks the worker ran since the caller last reset it
export const NEXT = 4; //  (window << 30) + (blocks << 16) + the next block of the posted round
/** The round in window w (0 or 1) has its slots from ROUND_SLOTS + 8·w on, at these offsets: */
const ROUND_SLOTS = 8;
export const IMAGES = 0; // its images
export const X = 1; //  byte offset of its first image
export const PROBS = 2; // of its first row of probabilities
export const LABELS = 3; // of its first label
export const FLOAT = 4; // 1 if the images are f32 (else u8)
export const AVAIL = 5; // blocks whose images are in memory
export const DONE = 6; // blocks finished
export const MAILBOX_SLOTS = 24;
/** The first slot of window w's round. */
export const roundSlots = (w: number) => ROUND_SLOTS + 8 * w;
/** A helper that has not finished a block it claimed by then is taken as lost (never hang). */
const TIMEOUT_MS = 120_000;

/**
 * Takes blocks of the current round and runs them on instance `k` with its Job at byte offset
 * `job` (fields n, x, float, probs, labels set per block) until none are left; the `helper`
 * counts its blocks in HELPED.
 */
export function takeBlocks(
  k: InferExports,
  ints: Int32Array,
  box: Int32Array,
  job: number,
  helper: boolean,
) {
  for (;;) {
    const claim = Atomics.add(box, NEXT, 1);
    const b = claim & 0xffff;
    const blocks = (claim >>> 16) & 0x3fff;
    if (b >= blocks) return; // none left
    const r = roundSlots(claim >>> 30);
    const images = box[r + IMAGES]!;
    while (Atomics.load(box, r + AVAIL) <= b); // its images are being copied in: a few µs
    const float = box[r + FLOAT]!;
    const first = b * BLOCK;
    ints[job / 4 + JOB_N] = Math.min(BLOCK, images - first);
    ints[job / 4 + JOB_X] = box[r + X]! + first * 784 * (float ? 4 : 1);
    ints[job / 4 + JOB_FLOAT] = float;
    ints[job / 4 + JOB_PROBS] = box[r + PROBS]! + first * 40;
    ints[job / 4 + JOB_LABELS] = box[r + LABELS]! + first;
    k.infer(job);
    if (helper) Atomics.add(box, HELPED, 1);
    Atomics.add(box, r + DONE, 1);
    Atomics.notify(box, r + DONE);
  }
}

/** The fields of `class Job` in `assembly/infer.ts`, one i32 each, in its order. */
export const JOB = [
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
] as const;
const JOB_N = JOB.indexOf('n');
const JOB_X = JOB.indexOf('x');
const JOB_FLOAT = JOB.indexOf('float');
const JOB_PROBS = JOB.indexOf('probs');
const JOB_LABELS = JOB.indexOf('labels');

/** What the worker gets. */
export interface HelperInput {
  /** The compiled module: passed, not compiled again, so that the worker runs its optimised code. */
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly mailbox: number;
  /** Its Job's byte offset. */
  readonly job: number;
}

export interface Helper {
  /** Resolves true once the worker is up, false if it failed to start or was closed. */
  readonly ready: Promise<boolean>;
  /** Whether the worker is up now. */
  isReady(): boolean;
  /** Wakes the worker for the round just posted. */
  wake(): void;
  /** Stops the worker. */
  close(): void;
}

const stop = new FinalizationRegistry<() => void>((close) => close());

/** Starts the helper of `owner` (its worker is stopped when `owner` is collected). */
export function startHelper(owner: object, input: HelperInput): Helper {
  const box = new Int32Array(input.memory.buffer, input.mailbox, MAILBOX_SLOTS);
  const worker = new Worker(builtFile('model/infer-worker.js'), {
    workerData: input,
    // The parent's flags, less those a worker refuses (`node --input-type=module -e …`).
    execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
  });
  worker.unref();
  let alive = true;
  const close = () => {
    if (!alive) return;
    alive = false;
    Atomics.store(box, EXIT, 1);
    Atomics.add(box, SEQ, 1);
    Atomics.notify(box, SEQ);
    void worker.terminate();
  };
  const ready = new Promise<boolean>((resolve) => {
    worker.once('message', () => resolve(alive));
    for (const event of ['error', 'exit'])
      worker.once(event, () => {
        alive = false;
        resolve(false);
      });
  });
  const token = {};
  stop.register(owner, close, token);
  return {
    ready,
    isReady: () => alive && Atomics.load(box, READY) === 1,
    wake() {
      Atomics.add(box, SEQ, 1);
      Atomics.notify(box, SEQ);
    },
    close() {
      stop.unregister(token);
      close();
    },
  };
}

/** Waits until all `blocks` blocks of window w's round are done (the helper may hold one). */
export function waitDone(box: Int32Array, w: number, blocks: number): void {
  // Spin for about a block's time first.
  waitUntil(box, roundSlots(w) + DONE, blocks, {
    spinMs: 0.2,
    timeoutMs: TIMEOUT_MS,
    who: 'inference kernel',
  });
}
