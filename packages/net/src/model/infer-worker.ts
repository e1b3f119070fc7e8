/**
 * The inference kernel's helper thread (infer-helper.ts): instantiates `infer.wasm` on the shared
 * memory, says it is ready, then takes blocks of each round it is woken for until told to exit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { waitWhileEqual } from '../train/wasm/wait.js';
import { EXIT, type HelperInput, MAILBOX_SLOTS, READY, SEQ, takeBlocks } from './infer-helper.js';
import { instantiateInfer } from './infer-kernel.js';

const { module, memory, mailbox, job } = workerData as HelperInput;
const k = instantiateInfer(memory, module);
const box = new Int32Array(memory.buffer, mailbox, MAILBOX_SLOTS);
const ints = new Int32Array(memory.buffer);
Atomics.store(box, READY, 1);
parentPort?.postMessage('ready');

for (let seen = 0; ; ) {
  seen = waitWhileEqual(box, SEQ, seen, 1);
  if (Atomics.load(box, EXIT) === 1) break;
  takeBlocks(k, ints, box, job, true);
}
