import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyNested, nestedFrom, pool, shapeArb } from '../test/arbitraries.js';
import { asTensor } from '../test/helpers.js';
import { expectExact, reshapeRef } from '../test/reference.js';
import { bind, reshape } from './create.js';
import { ShapeError } from './errors.js';
import type { Dim } from './shape.js';
import type { Tensor } from './tensor.js';

describe('tensor', () => {
  it('holds a nested array in row-major order and gives it back', () => {
    fc.assert(
      fc.property(anyNested(1, 3), (x) => {
        const t = asTensor(x);
        expectExact(t, x);
        expect(t.toArray()).toEqual(x);
      }),
    );
  });
});

/** reshape as a plain-JS caller sees it: a run-time shape and its sizes. */
const reshapeAny = reshape as unknown as (
  t: Tensor,
  shape: readonly Dim[],
  sizes?: Record<string, number>,
) => Tensor;

describe('reshape', () => {
  /** A shape, data of that shape, and a regrouping of its dims with the same element count. */
  const arb = fc
    .record({
      shape: shapeArb(1, 3),
      values: pool(),
      rank: fc.integer({ min: 1, max: 3 }),
      groups: fc.array(fc.nat(2), { minLength: 3, maxLength: 3 }),
      named: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    })
    .map(({ shape, values, rank, groups, named }) => ({
      x: nestedFrom(shape, values),
      // Dim i of the source goes into dim `group[i]` of the target.
      groups: [rank, groups.map((g) => g % rank)] as const,
      named,
    }));

  it('lays the same row-major elements out in the new shape, sharing the data', () => {
    fc.assert(
      fc.property(arb, ({ x, groups: [rank, group], named }) => {
        const t = asTensor(x);
        const target = Array.from({ length: rank }, () => 1);
        t.shape.forEach((n, i) => {
          target[group[i]!]! *= n;
        });
        // Some dims by name (sizes given), the others as fixed sizes.
        const spec: Dim[] = target.map((n, i) => (named[i] ? `d${i}` : n));
        const sizes = Object.fromEntries(target.map((n, i) => [`d${i}`, n]));
        const r = reshapeAny(t, spec, sizes);
        expectExact(r, reshapeRef(x, target));
        expect(r.dims).toEqual(spec);
        expect(r.data).toBe(t.data);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// bind: accepts exactly the raw shapes consistent with the specs.

const NAMES = ['m', 'n', 'k'] as const;
const KEYS = ['X', 'Y', 'Z'] as const;

type Spec = Dim[];
interface RawT {
  data: number[];
  shape: number[];
}

/** One check bind must make, in the order it reads the input. */
type Fact =
  | { readonly key: string; readonly at: string; readonly ok: boolean }
  | { readonly key: string; readonly at: string; readonly name: string; readonly size: number };

/**
 * The facts a spec and a raw tensor state: the rank matches, then per dim either a fixed size
 * matches or a name has this size, then the element count matches. A wrong rank states
 * nothing further (the dims do not line up).
 */
function factsOf(key: string, spec: Spec, r: RawT): Fact[] {
  if (r.shape.length !== spec.length) return [{ key, at: 'rank', ok: false }];
  const facts: Fact[] = spec.map((d, i) =>
    typeof d === 'number'
      ? { key, at: `dim ${i}`, ok: r.shape[i] === d }
      : { key, at: `dim ${i}`, name: d, size: r.shape[i]! },
  );
  const count = r.shape.reduce((a, b) => a * b, 1);
  facts.push({ key, at: 'count', ok: r.data.length === count });
  return facts;
}

/** Facts are consistent when every check holds and every name has a single size. */
function consistent(facts: readonly Fact[]): boolean {
  const sizes = new Map<string, Set<number>>();
  for (const f of facts) {
    if ('ok' in f) {
      if (!f.ok) return false;
    } else {
      const s = sizes.get(f.name) ?? new Set<number>();
      s.add(f.size);
      sizes.set(f.name, s);
    }
  }
  return [...sizes.values()].every((s) => s.size === 1);
}

/** How a raw shape departs from its spec: not at all (most often), or in one way. */
const mutationArb = fc.record({
  kind: fc.oneof(
    { weight: 3, arbitrary: fc.constant('none' as const) },
    fc.constantFrom('dim' as const, 'drop' as const, 'append' as const, 'count' as const),
  ),
  at: fc.nat(2),
  size: fc.integer({ min: 1, max: 4 }),
  extra: fc.constantFrom(-1, 1),
});
type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutate(shape: number[], m: Mutation): { shape: number[]; extra: number } {
  switch (m.kind) {
    case 'none':
      return { shape, extra: 0 };
    case 'dim':
      return { shape: shape.map((d, j) => (j === m.at % shape.length ? m.size : d)), extra: 0 };
    case 'drop':
      return { shape: shape.slice(0, -1), extra: 0 };
    case 'append':
      return { shape: [...shape, m.size], extra: 0 };
    case 'count':
      return { shape, extra: m.extra };
  }
}

/**
 * Specs over the names m, n, k and fixed sizes; raw shapes that resolve the specs with one
 * true size per name, each perhaps broken one way; and sometimes sizes `known` to the caller.
 */
const bindArb = fc
  .record({
    truth: fc.record({
      m: fc.integer({ min: 1, max: 4 }),
      n: fc.integer({ min: 1, max: 4 }),
      k: fc.integer({ min: 1, max: 4 }),
    }),
    specs: fc.array(
      fc.array(fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(...NAMES)), {
        minLength: 1,
        maxLength: 3,
      }),
      { minLength: 1, maxLength: 3 },
    ),
    mutations: fc.array(mutationArb, { minLength: 3, maxLength: 3 }),
    known: fc.dictionary(fc.constantFrom(...NAMES), fc.integer({ min: 1, max: 4 }), { maxKeys: 2 }),
  })
  .map(({ truth, specs, mutations, known }) => {
    const specsByKey: Record<string, Spec> = {};
    const raws: Record<string, RawT> = {};
    specs.forEach((spec, t) => {
      const key = KEYS[t]!;
      const resolved = spec.map((d) => (typeof d === 'number' ? d : truth[d]));
      const { shape, extra } = mutate(resolved, mutations[t]!);
      const count = Math.max(0, shape.reduce((a, b) => a * b, 1) + extra);
      specsByKey[key] = spec;
      raws[key] = { shape, data: Array.from({ length: count }, (_, i) => i) };
    });
    return { specs: specsByKey, raws, known };
  });

/** bind as a plain-JS caller sees it: specs built at run time. */
const bindAny = bind as unknown as (
  specs: Record<string, Spec>,
  raws: Record<string, RawT>,
  known?: Record<string, number>,
) => Record<string, Tensor>;

describe('bind', () => {
  it('accepts exactly the raw shapes consistent with the specs, and names the first fact broken', () => {
    fc.assert(
      fc.property(bindArb, ({ specs, raws, known }) => {
        const facts: Fact[] = Object.entries(known).map(([name, size]) => ({
          key: 'the caller',
          at: name,
          name,
          size,
        }));
        for (const key of Object.keys(specs)) facts.push(...factsOf(key, specs[key]!, raws[key]!));
        let result: Record<string, Tensor> | undefined;
        let error: unknown;
        try {
          result = bindAny(specs, raws, known);
        } catch (e) {
          error = e;
        }
        if (consistent(facts)) {
          expect(error).toBeUndefined();
          for (const [key, spec] of Object.entries(specs)) {
            const t = result![key]!;
            expect(t.shape).toEqual(raws[key]!.shape);
            expect(t.dims).toEqual(
              spec.map((d, i) => (typeof d === 'string' ? d : raws[key]!.shape[i])),
            );
            expect(Array.from(t.data)).toEqual(raws[key]!.data);
          }
          return;
        }
        // The first fact whose prefix is inconsistent is the one the error must name.
        const first = facts.find((_, i) => !consistent(facts.slice(0, i + 1)))!;
        expect(error).toBeInstanceOf(ShapeError);
        const e = error as ShapeError;
        expect(e.op).toBe(`bind ${first.key}`);
        const what = { rank: 'expected rank', count: 'elements' }[first.at] ?? `${first.at} `;
        expect(e.message).toContain(what);
        if ('name' in first) expect(e.message).toContain(`('${first.name}')`);
      }),
      { numRuns: 300 },
    );
  });
});
