/**
 * A helper thread of the wasm kernel: instantiates the compiled module on the shared memory,
 * says it is ready, then waits on its mailbox and runs each part it claims (see helpers.ts)
 * until told to exit.
 */
import { workerData } from 'node:worker_threads';
import { runOp, SPIN_MS } from './helpers.js';
import * as L from './layout.js';
import { instantiate } from './module.js';
import { waitWhileEqual } from './wait.js';
import type {} from './webassembly.js';

interface Input {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly mailbox: number;
}

const { module, memory, mailbox } = workerData as Input;
const k = instantiate(module, memory);
const box = new Int32Array(memory.buffer, mailbox, L.MAILBOX_SLOTS);
Atomics.store(box, L.M_READY, 1);
Atomics.notify(box, L.M_READY);

// Start from 0, not from the current SEQ: no job is sent before READY, so anything already
// there is an exit sent while this thread was starting (it must not be missed).
let seen = 0;
for (;;) {
  seen = waitWhileEqual(box, L.M_SEQ, seen, SPIN_MS);
  if (box[L.M_OP] === L.OP_EXIT) break;
  // Claim part `seen` unless the caller took it back; fields are read after the claim.
  if (Atomics.compareExchange(box, L.M_CLAIM, seen - 1, seen) !== seen - 1) continue;
  runOp(k, box[L.M_OP]!, box[L.M_JOB]!, box[L.M_PART]!);
  Atomics.store(box, L.M_DONE, seen);
  Atomics.notify(box, L.M_DONE);
}
