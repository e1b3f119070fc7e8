/**
 * A helper thread of the wasm kernel: instantiates the module on the shared memory, then waits
 * on its mailbox and runs the jobs it is given (a slice of a batch) until told to exit.
 */
import { workerData } from 'node:worker_threads';
import {
  ARGS,
  DONE,
  type KernelExports,
  MAILBOX_SLOTS,
  OP,
  OP_EXIT,
  runJob,
  SEQ,
  waitWhileEqual,
} from './exports.js';

interface Input {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly mailbox: number;
}

const { module, memory, mailbox } = workerData as Input;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
const box = new Int32Array(memory.buffer, mailbox, MAILBOX_SLOTS);

let seen = 0;
for (;;) {
  seen = waitWhileEqual(box, SEQ, seen, 1);
  const op = box[OP]!;
  if (op === OP_EXIT) break;
  runJob(k, op, box.subarray(ARGS));
  Atomics.store(box, DONE, seen);
  Atomics.notify(box, DONE);
}
