import { Rng } from '@mnist/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initParams, PARAM_NAMES, type Params } from '../network/params.js';
import type { FlatGradients } from './kernel.js';
import { Optimizer, type OptimizerSettings } from './optimizer.js';

/**
 * The optimisers against the rules written out once more, in plain float64 with each weight
 * rounded to float32 where the optimiser stores it: the results must be bit-identical.
 */
interface Rule {
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

function reference(
  name: OptimizerSettings['name'],
  r: Rule,
  w0: number[],
  grads: number[][],
  alpha: number,
): number[] {
  const w = [...w0];
  const s1 = w.map(() => 0);
  const s2 = w.map(() => 0);
  grads.forEach((g, step) => {
    const t = step + 1;
    for (let i = 0; i < w.length; i++) {
      const d = g[i]!;
      if (name === 'sgd') w[i] = Math.fround(w[i]! - alpha * d);
      else if (name === 'momentum') {
        s1[i] = r.momentum * s1[i]! + d;
        w[i] = Math.fround(w[i]! - alpha * s1[i]!);
      } else {
        s1[i] = r.beta1 * s1[i]! + (1 - r.beta1) * d;
        s2[i] = r.beta2 * s2[i]! + (1 - r.beta2) * d * d;
        const mHat = s1[i]! / (1 - r.beta1 ** t);
        const vHat = s2[i]! / (1 - r.beta2 ** t);
        w[i] = Math.fround(w[i]! - (alpha * mHat) / (Math.sqrt(vHat) + r.epsilon));
      }
    }
  });
  return w;
}

const DEFAULTS: Rule = { momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const H = 2;

/** Gradients for every parameter of width H, drawn from `rng`, scaled by `scale`. */
function gradients(rng: Rng, scale: number): FlatGradients {
  const draw = (n: number) => Float64Array.from({ length: n }, () => rng.normal() * scale);
  return { dW1: draw(H * 784), db1: draw(H), dW2: draw(10 * H), db2: draw(10) };
}

const flat = (p: Params) => PARAM_NAMES.flatMap((k) => Array.from(p[k].data));
const flatGrads = (g: FlatGradients) => [g.dW1, g.db1, g.dW2, g.db2].flatMap((a) => Array.from(a));

describe('Optimizer follows its rule exactly', () => {
  const settingsArb = fc.oneof(
    fc.constant<OptimizerSettings>({ name: 'sgd' }),
    fc.constant<OptimizerSettings>({ name: 'momentum' }),
    fc.constant<OptimizerSettings>({ name: 'adam' }),
    fc.record({
      name: fc.constantFrom('momentum' as const, 'adam' as const),
      momentum: fc.double({ min: 0, max: 0.99, noNaN: true }),
      beta1: fc.double({ min: 0.5, max: 0.99, noNaN: true }),
      beta2: fc.double({ min: 0.9, max: 0.9999, noNaN: true }),
      epsilon: fc.constantFrom(1e-8, 1e-3, 0.5),
    }),
  );

  it('sgd, momentum and adam, default and custom settings, over several steps', () => {
    fc.assert(
      fc.property(
        settingsArb,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0.001, 0.1, 1),
        fc.constantFrom(1e-4, 1, 30),
        (settings, seed, steps, alpha, scale) => {
          const rng = new Rng(seed);
          const p = initParams(H, 'uniform', rng);
          const w0 = flat(p);
          const gs = Array.from({ length: steps }, () => gradients(rng, scale));
          const opt = new Optimizer(p, settings);
          for (const g of gs) opt.apply(p, g, alpha);
          const rule = { ...DEFAULTS, ...settings };
          const want = reference(settings.name, rule, w0, gs.map(flatGrads), alpha);
          const got = flat(p);
          for (let i = 0; i < want.length; i++) {
            if (got[i] !== want[i])
              expect.fail(`${settings.name}: weight ${i} is ${got[i]}, rule gives ${want[i]}`);
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  it('keeps separate state per parameter: a gradient on b2 alone moves only b2', () => {
    for (const name of ['momentum', 'adam'] as const) {
      const p = initParams(H, 'uniform', new Rng(5));
      const before = flat(p);
      const g: FlatGradients = {
        dW1: new Float64Array(H * 784),
        db1: new Float64Array(H),
        dW2: new Float64Array(10 * H),
        db2: Float64Array.from({ length: 10 }, (_, i) => i + 1),
      };
      const opt = new Optimizer(p, { name });
      opt.apply(p, g, 0.1);
      opt.apply(p, g, 0.1);
      const after = flat(p);
      const b2At = before.length - 10;
      for (let i = 0; i < b2At; i++) expect(after[i]).toBe(before[i]);
      for (let i = b2At; i < after.length; i++) expect(after[i]).toBeLessThan(before[i]!);
    }
  });
});
