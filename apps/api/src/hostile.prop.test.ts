/**
 * Hostile input: generated bodies, content types, paths and files never produce a 5xx, and a
 * refused request never changes what is stored (models, files, jobs).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomModel, randomModelBytes, testApp } from '../test/helpers.js';

const TOKEN = 'hostile';
const auth = { authorization: `Bearer ${TOKEN}` };
let api: ReturnType<typeof testApp>;
let canary: string;
beforeAll(async () => {
  api = testApp({ token: TOKEN, bodyLimit: 64 * 1024, uploadLimit: 64 * 1024, maxBatch: 4 });
  await api.registry.register(randomModel(), { name: 'mnist', source: 'upload', jobId: null });
  canary = join(api.dir, '..', `canary-${Date.now()}`);
  writeFileSync(canary, 'do not touch');
});
afterAll(async () => {
  await api.done();
});

/** What is stored: model rows, weight files, job rows. */
function stored() {
  return {
    models: api.registry.table.list({ limit: 1_000_000 }).map((m) => m.id),
    files: readdirSync(join(api.dir, 'models')).sort(),
    jobs: api.jobs.table.list({ limit: 1_000_000 }).map((j) => `${j.id}:${j.status}`),
  };
}

/** Sends a request and checks the invariants; returns the status. */
async function send(path: string, init: RequestInit): Promise<number> {
  const before = stored();
  const res = await api.app.request(path, init);
  const text = await res.text();
  expect(res.status, `${init.method} ${path} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(
    500,
  );
  if (res.status >= 400) {
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = JSON.parse(text) as { status: number; error: string; detail: string };
    expect(problem.status).toBe(res.status);
    expect(problem.error).toBe(problem.detail);
    expect(stored()).toEqual(before);
  } else if (res.status === 202 && path === '/v1/trainings') {
    // A generated body that happens to be a valid training request: cancel it, it is not the point.
    await api.jobs.cancel((JSON.parse(text) as { id: string }).id);
  } else if (res.status === 201) {
    await api.registry.delete((JSON.parse(text) as { id: string }).id);
  }
  return res.status;
}

const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-1, 0, 1, 255, 256, 1e308, -1e308, 2 ** 53, 0.5, -0.0, 1e-320),
);
const hostileValue = fc.oneof(
  hostileNumber,
  fc.string({ maxLength: 8 }),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1', '', null, true, false, {}, [], [[]], {
    length: 784,
  }),
  fc.array(hostileNumber, { maxLength: 4 }),
);
const datatype = fc.oneof(
  fc.constantFrom('FP32', 'UINT8', 'INT8', 'FP64', 'BYTES', 'fp32', ''),
  fc.string({ maxLength: 5 }),
  fc.integer(),
);
const shape = fc.oneof(
  fc.constantFrom(
    [784],
    [1, 784],
    [2, 784],
    [28, 28],
    [1, 28, 28],
    [0, 784],
    [5, 784],
    [3, 3],
    [],
    [-1, 784],
    [1.5, 784],
    [1e9, 784],
    [784, 1],
  ),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 2000 }), fc.double()), { maxLength: 5 }),
  hostileValue,
);
const data = fc.oneof(
  fc.array(hostileValue, { maxLength: 20 }),
  fc
    .integer({ min: 0, max: 1600 })
    .chain((n) =>
      fc.array(fc.oneof(hostileNumber, fc.constant(0.5)), { minLength: n, maxLength: n }),
    ),
  fc.constant(Array.from({ length: 784 }, (_, i) => (i === 400 ? 1.0000001 : 0))),
  fc.constant(Array.from({ length: 28 }, () => Array.from({ length: 27 }, () => 0))),
  hostileValue,
);
const tensor = fc.record(
  { name: fc.oneof(fc.constant('input'), hostileValue), shape, datatype, data },
  { requiredKeys: [] },
);
const inferBody = fc.oneof(
  fc.record(
    {
      id: fc.oneof(fc.string(), hostileValue),
      inputs: fc.oneof(fc.array(tensor, { maxLength: 3 }), hostileValue),
      outputs: fc.oneof(fc.array(fc.record({ name: hostileValue })), hostileValue),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);

describe('hostile bodies never give a 5xx or a stored change', () => {
  it('KServe inference', async () => {
    await fc.assert(
      fc.asyncProperty(
        inferBody,
        fc.constantFrom('/v2/models/mnist/infer', '/v2/models/mnist/versions/1/infer'),
        async (body, path) => {
          await send(path, {
            method: 'POST',
            body: JSON.stringify(body) ?? 'null',
            headers: { 'content-type': 'application/json' },
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('simple prediction', async () => {
    const body = fc.oneof(
      fc.record(
        {
          image: fc.oneof(data, hostileValue),
          images: fc.oneof(fc.array(data, { maxLength: 3 }), hostileValue),
          encoding: fc.oneof(fc.constantFrom('float', 'uint8'), hostileValue),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await send('/v1/models/mnist/predict', {
          method: 'POST',
          body: JSON.stringify(b) ?? 'null',
          headers: { 'content-type': 'application/json' },
        });
      }),
      { numRuns: 200 },
    );
  });

  it('training requests and control', async () => {
    const fields = [
      'preset',
      'hidden',
      'init',
      'optimizer',
      'learningRate',
      'momentum',
      'batchSize',
      'iterations',
      'epochs',
      'schedule',
      'seed',
      'validation',
      'patience',
      'evalEvery',
      'limit',
      'kernel',
      'threads',
      'lr',
      '__proto__',
      'constructor',
    ];
    const config = fc.dictionary(fc.constantFrom(...fields), hostileValue, {
      minKeys: 1,
      maxKeys: 4,
    });
    const body = fc.oneof(
      fc.record(
        {
          name: fc.oneof(fc.constant('mnist'), hostileValue),
          config: fc.oneof(config, hostileValue),
        },
        { requiredKeys: ['config'] },
      ),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await send('/v1/trainings', {
          method: 'POST',
          body: JSON.stringify(b) ?? 'null',
          headers: { 'content-type': 'application/json', ...auth },
        });
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.anything(),
        fc.constantFrom('pause', 'resume', 'cancel', 'learning-rate'),
        async (b, action) => {
          await send(`/v1/trainings/job_0000000000aaaaaaaaaa/${action}`, {
            method: 'POST',
            body: JSON.stringify({ learningRate: b }) ?? 'null',
            headers: { 'content-type': 'application/json', ...auth },
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('raw text that is not JSON, NaN and Infinity literals, deep nesting, with any content type', async () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '{"inputs":[{"name":"input","shape":[784],"datatype":"FP32","data":[NaN]}]}',
        '{"inputs":[{"name":"input","shape":[1e999,784],"datatype":"FP32","data":[]}]}',
        '{"image":[-1e999]}',
        '{',
        '}',
        '[]',
        'null',
        '""',
        '{"config":{"hidden":1e999}}',
        '\u0000',
        '\ufeff{}',
        `${'['.repeat(50_000)}${']'.repeat(50_000)}`.slice(0, 60_000),
      ),
      fc.uint8Array({ maxLength: 256 }).map((b) => new TextDecoder().decode(b)),
    );
    const type = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/problem+json',
      'application/jsonx',
      '',
    );
    const path = fc.constantFrom(
      '/v2/models/mnist/infer',
      '/v1/models/mnist/predict',
      '/v1/trainings',
      '/v1/trainings/job_0000000000aaaaaaaaaa/learning-rate',
    );
    await fc.assert(
      fc.asyncProperty(text, type, path, async (body, contentType, p) => {
        await send(p, {
          method: 'POST',
          body,
          headers: { ...(contentType ? { 'content-type': contentType } : {}), ...auth },
        });
      }),
      { numRuns: 300 },
    );
  });

  it('oversized bodies are refused with 413', async () => {
    const status = await send('/v2/models/mnist/infer', {
      method: 'POST',
      body: JSON.stringify({
        parameters: { pad: 'x'.repeat(70_000) },
        inputs: [
          {
            name: 'input',
            shape: [1, 784],
            datatype: 'FP32',
            data: Array.from({ length: 784 }, () => 0),
          },
        ],
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(status).toBe(413);
    expect(
      await send('/v1/models', {
        method: 'POST',
        body: new Uint8Array(64 * 1024 + 1),
        headers: { 'content-type': 'application/octet-stream', ...auth },
      }),
    ).toBe(413);
  });
});

describe('hostile files and paths', () => {
  it('corrupt safetensors uploads: random bytes, truncations, flipped bytes', async () => {
    const good = randomModelBytes(4);
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      fc.integer({ min: 0, max: good.length - 1 }).map((n) => good.subarray(0, n)),
      fc
        .tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 1, max: 255 }))
        .map(([i, x]) => {
          const b = good.slice();
          b[i]! ^= x;
          return b;
        }),
      fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
        const b = good.slice();
        b[i]! ^= x; // the header length
        return b;
      }),
    );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(file, async (bytes) => {
        statuses.add(
          await send('/v1/models', {
            method: 'POST',
            body: bytes,
            headers: { 'content-type': 'application/octet-stream', ...auth },
          }),
        );
      }),
      { numRuns: 300 },
    );
    expect(statuses.has(400)).toBe(true);
  });

  it('model ids and names in paths never reach outside the data directory', async () => {
    const segment = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '..',
        '../..',
        '..%2F..%2Fetc%2Fpasswd',
        '%2e%2e',
        'mdl_../../canary',
        `mdl_${'a'.repeat(20)}/../x`,
        'mnist%00',
        'MNIST',
        'mdl_0000000000aaaaaaaaaa',
        '%',
        '%ZZ',
        '.',
        ' ',
      ),
    );
    const route = fc.constantFrom(
      '/v2/models/{}',
      '/v2/models/{}/ready',
      '/v2/models/{}/versions/1/infer',
      '/v1/models/{}',
      '/v1/models/{}/weights',
      '/v1/trainings/{}',
      '/v1/trainings/{}/events',
    );
    await fc.assert(
      fc.asyncProperty(
        segment,
        route,
        fc.constantFrom('GET', 'DELETE', 'POST'),
        async (s, r, method) => {
          const encoded = /%|\.\./.test(s) ? s : encodeURIComponent(s);
          await send(`http://localhost${r.replace('{}', encoded)}`, { method, headers: auth });
        },
      ),
      { numRuns: 300 },
    );
    expect(readdirSync(join(api.dir, '..')).some((f) => join(api.dir, '..', f) === canary)).toBe(
      true,
    );
  });
});
