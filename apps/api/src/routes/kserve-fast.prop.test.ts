/**
 * The JSON body's fast path (http/fast-json.ts) and the full path (JSON.parse) accept and refuse
 * the same KServe bodies with the same answers. A byte-order mark in front of the same text makes
 * the fast path decline (the decoder drops the mark, so JSON.parse reads the same value): each
 * generated body is sent both ways and the answers compared, status, headers' kind and body.
 * Likewise the route's own middleware, which serves `application/json` (routes/kserve.ts), and
 * the documented route behind it, which serves the other JSON media types (`…+json`).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomModel, testApp } from '../../test/helpers.js';
import { FALLBACK, parseFast } from '../http/fast-json.js';

let api: ReturnType<typeof testApp>;
beforeAll(async () => {
  api = testApp({ maxBatch: 4 });
  await api.registry.register(randomModel(), { name: 'mnist', source: 'upload', jobId: null });
});
afterAll(async () => {
  await api.done();
});

async function answer(
  body: string,
  requestId: string,
  type = 'application/json',
  path = '/v2/models/mnist/infer',
) {
  const res = await api.app.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': type, 'x-request-id': requestId },
  });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

const value = fc.oneof(
  fc.integer({ min: -2, max: 300 }),
  fc.double({ min: -0.5, max: 1.5, noNaN: true }),
  fc.constantFrom(0, 1, 255, 256, -0, 0.5, 1e-7, 1.0000001, 1e308),
);
const values = (n: number) => fc.array(value, { minLength: n, maxLength: n });
const data = fc.oneof(
  fc.integer({ min: 1, max: 3 }).chain((n) => values(n * 784)),
  values(784).map((v) => v.map((x) => Math.min(255, Math.max(0, Math.round(x))))), // valid UINT8
  values(784).map((v) => v.map((x) => Math.min(1, Math.max(0, x)))), // valid FP32
  fc.integer({ min: 0, max: 900 }).chain(values),
  fc.array(fc.oneof(value, fc.string({ maxLength: 3 }), fc.constant(null)), { maxLength: 30 }),
  fc.constant(Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => 0))),
);
const shape = fc.oneof(
  fc.constantFrom([1, 784], [784], [28, 28], [2, 784], [3, 784], [5, 784], [1, 28, 28], [0, 784]),
  fc.array(fc.integer({ min: -1, max: 1000 }), { maxLength: 4 }),
);
const body = fc.record(
  {
    id: fc.string({ maxLength: 6 }).filter((s) => /^[ -~]*$/.test(s) && !s.includes('\\')),
    inputs: fc.array(
      fc.record(
        {
          name: fc.constantFrom('input', 'x'),
          shape,
          datatype: fc.constantFrom('UINT8', 'FP32', 'INT8'),
          data,
        },
        { requiredKeys: ['data'] },
      ),
      { minLength: 1, maxLength: 2 },
    ),
    outputs: fc.constantFrom(
      undefined,
      [{ name: 'labels' }],
      [{ name: 'probabilities' }, { name: 'labels' }],
      [{ name: 'nope' }],
    ),
  },
  { requiredKeys: ['inputs'] },
);

/** Bodies the API accepts: 1 to 3 images of either datatype, flat or nested. */
const validBody = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom('UINT8', 'FP32'), fc.boolean())
  .chain(([n, datatype, nested]) =>
    fc
      .array(
        datatype === 'UINT8' ? fc.integer({ min: 0, max: 255 }) : fc.double({ min: 0, max: 1 }),
        { minLength: n * 784, maxLength: n * 784 },
      )
      .map((v) => ({
        inputs: [
          {
            name: 'input',
            datatype,
            shape: nested ? [n, 28, 28] : [n, 784],
            data: nested
              ? Array.from({ length: n }, (_, i) =>
                  Array.from({ length: 28 }, (_, r) =>
                    v.slice(i * 784 + r * 28, i * 784 + r * 28 + 28),
                  ),
                )
              : v,
          },
        ],
      })),
  );

describe('KServe JSON bodies: the fast path answers as the full path', () => {
  it('accepts and refuses the same bodies with the same answers', async () => {
    let fast = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, validBody), fc.constantFrom(0, 2), async (b, indent) => {
        const text = JSON.stringify(b, null, indent);
        if (parseFast(new TextEncoder().encode(text)) !== FALLBACK) fast++;
        const viaFast = await answer(text, 'same-id');
        const viaFull = await answer(`\ufeff${text}`, 'same-id');
        expect(viaFast).toEqual(viaFull);
        if (viaFast.status === 200) accepted++;
      }),
      { numRuns: 200 },
    );
    // The generated bodies exercise both answers, through the fast path.
    expect(fast).toBeGreaterThan(150);
    expect(accepted).toBeGreaterThan(5);
  });

  it('the middleware serving application/json answers as the documented route (+json)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.oneof(body, validBody).map((b) => JSON.stringify(b)),
          fc.constantFrom('', '{', '[]', 'null', '{"inputs":[1,]}', `{"inputs":${'['.repeat(40)}}`),
        ),
        fc.constantFrom(
          '/v2/models/mnist/infer',
          '/v2/models/mnist/versions/1/infer',
          '/v2/models/mnist/versions/0/infer',
          '/v2/models/nope/infer',
        ),
        async (text, path) => {
          const served = await answer(text, 'same-id', 'application/json; charset=utf-8', path);
          const documented = await answer(text, 'same-id', 'application/vnd.mnist+json', path);
          expect(served).toEqual(documented);
        },
      ),
      { numRuns: 150 },
    );
  });
});
