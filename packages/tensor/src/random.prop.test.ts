import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, randNormal, randUniform } from './random.js';

const seed = fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 });

function draw(rng: Rng, n: number, f: (r: Rng) => number): number[] {
  return Array.from({ length: n }, () => f(rng));
}

function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / xs.length) };
}

describe('Rng', () => {
  it('gives the same sequence for the same seed', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const all = (r: Rng) => [
          r.nextUint32(),
          r.next(),
          r.uniform(-3, 3),
          r.normal(),
          r.normal(),
          r.normal(),
          r.int(10),
        ];
        const a = new Rng(s);
        const b = new Rng(s);
        for (let i = 0; i < 20; i++) expect(all(a)).toEqual(all(b));
      }),
    );
  });

  it('gives different sequences for different seeds', () => {
    fc.assert(
      fc.property(seed, seed, (s, t) => {
        fc.pre(s >>> 0 !== t >>> 0);
        expect(draw(new Rng(s), 4, (r) => r.nextUint32())).not.toEqual(
          draw(new Rng(t), 4, (r) => r.nextUint32()),
        );
      }),
    );
  });

  it('draws uniform values within [low, high)', () => {
    const bounds = fc
      .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 2000 }))
      .map(([lo, width]) => [lo / 8, (lo + width) / 8] as const);
    fc.assert(
      fc.property(seed, bounds, (s, [low, high]) => {
        const rng = new Rng(s);
        const us = draw(rng, 1000, (r) => r.uniform(low, high));
        expect(Math.min(...us)).toBeGreaterThanOrEqual(low);
        expect(Math.max(...us)).toBeLessThan(high);
        const n = rng.int(7);
        expect(Number.isInteger(n) && n >= 0 && n < 7).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('draws uniform values whose mean and std are those of U(0, 1) on 10k samples', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const { mean, std } = meanStd(draw(new Rng(s), 10_000, (r) => r.next()));
        // Standard errors: 0.0029 for the mean, ~0.0015 for the std; allow 5 of them.
        expect(Math.abs(mean - 0.5)).toBeLessThan(0.015);
        expect(Math.abs(std - Math.sqrt(1 / 12))).toBeLessThan(0.008);
      }),
      { numRuns: 20 },
    );
  });

  it('draws normal values with mean 0 and std 1 on 10k samples', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const { mean, std } = meanStd(draw(new Rng(s), 10_000, (r) => r.normal()));
        // Standard errors: 0.01 for the mean, ~0.007 for the std; allow 5 of them.
        expect(Math.abs(mean)).toBeLessThan(0.05);
        expect(Math.abs(std - 1)).toBeLessThan(0.035);
      }),
      { numRuns: 20 },
    );
  });

  it('shuffles into a permutation, the same one for the same seed', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 50 }), (s, n) => {
        const a = new Rng(s).shuffle(Array.from({ length: n }, (_, i) => i));
        const b = new Rng(s).shuffle(Array.from({ length: n }, (_, i) => i));
        expect(a).toEqual(b);
        expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });
});

describe('randUniform and randNormal', () => {
  it('fill a tensor of the shape from the seeded Rng', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 100 }), (s, m) => {
        const U = randUniform([10, 'm'], { rng: new Rng(s) }, { m });
        expect(U.shape).toEqual([10, m]);
        expect(U.dims).toEqual([10, 'm']);
        // float32 rounding can land a draw just below 0.5 on 0.5 itself.
        expect(Math.min(...U.data)).toBeGreaterThanOrEqual(-0.5);
        expect(Math.max(...U.data)).toBeLessThanOrEqual(0.5);
        expect(randUniform([10, 'm'], { rng: new Rng(s) }, { m }).data).toEqual(U.data);
        const N = randNormal([10, 'm'], { rng: new Rng(s), mean: 3, std: 0 }, { m });
        expect(N.data.every((v) => v === 3)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('randNormal has the requested mean and std on 10k samples', () => {
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (s, mean, std) => {
          const W = randNormal([100, 100], { rng: new Rng(s), mean, std });
          const got = meanStd(W.data);
          expect(Math.abs(got.mean - mean)).toBeLessThan(0.05 * std);
          expect(Math.abs(got.std - std)).toBeLessThan(0.035 * std);
        },
      ),
      { numRuns: 20 },
    );
  });
});

/** The draws of `Rng` written again from their definitions over a second generator's `next()`. */
describe('draws against the definitions, over the same stream', () => {
  it('normal is Box–Muller: cos then the kept sin of one pair (u ≠ 0, v)', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const rng = new Rng(s);
        const ref = new Rng(s);
        for (let pair = 0; pair < 3; pair++) {
          let u = 0;
          while (u === 0) u = ref.next();
          const v = ref.next();
          const r = Math.sqrt(-2 * Math.log(u));
          expect(rng.normal()).toBe(r * Math.cos(2 * Math.PI * v));
          expect(rng.normal()).toBe(r * Math.sin(2 * Math.PI * v));
        }
        expect(rng.next()).toBe(ref.next());
      }),
    );
  });

  it('int(n) is floor(next · n)', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 1000 }), (s, n) => {
        const rng = new Rng(s);
        const ref = new Rng(s);
        for (let k = 0; k < 5; k++) expect(rng.int(n)).toBe(Math.floor(ref.next() * n));
      }),
    );
  });

  it('shuffle is Fisher–Yates from the top: swap i with int(i + 1), n − 1 draws in all', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 40 }), (s, n) => {
        const rng = new Rng(s);
        const ref = new Rng(s);
        const expected = Array.from({ length: n }, (_, i) => i);
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(ref.next() * (i + 1));
          [expected[i], expected[j]] = [expected[j]!, expected[i]!];
        }
        expect(rng.shuffle(Array.from({ length: n }, (_, i) => i))).toEqual(expected);
        expect(rng.next()).toBe(ref.next());
      }),
    );
  });

  it('randUniform is low + (high − low) · next per element, row-major, one draw each; defaults ±0.5', () => {
    fc.assert(
      fc.property(
        seed,
        fc.integer({ min: 1, max: 20 }),
        fc.option(
          fc.tuple(
            fc.double({ min: -3, max: 3, noNaN: true }),
            fc.double({ min: 0, max: 3, noNaN: true }),
          ),
        ),
        (s, m, bounds) => {
          const [low, high] = bounds === null ? [-0.5, 0.5] : [bounds[0], bounds[0] + bounds[1]];
          const rng = new Rng(s);
          const options = bounds === null ? { rng } : { rng, low, high };
          const U = randUniform([3, 'm'], options, { m });
          const ref = new Rng(s);
          const expected = Float32Array.from(
            { length: 3 * m },
            () => low + (high - low) * ref.next(),
          );
          expect(U.data).toEqual(expected);
          expect(rng.next()).toBe(ref.next());
        },
      ),
    );
  });

  it('randNormal is mean + std · normal per element, row-major, one draw each', () => {
    fc.assert(
      fc.property(
        seed,
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (s, m, mean, std) => {
          const rng = new Rng(s);
          const W = randNormal(['m', 2], { rng, mean, std }, { m });
          const ref = new Rng(s);
          expect(W.data).toEqual(
            Float32Array.from({ length: 2 * m }, () => mean + std * ref.normal()),
          );
          expect(rng.normal()).toBe(ref.normal());
        },
      ),
    );
  });
});
