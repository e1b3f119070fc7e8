/**
 * Compile time and run time agree: for random shapes and ops, the compiler refuses a call
 * exactly when the run-time check throws, and both say the same text.
 *
 * Shapes mix fixed dims (1, 2, 3, 10) and named dims (m, n, mTrain, mTest). Each name gets a
 * size from 4..5, so a fixed dim never equals a named one in size, while two names often share
 * a size: then only the run-time comparison of names (mTrain never meets mTest) can refuse.
 * All cases are compiled in one program; each is then run with real tensors.
 */
import fc from 'fast-check';
import ts from 'typescript-api';
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { compileSnippets, ENTRY, PKG } from './compile.js';

type Dim = number | string;
const NAMES = ['m', 'n', 'mTrain', 'mTest'] as const;
type Name = (typeof NAMES)[number];
/** Another set's name for each name: the training set's dims renamed to the test set's. */
const RENAME: Record<Name, Name> = { m: 'n', n: 'm', mTrain: 'mTest', mTest: 'mTrain' };
const dimArb: fc.Arbitrary<Dim> = fc.oneof(fc.constantFrom(1, 2, 3, 10), fc.constantFrom(...NAMES));
const shapeArb = (min: number, max: number) => fc.array(dimArb, { minLength: min, maxLength: max });
const sizesArb = fc.record(
  Object.fromEntries(NAMES.map((n) => [n, fc.integer({ min: 4, max: 5 })])) as Record<
    (typeof NAMES)[number],
    fc.Arbitrary<number>
  >,
);

type Case =
  | { kind: 'binary'; op: 'matmul' | 'add' | 'sub' | 'mul' | 'div' | 'axpy'; a: Dim[]; b: Dim[] }
  | { kind: 'axis'; op: 'sum' | 'max' | 'argmax' | 'softmax'; a: Dim[]; axis: number }
  | { kind: 'unary'; op: 'transpose' | 'oneHot' | 'columns'; a: Dim[] };

const caseArb: fc.Arbitrary<{ c: Case; sizes: Record<string, number> }> = fc.record({
  c: fc.oneof(
    fc
      .record({
        op: fc.constantFrom('matmul', 'add', 'sub', 'mul', 'div', 'axpy' as const),
        a: shapeArb(1, 3),
        other: shapeArb(1, 3),
        // How b relates to a, so that accepted calls, near misses and name-only clashes occur.
        mode: fc.constantFrom(
          'independent',
          'same',
          'one dim replaced',
          'renamed',
          'column',
          'transposed',
        ),
        at: fc.nat(2),
        dim: dimArb,
      })
      .map(({ op, a, other, mode, at, dim }): Case => {
        const b =
          mode === 'independent'
            ? other
            : mode === 'same'
              ? [...a]
              : mode === 'column'
                ? [a[0]!, 1]
                : mode === 'transposed'
                  ? [...a].reverse()
                  : mode === 'renamed'
                    ? a.map((d) => (typeof d === 'string' ? RENAME[d as Name] : d))
                    : a.map((d, i) => (i === at % a.length ? dim : d));
        return { kind: 'binary', op, a, b };
      }),
    fc.record({
      kind: fc.constant('axis' as const),
      op: fc.constantFrom('sum', 'max', 'argmax', 'softmax' as const),
      a: shapeArb(1, 3),
      axis: fc.integer({ min: -1, max: 3 }),
    }),
    fc.record({
      kind: fc.constant('unary' as const),
      op: fc.constantFrom('transpose', 'oneHot', 'columns' as const),
      a: shapeArb(1, 3),
    }),
  ),
  sizes: sizesArb,
});

const lit = (s: readonly Dim[]) => `[${s.map((d) => JSON.stringify(d)).join(', ')}]`;

function call(c: Case): string {
  if (c.kind === 'binary') return c.op === 'axpy' ? 'T.axpy(a, 0.1, b)' : `T.${c.op}(a, b)`;
  if (c.kind === 'axis') return `T.${c.op}(a, ${c.axis})`;
  if (c.op === 'oneHot') return 'T.oneHot(a, 10)';
  if (c.op === 'columns') return "T.columns(a, 0, 0, 'batch')";
  return 'T.transpose(a)';
}

function snippet(c: Case): string {
  const b = c.kind === 'binary' ? `declare const b: T.Tensor<${lit(c.b)}>;\n` : '';
  return `import * as T from ${JSON.stringify(ENTRY)};
declare const a: T.Tensor<${lit(c.a)}>;
${b}${call(c)};
`;
}

/** The message the run-time check throws, or undefined when the call succeeds. */
function runtime(c: Case, sizes: Record<string, number>, named = true): string | undefined {
  // Labels for oneHot must be valid classes: zeros are. `named = false` drops the dim names.
  const make = (s: Dim[]) => {
    const t = T.zeros(s as never, sizes as never) as unknown as T.Tensor;
    return named
      ? t
      : new T.Tensor(
          t.shape,
          t.shape.map(() => null),
          t.data,
        );
  };
  const a = make(c.a);
  const b = c.kind === 'binary' ? make(c.b) : undefined;
  // The untyped call: what a plain-JS caller (or a caller whose types were wrong) would run.
  const f = new Function('T', 'a', 'b', `return ${call(c)};`) as (
    t: typeof T,
    a: T.Tensor,
    b: T.Tensor | undefined,
  ) => unknown;
  try {
    f(T, a, b);
    return undefined;
  } catch (e) {
    if (!(e instanceof T.ShapeError)) throw e;
    return e.message;
  }
}

const SEED = 20261130;
const RUNS = 120;
const samples = fc.sample(caseArb, { seed: SEED, numRuns: RUNS });
const compiled = new Map<number, string | undefined>();

beforeAll(() => {
  const files = new Map(samples.map((s, i) => [`${PKG}test/__agree_${i}.ts`, snippet(s.c)]));
  const program = compileSnippets(files);
  samples.forEach((_, i) => {
    const source = program.getSourceFile(`${PKG}test/__agree_${i}.ts`)!;
    const diags = program.getSemanticDiagnostics(source);
    if (diags.length === 0) {
      compiled.set(i, undefined);
      return;
    }
    const text = diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n');
    // The message is the string literal type the argument failed to match.
    const m = /type '"([^"]*)"'/.exec(text);
    compiled.set(i, m?.[1] ?? `(no message in: ${text})`);
  });
}, 180_000);

describe(`compile-time and run-time shape errors agree (fast-check seed ${SEED}, ${RUNS} cases)`, () => {
  it('refuse the same calls, with the same text', () => {
    let refused = 0;
    let namesOnly = 0;
    samples.forEach(({ c, sizes }, i) => {
      const atRun = runtime(c, sizes);
      const label = `case ${i}: ${call(c)} with a ${lit(c.a)}${c.kind === 'binary' ? `, b ${lit(c.b)}` : ''}, sizes ${JSON.stringify(sizes)}`;
      expect(compiled.get(i), label).toBe(atRun);
      if (atRun !== undefined) refused++;
      if (atRun !== undefined && runtime(c, sizes, false) === undefined) namesOnly++;
    });
    // The sample covers both outcomes.
    expect(refused).toBeGreaterThan(RUNS / 4);
    expect(refused).toBeLessThan(RUNS);
    expect(namesOnly).toBeGreaterThan(0);
  });
});
