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
  OP_EVAL,
  OP_EXIT,
  OP_TRAIN,
  SEQ,
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
  Atomics.wait(box, SEQ, seen);
  seen = Atomics.load(box, SEQ);
  const op = box[OP];
  const a = (i: number) => box[ARGS + i]!;
  if (op === OP_EXIT) break;
  if (op === OP_TRAIN) {
    k.trainRange(
      a(0),
      a(1),
      a(2),
      a(3),
      a(4),
      a(5),
      a(6),
      a(7),
      a(8),
      a(9),
      a(10),
      a(11),
      a(12),
      a(13),
      a(14),
      a(15),
      a(16),
      a(17),
      a(18),
    );
  } else if (op === OP_EVAL) {
    k.evalRange(
      a(0),
      a(1),
      a(2),
      a(3),
      a(4),
      a(5),
      a(6),
      a(7),
      a(8),
      a(9),
      a(10),
      a(11),
      a(12),
      a(13),
      a(14),
      a(15),
    );
  }
  Atomics.store(box, DONE, seen);
  Atomics.notify(box, DONE);
}
