/**
 * A helper thread of the wasm kernel: instantiates the compiled module on the shared memory,
 * says it is ready, then waits on its mailbox and runs each part it claims (see helpers.ts)
 * until told to exit.
 */
import { workerData } from 'node:worker_threads';
import { runOp, waitWhileEqual } from './helpers.js';
import {
  M_CLAIM,
  M_DONE,
  M_JOB,
  M_OP,
  M_PART,
  M_READY,
  M_SEQ,
  MAILBOX_SLOTS,
  OP_EXIT,
} from './layout.js';
import { instantiate } from './module.js';

interface Input {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly mailbox: number;
}

const { module, memory, mailbox } = workerData as Input;
const k = instantiate(module, memory);
const box = new Int32Array(memory.buffer, mailbox, MAILBOX_SLOTS);
Atomics.store(box, M_READY, 1);
Atomics.notify(box, M_READY);

// Start from 0, not from the current SEQ: no job is sent before READY, so anything already
// there is an exit sent while this thread was starting (it must not be missed).
let seen = 0;
for (;;) {
  seen = waitWhileEqual(box, M_SEQ, seen, 1);
  if (box[M_OP] === OP_EXIT) break;
  // Claim part `seen` unless the caller took it back; fields are read after the claim.
  if (Atomics.compareExchange(box, M_CLAIM, seen - 1, seen) !== seen - 1) continue;
  runOp(k, box[M_OP]!, box[M_JOB]!, box[M_PART]!);
  Atomics.store(box, M_DONE, seen);
  Atomics.notify(box, M_DONE);
}
