import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../test/helpers.js';
import { Rng, randNormal, randUniform } from './random.js';

/**
 * The generator written again from its definition, in BigInt arithmetic: the seed through
 * a Weyl sequence and the murmur3 finaliser into four words, then xoshiro128** (Blackman and
 * Vigna), whose reference C is quoted in the comments.
 */
function reference(seed: number): () => number {
  const M = (1n << 32n) - 1n;
  const mul = (a: bigint, b: bigint) => (a * b) & M;
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  let x = BigInt(seed >>> 0);
  const word = (): bigint => {
    x = (x + 0x9e3779b9n) & M;
    let z = x;
    z = mul(z ^ (z >> 16n), 0x85ebca6bn);
    z = mul(z ^ (z >> 13n), 0xc2b2ae35n);
    return z ^ (z >> 16n);
  };
  const s = [word(), word(), word(), word()] as [bigint, bigint, bigint, bigint];
  return () => {
    const result = mul(rotl(mul(s[1], 5n), 7n), 9n); // rotl(s[1] * 5, 7) * 9
    const t = (s[1] << 9n) & M; //                       t = s[1] << 9
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
    return Number(result);
  };
}

describe('Rng', () => {
  it('is xoshiro128** seeded through splitmix32, as written from the definition', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (seed) => {
        const rng = new Rng(seed);
        const ref = reference(seed);
        for (let i = 0; i < 16; i++) expect(rng.nextUint32()).toBe(ref());
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same numbers on every machine (seed 1)', () => {
    const rng = new Rng(1);
    const ref = reference(1);
    const first = Array.from({ length: 4 }, () => rng.nextUint32());
    expect(first).toEqual(Array.from({ length: 4 }, ref));
    expect(new Rng(1).next()).toBe(first[0]! / 2 ** 32);
  });

  it('refuses a seed that is not an integer', () => {
    expectShapeError(() => new Rng(1.5), {
      op: 'Rng',
      message: 'Rng: seed must be an integer, got 1.5',
    });
  });
});

describe('randUniform and randNormal', () => {
  it('refuse bounds the wrong way round and a negative std', () => {
    expectShapeError(() => randUniform([2], { rng: new Rng(1), low: 1, high: 0 }), {
      op: 'randUniform',
      message: 'randUniform: low 1 is above high 0',
    });
    expectShapeError(() => randNormal([2], { rng: new Rng(1), std: -1 }), {
      op: 'randNormal',
      message: 'randNormal: std must be >= 0, got -1',
    });
  });

  it('accept low equal to high: every element is that value', () => {
    expect(Array.from(randUniform([3], { rng: new Rng(1), low: 2, high: 2 }).data)).toEqual([
      2, 2, 2,
    ]);
  });

  it('name themselves when a named dim has no size', () => {
    // @ts-expect-error: the sizes of the named dims are required
    expect(() => randNormal(['m', 2], { rng: new Rng(1) })).toThrow(/^randNormal: /);
    // @ts-expect-error: the sizes of the named dims are required
    expect(() => randUniform(['m', 2], { rng: new Rng(1) })).toThrow(/^randUniform: /);
  });
});
