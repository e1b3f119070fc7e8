/**
 * The inference kernel's helper thread (infer-helper.ts): instantiates `infer.wasm` on the shared
 * memory, says it is ready, then runs each Job it claims until told to exit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { waitWhileEqual } from '../train/wasm/helpers.js';
import {
  CLAIM,
  DONE,
  EXIT,
  type HelperInput,
  JOB,
  MAILBOX_SLOTS,
  READY,
  SEQ,
} from './infer-helper.js';
import { instantiateInfer } from './infer-kernel.js';

const { memory, mailbox } = workerData as HelperInput;
const k = instantiateInfer(memory);
const box = new Int32Array(memory.buffer, mailbox, MAILBOX_SLOTS);
Atomics.store(box, READY, 1);
parentPort?.postMessage('ready');

let seen = 0;
for (;;) {
  seen = waitWhileEqual(box, SEQ, seen, 1);
  if (Atomics.load(box, EXIT) === 1) break;
  // Claim Job `seen` unless the caller took it back; its fields are read after the claim.
  if (Atomics.compareExchange(box, CLAIM, seen - 1, seen) !== seen - 1) continue;
  k.infer(box[JOB]!);
  Atomics.store(box, DONE, seen);
  Atomics.notify(box, DONE);
}
