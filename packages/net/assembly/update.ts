// The update: the parts' gradient sums become the mean gradient, and the job's rule (SGD,
// momentum, Adam: the formulas of packages/net/src/train/optimizer.ts) moves the weights, in
// one pass over the block. The block is cut into as many slices as the batch had parts, one
// call per slice (on the threads, like the parts); every float is summed over the parts in
// part order whichever slice or thread it falls in, so the slicing never changes the result.

import * as L from '../src/train/wasm/layout';
import { addr, int, real } from './job';

const INV255: f32 = 1.0 / 255.0;

/** Σ over the parts (in part order) of the gradient floats at byte o of each block. */
// @ts-ignore: decorator
@inline function summed(G: usize, bytes: usize, parts: i32, o: usize): v128 {
  let g = v128.load(G + o);
  for (let t = 1; t < parts; t++) g = f32x4.add(g, v128.load(G + <usize>t * bytes + o));
  return g;
}

/**
 * Applies the job's rule to the floats at bytes from…to of the blocks, the mean gradient being
 * the parts' sum times `scale`. Inlined with `rule` a constant: one straight loop per rule.
 */
// @ts-ignore: decorator
@inline function apply(rule: i32, job: usize, from: usize, to: usize, scale: f32): void {
  const G = addr(job, L.J_GRADS);
  const bytes = <usize>int(job, L.J_BLOCK_BYTES);
  const parts = int(job, L.J_PARTS);
  const W = addr(job, L.J_WEIGHTS);
  const S1 = addr(job, L.J_STATE1);
  const S2 = addr(job, L.J_STATE2);
  const s = f32x4.splat(scale);
  const alpha = f32x4.splat(real(job, L.J_ALPHA));
  const beta1 = f32x4.splat(real(job, L.J_BETA1));
  const beta2 = f32x4.splat(real(job, L.J_BETA2));
  const rest1 = f32x4.splat(1 - real(job, L.J_BETA1));
  const rest2 = f32x4.splat(1 - real(job, L.J_BETA2));
  const epsilon = f32x4.splat(real(job, L.J_EPSILON));
  // Adam's α·(m/c1)/(√(v/c2) + ε) as (α/c1)·m/(√v·(1/√c2) + ε): one division a float, not three.
  const alphaC1 = f32x4.splat(real(job, L.J_ALPHA) / real(job, L.J_CORRECT1));
  const rootC2 = f32x4.splat(<f32>1 / Mathf.sqrt(real(job, L.J_CORRECT2)));
  for (let o = from; o < to; o += 16) {
    const g = f32x4.mul(summed(G, bytes, parts, o), s);
    if (rule == L.OPT_MEAN) {
      v128.store(G + o, g);
    } else if (rule == L.OPT_SGD) {
      v128.store(W + o, f32x4.sub(v128.load(W + o), f32x4.mul(alpha, g)));
    } else if (rule == L.OPT_MOMENTUM) {
      const v = f32x4.add(f32x4.mul(beta1, v128.load(S1 + o)), g);
      v128.store(S1 + o, v);
      v128.store(W + o, f32x4.sub(v128.load(W + o), f32x4.mul(alpha, v)));
    } else {
      const m = f32x4.add(f32x4.mul(beta1, v128.load(S1 + o)), f32x4.mul(rest1, g));
      const v = f32x4.add(f32x4.mul(beta2, v128.load(S2 + o)), f32x4.mul(f32x4.mul(rest2, g), g));
      v128.store(S1 + o, m);
      v128.store(S2 + o, v);
      const step = f32x4.div(
        f32x4.mul(alphaC1, m),
        f32x4.add(f32x4.mul(f32x4.sqrt(v), rootC2), epsilon),
      );
      v128.store(W + o, f32x4.sub(v128.load(W + o), step));
    }
  }
}

/** Slice `part` of the job's rule on bytes from…to: dW1 scaled by 1/(255·m), the rest by 1/m. */
// @ts-ignore: decorator
@inline function applyScaled(rule: i32, job: usize, from: usize, to: usize): void {
  const inv: f32 = 1.0 / <f32>(int(job, L.J_TO) - int(job, L.J_FROM));
  const w1Bytes = <usize>L.IMAGE_PIXELS * (<usize>int(job, L.J_HP) << 2);
  const split = min(max(from, w1Bytes), to);
  apply(rule, job, from, split, inv * INV255);
  apply(rule, job, split, to, inv);
}

/**
 * Slice `part` (of as many as the batch had parts) of the update: sums the parts' gradients in
 * part order and scales them to the mean (dW1 also by 1/255); with OPT_MEAN leaves that mean
 * in part 0's block, else applies the rule to the weights and the optimiser's state.
 */
export function update(job: usize, part: i32): void {
  const vectors = <usize>int(job, L.J_BLOCK_BYTES) >> 4;
  const parts = <usize>int(job, L.J_PARTS);
  const from = ((vectors * <usize>part) / parts) << 4;
  const to = ((vectors * <usize>(part + 1)) / parts) << 4;
  const rule = int(job, L.J_OPTIMIZER);
  if (rule == L.OPT_MEAN) applyScaled(L.OPT_MEAN, job, from, to);
  else if (rule == L.OPT_SGD) applyScaled(L.OPT_SGD, job, from, to);
  else if (rule == L.OPT_MOMENTUM) applyScaled(L.OPT_MOMENTUM, job, from, to);
  else if (rule == L.OPT_ADAM) applyScaled(L.OPT_ADAM, job, from, to);
  else unreachable();
}
