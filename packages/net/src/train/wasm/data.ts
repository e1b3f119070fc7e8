/**
 * A data set moved into the kernel's shared memory once per run, as its non-zero pixels
 * (compressed rows, ~19 % of MNIST's pixels) built by the kernel itself: the images pass through
 * a small staging area a chunk at a time, counted, then sparsified, so the full-size float or
 * byte matrix is never copied in.
 */
import type { Examples } from '../examples.js';
import * as L from './layout.js';
import type { SharedHeap } from './memory.js';
import type { KernelExports } from './module.js';

/** Images per chunk through the staging area. */
export const STAGE_IMAGES = 1000;
/** Bytes of the staging area: a chunk of images (784 kB), then sparsify's table. */
export const STAGE_BYTES = STAGE_IMAGES * L.IMAGE_PIXELS + L.PACK_BYTES;

/** Copies `ex` into the heap as compressed rows; returns the address of its data set header. */
export function attachData(
  heap: SharedHeap,
  k: KernelExports,
  stage: number,
  ex: Examples,
): number {
  const m = ex.count;
  if (ex.pixels.length !== m * L.IMAGE_PIXELS)
    throw new Error(
      `wasm kernel: expected ${m} × ${L.IMAGE_PIXELS} pixels, got ${ex.pixels.length}`,
    );
  const start = heap.alloc((m + 1) * 4);
  const labels = heap.alloc(m);
  heap.u8.set(ex.labels, labels);
  const chunks = (f: (j: number, n: number) => void) => {
    for (let j = 0; j < m; j += STAGE_IMAGES) {
      const n = Math.min(STAGE_IMAGES, m - j);
      heap.u8.set(ex.pixels.subarray(j * L.IMAGE_PIXELS, (j + n) * L.IMAGE_PIXELS), stage);
      f(j, n);
    }
  };
  // Counts into start[1…m], then their running sum: start[j] is where image j begins.
  chunks((j, n) => k.countNonZero(stage, n, start + (j + 1) * 4));
  const s = heap.u32.subarray(start >> 2, (start >> 2) + m + 1);
  for (let j = 1; j <= m; j++) s[j]! += s[j - 1]!;
  const nnz = s[m]!;
  const index = heap.alloc(nnz * 2 + L.SLACK_BYTES);
  const value = heap.alloc(nnz + L.SLACK_BYTES);
  const table = stage + STAGE_IMAGES * L.IMAGE_PIXELS;
  chunks((j, n) => k.sparsify(stage, n, start + j * 4, index, value, table));
  const header = heap.alloc(L.DATA_SLOTS * 4);
  const h = heap.i32.subarray(header >> 2);
  h[L.D_START] = start;
  h[L.D_INDEX] = index;
  h[L.D_VALUE] = value;
  h[L.D_LABELS] = labels;
  h[L.D_COUNT] = m;
  return header;
}
