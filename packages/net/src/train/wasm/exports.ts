/** The functions the AssemblyScript kernel (packages/net/assembly/kernel.ts) exports. */
export interface KernelExports {
  heapBase(): number;
  trainRange(
    H: number,
    Hp: number,
    start: number,
    index: number,
    value: number,
    labels: number,
    order: number,
    from: number,
    to: number,
    W1T: number,
    b1: number,
    W2: number,
    b2: number,
    dW1T: number,
    db1: number,
    dW2: number,
    db2: number,
    scratch: number,
    result: number,
  ): void;
  evalRange(
    Hp: number,
    start: number,
    index: number,
    value: number,
    labels: number,
    from: number,
    to: number,
    W1T: number,
    b1: number,
    W2: number,
    b2: number,
    scratch: number,
    result: number,
    confusion: number,
    probabilities: number,
    predictions: number,
  ): void;
}

/** Operation codes of a job for a helper thread. */
export const OP_TRAIN = 1;
export const OP_EVAL = 2;
export const OP_EXIT = 3;

/**
 * A thread's mailbox in shared memory (Int32 slots): [seq, done, op, args…]. The caller writes
 * op and args, bumps seq and notifies; the thread runs the job, sets done = seq and notifies.
 */
export const MAILBOX_SLOTS = 32;
export const SEQ = 0;
export const DONE = 1;
export const OP = 2;
export const ARGS = 3;

/** Runs one job (a slice of a batch) on this thread's instance of the kernel. */
export function runJob(k: KernelExports, op: number, args: ArrayLike<number>): void {
  if (op === OP_TRAIN) (k.trainRange as (...a: number[]) => void)(...Array.from(args).slice(0, 19));
  else if (op === OP_EVAL)
    (k.evalRange as (...a: number[]) => void)(...Array.from(args).slice(0, 16));
}

/**
 * Waits until `box[slot]` differs from `value`: spins for up to `spinMs` first (a futex wake-up
 * costs tens of microseconds, as much as a whole mini-batch slice), then sleeps.
 */
export function waitWhileEqual(
  box: Int32Array,
  slot: number,
  value: number,
  spinMs = 0.3,
  timeoutMs = Number.POSITIVE_INFINITY,
): number {
  let now = Atomics.load(box, slot);
  if (now !== value) return now;
  const until = performance.now() + spinMs;
  for (let i = 0; ; i++) {
    now = Atomics.load(box, slot);
    if (now !== value) return now;
    if ((i & 255) === 255 && performance.now() > until) break;
  }
  const deadline = performance.now() + timeoutMs;
  for (now = Atomics.load(box, slot); now === value; now = Atomics.load(box, slot)) {
    const left = deadline - performance.now();
    if (left <= 0)
      throw new Error(`wasm kernel: a helper thread did not answer within ${timeoutMs} ms`);
    Atomics.wait(box, slot, value, Math.min(left, 1000));
  }
  return now;
}
