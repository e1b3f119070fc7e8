/**
 * The inference kernel's helper thread: a worker with its own instance of `infer.wasm` on the
 * kernel's shared memory, started once per kernel and reused. Its mailbox (MAILBOX_SLOTS i32 at
 * `mailbox`) carries one Job at a time. A Job is claimed by whoever gets to it first: the helper,
 * or the calling thread once its own part is done (a helper that is starting, or that the OS has
 * not scheduled, never holds a batch up). The worker is unref'd and stopped by `close` or when its
 * kernel is collected: it never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import { builtFile } from '../train/wasm/module.js';

/** Mailbox slots: the Job's sequence number, who claimed it, which is done, ready, the Job, exit. */
export const SEQ = 0;
export const CLAIM = 1;
export const DONE = 2;
export const READY = 3;
export const JOB = 4;
export const EXIT = 5;
export const MAILBOX_SLOTS = 6;
/** A helper that has not finished a Job it claimed by then is taken as lost (never hang). */
const TIMEOUT_MS = 120_000;

/** What the worker gets. */
export interface HelperInput {
  readonly memory: WebAssembly.Memory;
  readonly mailbox: number;
}

export interface Helper {
  /** Resolves true once the worker is up, false if it failed to start or was closed. */
  readonly ready: Promise<boolean>;
  /** Whether the worker is up now. */
  isReady(): boolean;
  /** Posts the Job at byte offset `job`. */
  send(job: number): void;
  /** Takes the posted Job back if the worker has not claimed it; true if taken. */
  claim(): boolean;
  /** Waits until the worker has finished the posted Job. */
  wait(): void;
  /** Stops the worker. */
  close(): void;
}

const stop = new FinalizationRegistry<() => void>((close) => close());

/** Starts the helper of `owner` (its worker is stopped when `owner` is collected). */
export function startHelper(owner: object, memory: WebAssembly.Memory, mailbox: number): Helper {
  const box = new Int32Array(memory.buffer, mailbox, MAILBOX_SLOTS);
  box.fill(0);
  const worker = new Worker(builtFile('model/infer-worker.js'), {
    workerData: { memory, mailbox } satisfies HelperInput,
    // The parent's flags, less those a worker refuses (`node --input-type=module -e …`).
    execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
  });
  worker.unref();
  let alive = true;
  let seq = 0;
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
    worker.once('error', () => {
      alive = false;
      resolve(false);
    });
    worker.once('exit', () => {
      alive = false;
      resolve(false);
    });
  });
  const token = {};
  stop.register(owner, close, token);
  return {
    ready,
    isReady: () => alive && Atomics.load(box, READY) === 1,
    send(job) {
      seq++;
      box[JOB] = job;
      Atomics.store(box, SEQ, seq);
      Atomics.notify(box, SEQ);
    },
    claim: () => Atomics.compareExchange(box, CLAIM, seq - 1, seq) === seq - 1,
    wait() {
      for (let i = 0; i < 4096; i++) if (Atomics.load(box, DONE) === seq) return;
      const deadline = performance.now() + TIMEOUT_MS;
      for (let now = Atomics.load(box, DONE); now !== seq; now = Atomics.load(box, DONE)) {
        if (performance.now() > deadline) {
          close();
          throw new Error(
            `inference kernel: the helper thread did not answer within ${TIMEOUT_MS} ms`,
          );
        }
        Atomics.wait(box, DONE, now, 100);
      }
    },
    close() {
      stop.unregister(token);
      close();
    },
  };
}
