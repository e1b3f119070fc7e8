/**
 * The wasm kernel's calling convention, written once. This file is both TypeScript and
 * AssemblyScript: `packages/net/assembly/kernel.ts` imports it as it is, so both sides read the
 * same numbers. Every kernel function takes the address of a job header (and a part number);
 * everything else is found through the header. No positional argument lists.
 *
 * Shared memory (one WebAssembly.Memory, every thread's instance on it; offsets in bytes):
 *
 *   job header   JOB_SLOTS × 4 bytes: the slots J_… below (addresses u32, counts i32, rates f32)
 *   weights      one block, the kernel's layout, resident for the whole run (Hp = H rounded up to 4):
 *                  W1T (784, Hp) f32   W1 transposed: each pixel's Hp weights contiguous
 *                  b1  (Hp)      f32
 *                  W2  (10, Hp)  f32   rows padded to Hp
 *                  b2  (16)      f32   10 used
 *                padded lanes are zero and stay zero (their gradients are zero)
 *   grads        PARTS blocks like the weights: part t's sums dW1T, db1, dW2, db2 (unscaled,
 *                dW1T in pixel bytes: Σ dZ1·x·255); after `update` with the OPT_MEAN
 *                "optimiser", part 0 holds the mean gradient
 *   state1/2     blocks like the weights: momentum's velocity, Adam's moments
 *   scratch      per part: Z1, A1, dZ1 (Hp each), Z2 (16), then 64 bytes the kernel keeps its
 *                pointers in: one example's column at a time
 *   results      per part, RESULT_BYTES: summed loss (f64), count correct (i32), a sink (u32)
 *   confusion    per part, 10 × 10 u32 (true·10 + predicted), added to; 0: none
 *   data set     D_SLOTS × 4 bytes: the non-zero pixels of `count` images (compressed rows)
 *                  start (count + 1) u32, index (nnz) u16 pixel 0…783, value (nnz) u8 1…255,
 *                  labels (count) u8; index and value have SLACK_BYTES more (written, unused)
 *   order        (m) u32: the examples of an epoch in their shuffled order
 *
 * A batch is examples order[FROM…TO), cut into PARTS contiguous parts: part t is
 * [FROM + ⌊n·t/PARTS⌋, FROM + ⌊n·(t+1)/PARTS⌋), n = TO − FROM. Parts are summed in part order,
 * so the result depends on the part count, never on which thread ran a part.
 */

// ---- job header slots (index × 4 = byte offset) ----
/** Hp: hidden width rounded up to a multiple of 4 (i32). */
export const J_HP = 0;
/** Address of the weights block. */
export const J_WEIGHTS = 1;
/** Address of a data set header. */
export const J_DATA = 2;
/** Address of the order (u32 per example); 0: the examples in their stored order. */
export const J_ORDER = 3;
/** The batch: order[FROM…TO), cut into PARTS parts (i32). */
export const J_FROM = 4;
export const J_TO = 5;
export const J_PARTS = 6;
/** Address of part 0's gradient block; part t's is at GRADS + t · BLOCK_BYTES. */
export const J_GRADS = 7;
/** Address of part 0's scratch; part t's at SCRATCH + t · SCRATCH_BYTES. */
export const J_SCRATCH = 8;
/** Address of part 0's results; part t's at RESULTS + t · RESULT_BYTES. */
export const J_RESULTS = 9;
/** Address of part 0's confusion matrix (10 × 10 u32, part t's CONFUSION_BYTES on), or 0. */
export const J_CONFUSION = 10;
/** The update rule: one of OPT_… (i32). */
export const J_OPTIMIZER = 11;
/** Addresses of the optimiser's state blocks (0 when unused). */
export const J_STATE1 = 12;
export const J_STATE2 = 13;
/** Learning rate α of this step (f32). */
export const J_ALPHA = 14;
/** Momentum μ, or Adam's β1 (f32). */
export const J_BETA1 = 15;
/** Adam's β2 and ε (f32). */
export const J_BETA2 = 16;
export const J_EPSILON = 17;
/** Adam's bias corrections 1 − β1^t and 1 − β2^t of this step (f32). */
export const J_CORRECT1 = 18;
export const J_CORRECT2 = 19;
/** Bytes of a weights (gradient, state) block, PART_ALIGN-rounded: set once, by weights.ts's blockFloats. */
export const J_BLOCK_BYTES = 20;
/** Bytes of a part's scratch, PART_ALIGN-rounded: set once (kernel.ts). */
export const J_SCRATCH_BYTES = 21;
export const JOB_SLOTS = 22;

// ---- data set header slots ----
export const D_START = 0;
export const D_INDEX = 1;
export const D_VALUE = 2;
export const D_LABELS = 3;
export const D_COUNT = 4;
export const DATA_SLOTS = 5;
/** Bytes `sparsify` may write past the last pixel of index and of value (whole 8-lane stores). */
export const SLACK_BYTES = 16;
/** Bytes of the table `sparsify` packs with (8 per 8-bit mask), after the staged images. */
export const PACK_BYTES = 2048;

// ---- update rules ----
/** No update: leave the mean gradient in part 0's block (for tests and the reference). */
export const OPT_MEAN = 0;
/** W := W − α dW. */
export const OPT_SGD = 1;
/** v := μ v + dW, W := W − α v. */
export const OPT_MOMENTUM = 2;
/** Adam with bias correction. */
export const OPT_ADAM = 3;

// ---- sizes, in floats of Hp (the weights block) ----
export const IMAGE_PIXELS = 784;
export const OUTPUTS = 10;
/** b1 starts after W1T's 784 rows, W2 after one more row, b2 after 10 more. */
export const B1_ROW = 784;
export const W2_ROW = 785;
export const B2_ROW = 795;
/** b2 is padded to 16 floats (one 64-byte line). */
export const B2_FLOATS = 16;
/** Per part scratch: Z1, A1, dZ1 (Hp floats each), then Z2 (16 floats) and the pointers of a pass. */
export const SCRATCH_ROWS = 3;
export const SCRATCH_TAIL_BYTES = 128;
/**
 * Parts' scratch and gradient blocks are rounded up to this many bytes, so two threads never
 * write the same cache line (or its prefetched pair): a part's per-example writes to its Z1 used
 * to share a line with the next part's pass pointers, which every example reads.
 */
export const PART_ALIGN = 128;
/** Per part results: loss f64 at 0, correct i32 at 8 (at 12: what the kernel's early touches read). */
export const RESULT_BYTES = 16;
/** Per part confusion counts: 10 × 10 u32 (400 bytes), each part's PART_ALIGN-rounded apart. */
export const CONFUSION_BYTES = 512;

// ---- a helper thread's mailbox (i32 slots) ----
/** Bumped by the caller for each job. */
export const M_SEQ = 0;
/** Set to SEQ by the helper when the job is done. */
export const M_DONE = 1;
/** What to run: one of OP_…. */
export const M_OP = 2;
/** The job header's address and the part to run. */
export const M_JOB = 3;
export const M_PART = 4;
/** Set to 1 by the helper once its instance is ready. */
export const M_READY = 5;
/** The last SEQ claimed (by the helper, or taken back by the caller): job s is free while CLAIM = s − 1. */
export const M_CLAIM = 6;
export const MAILBOX_SLOTS = 16;

export const OP_GRADIENTS = 1;
export const OP_EVALUATE = 2;
export const OP_EXIT = 3;
/** Slice `part` of the update (sum of the parts, the rule): after OP_GRADIENTS, same parts. */
export const OP_UPDATE = 4;
