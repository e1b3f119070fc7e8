// The update: the parts' gradient sums become the mean gradient, and the job's rule (SGD,
// momentum, Adam: the formulas of packages/net/src/train/optimizer.ts) moves the weights.

import {
  B2_FLOATS,
  B2_ROW,
  IMAGE_PIXELS,
  J_ALPHA,
  J_BETA1,
  J_BETA2,
  J_CORRECT1,
  J_CORRECT2,
  J_EPSILON,
  J_FROM,
  J_GRADS,
  J_HP,
  J_OPTIMIZER,
  J_PARTS,
  J_STATE1,
  J_STATE2,
  J_TO,
  J_WEIGHTS,
  OPT_ADAM,
  OPT_MEAN,
  OPT_MOMENTUM,
  OPT_SGD,
} from '../src/train/wasm/layout';
import { addr, blockBytes, int, real } from './job';

const INV255: f32 = 1.0 / 255.0;

/**
 * Sums the parts' gradients in part order and scales them to the mean (dW1 also by 1/255),
 * into part 0's block; then, unless the rule is OPT_MEAN, applies the rule to the weights.
 */
export function update(job: usize): void {
  const Hp = int(job, J_HP);
  const bytes = blockBytes(Hp);
  const G = addr(job, J_GRADS);
  const parts = int(job, J_PARTS);
  const inv: f32 = 1.0 / <f32>(int(job, J_TO) - int(job, J_FROM));
  const w1Bytes = <usize>IMAGE_PIXELS * (<usize>Hp << 2);
  for (let o: usize = 0; o < bytes; o += 16) {
    let g = v128.load(G + o);
    for (let t = 1; t < parts; t++) g = f32x4.add(g, v128.load(G + <usize>t * bytes + o));
    v128.store(G + o, f32x4.mul(g, f32x4.splat(o < w1Bytes ? inv * INV255 : inv)));
  }
  const rule = int(job, J_OPTIMIZER);
  if (rule == OPT_MEAN) return;
  const W = addr(job, J_WEIGHTS);
  const alpha = f32x4.splat(real(job, J_ALPHA));
  if (rule == OPT_SGD) {
    for (let o: usize = 0; o < bytes; o += 16)
      v128.store(W + o, f32x4.sub(v128.load(W + o), f32x4.mul(alpha, v128.load(G + o))));
    return;
  }
  const S1 = addr(job, J_STATE1);
  const beta1 = f32x4.splat(real(job, J_BETA1));
  if (rule == OPT_MOMENTUM) {
    for (let o: usize = 0; o < bytes; o += 16) {
      const v = f32x4.add(f32x4.mul(beta1, v128.load(S1 + o)), v128.load(G + o));
      v128.store(S1 + o, v);
      v128.store(W + o, f32x4.sub(v128.load(W + o), f32x4.mul(alpha, v)));
    }
    return;
  }
  if (rule != OPT_ADAM) unreachable();
  const S2 = addr(job, J_STATE2);
  const beta2 = f32x4.splat(real(job, J_BETA2));
  const rest1 = f32x4.splat(1 - real(job, J_BETA1));
  const rest2 = f32x4.splat(1 - real(job, J_BETA2));
  const epsilon = f32x4.splat(real(job, J_EPSILON));
  const c1 = f32x4.splat(real(job, J_CORRECT1));
  const c2 = f32x4.splat(real(job, J_CORRECT2));
  for (let o: usize = 0; o < bytes; o += 16) {
    const g = v128.load(G + o);
    const m = f32x4.add(f32x4.mul(beta1, v128.load(S1 + o)), f32x4.mul(rest1, g));
    const v = f32x4.add(f32x4.mul(beta2, v128.load(S2 + o)), f32x4.mul(f32x4.mul(rest2, g), g));
    v128.store(S1 + o, m);
    v128.store(S2 + o, v);
    const step = f32x4.div(
      f32x4.mul(alpha, f32x4.div(m, c1)),
      f32x4.add(f32x4.sqrt(f32x4.div(v, c2)), epsilon),
    );
    v128.store(W + o, f32x4.sub(v128.load(W + o), step));
  }
}

