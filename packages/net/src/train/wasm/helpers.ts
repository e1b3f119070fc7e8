/**
 * The helper threads of the wasm kernel and how a job is split over them. Each helper has a
 * mailbox in shared memory (layout.ts: M_…). A part is claimed by whoever gets to it first: the
 * helper it was sent to, or the calling thread once its own part is done (a helper that is still
 * starting, or that the OS has not scheduled, never holds a step up). A part writes only its own
 * sums, so who ran it never changes the result.
 */
import { Worker } from 'node:worker_threads';
import * as L from './layout.js';
import type { SharedHeap } from './memory.js';
import { builtFile, type KernelExports } from './module.js';
import { waitUntil } from './wait.js';
import type {} from './webassembly.js';

/** A helper that has not finished a part it claimed by then is taken as lost (never hang). */
const HELPER_TIMEOUT_MS = 120_000;
/** How long a waiting thread spins before it sleeps (the helpers between jobs, the caller for a part). */
export const SPIN_MS = 1;

/** Runs one operation of a job on an instance (the caller's or a helper's). */
export function runOp(k: KernelExports, op: number, job: number, part: number): void {
  if (op === L.OP_GRADIENTS) k.gradients(job, part);
  else if (op === L.OP_EVALUATE) k.evaluate(job, part);
  else if (op === L.OP_UPDATE) k.update(job, part);
  else throw new Error(`wasm kernel: unknown operation ${op}`);
}

export class Helpers {
  /** Mailboxes' first Int32 slot, one per helper (helper h runs part h + 1). */
  private readonly boxes: number[];
  private readonly ends: Promise<void>[];
  private readonly seq: number[];

  constructor(
    private readonly heap: SharedHeap,
    private readonly k: KernelExports,
    module: WebAssembly.Module,
    count: number,
  ) {
    this.boxes = [];
    this.ends = [];
    this.seq = [];
    for (let h = 0; h < count; h++) {
      const mailbox = heap.alloc(L.MAILBOX_SLOTS * 4);
      const worker = new Worker(builtFile('train/wasm/worker.js'), {
        workerData: { module, memory: heap.memory, mailbox },
      });
      worker.unref();
      this.boxes.push(mailbox >> 2);
      this.ends.push(new Promise((resolve) => worker.once('exit', () => resolve())));
      this.seq.push(0);
    }
  }

  /**
   * Runs `op` on parts 0…parts−1 of `job` and returns when all are done: part 0 here, part t on
   * helper t − 1 if it is ready (else here too), any part not yet claimed by its helper here.
   */
  run(op: number, job: number, parts: number): void {
    const box = this.heap.i32;
    const sent: number[] = [];
    for (let t = 1; t < parts; t++) {
      const b = this.boxes[t - 1]!;
      if (box[b + L.M_READY] !== 1) continue;
      box[b + L.M_OP] = op;
      box[b + L.M_JOB] = job;
      box[b + L.M_PART] = t;
      this.seq[t - 1]! += 1;
      Atomics.store(box, b + L.M_SEQ, this.seq[t - 1]!);
      Atomics.notify(box, b + L.M_SEQ);
      sent.push(t);
    }
    runOp(this.k, op, job, 0);
    for (let t = 1; t < parts; t++) {
      const b = this.boxes[t - 1]!;
      const s = this.seq[t - 1]!;
      if (!sent.includes(t)) runOp(this.k, op, job, t);
      else if (Atomics.compareExchange(box, b + L.M_CLAIM, s - 1, s) === s - 1)
        runOp(this.k, op, job, t); // the helper had not started it: do it here
      else if (Atomics.load(box, b + L.M_DONE) !== s)
        waitUntil(box, b + L.M_DONE, s, {
          spinMs: SPIN_MS,
          timeoutMs: HELPER_TIMEOUT_MS,
          who: 'wasm kernel',
        });
    }
  }

  /** Helpers whose instance is ready (the others' parts run on the calling thread). */
  ready(): number {
    return this.boxes.filter((b) => Atomics.load(this.heap.i32, b + L.M_READY) === 1).length;
  }

  /** Blocks until every helper is ready (or `timeoutMs` passed); returns how many are. */
  waitUntilReady(timeoutMs: number): number {
    const deadline = performance.now() + timeoutMs;
    for (const b of this.boxes) {
      for (let left = timeoutMs; left > 0; left = deadline - performance.now())
        if (Atomics.wait(this.heap.i32, b + L.M_READY, 0, left) !== 'timed-out') break;
    }
    return this.ready();
  }

  /** Resolves when every helper thread has ended (after `dispose`). */
  exited(): Promise<void> {
    return Promise.all(this.ends).then(() => {});
  }

  /** Ends the helper threads. */
  dispose(): void {
    const box = this.heap.i32;
    for (const [h, b] of this.boxes.entries()) {
      box[b + L.M_OP] = L.OP_EXIT;
      this.seq[h]! += 1;
      Atomics.store(box, b + L.M_SEQ, this.seq[h]!);
      Atomics.notify(box, b + L.M_SEQ);
    }
  }
}
