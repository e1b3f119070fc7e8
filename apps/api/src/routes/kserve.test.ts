import { predict } from '@mnist/net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonInit,
  jsonOf,
  kserveBody,
  mnistTest,
  randomModel,
  testApp,
} from '../../test/helpers.js';
import type { ModelRow } from '../db/models.js';

let api: ReturnType<typeof testApp>;
let v1: ModelRow;
let v2: ModelRow;
beforeAll(async () => {
  api = testApp({ maxBatch: 16 });
  v1 = await api.registry.register(randomModel(10, 1), {
    name: 'mnist',
    source: 'upload',
    jobId: null,
  });
  v2 = await api.registry.register(randomModel(12, 2), {
    name: 'mnist',
    source: 'upload',
    jobId: null,
  });
});
afterAll(() => api.done());

const get = (path: string) => api.app.request(path);
const infer = (path: string, body: unknown, headers?: Record<string, string>) =>
  api.app.request(path, jsonInit('POST', body, headers));

describe('health and metadata', () => {
  it('is live and ready', async () => {
    expect(await jsonOf(get('/v2/health/live'))).toEqual({ live: true });
    const ready = await get('/v2/health/ready');
    expect(ready.status).toBe(200);
    expect(await jsonOf(ready)).toEqual({ ready: true });
  });

  it('describes the server', async () => {
    expect(await jsonOf(get('/v2'))).toEqual({
      name: 'mnist-api',
      version: '0.1.0',
      extensions: ['binary_tensor_data'],
    });
  });

  it('describes a model: versions, inputs [-1, 784], outputs', async () => {
    const res = await get('/v2/models/mnist');
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({
      name: 'mnist',
      versions: ['2', '1'],
      platform: 'mnist-ts',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 784] }],
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 10] },
        { name: 'labels', datatype: 'INT64', shape: [-1] },
      ],
    });
    expect((await get('/v2/models/mnist/versions/1')).status).toBe(200);
    expect((await get(`/v2/models/${v1.id}`)).status).toBe(200);
  });

  it('reports model readiness by name, version and id', async () => {
    expect(await jsonOf(get('/v2/models/mnist/ready'))).toEqual({
      name: 'mnist',
      version: '2',
      ready: true,
    });
    expect(await jsonOf(get('/v2/models/mnist/versions/1/ready'))).toEqual({
      name: 'mnist',
      version: '1',
      ready: true,
    });
    expect(await jsonOf(get(`/v2/models/${v1.id}/ready`))).toEqual({
      name: 'mnist',
      version: '1',
      ready: true,
    });
  });

  it('answers 404 problems for unknown models and versions', async () => {
    const res = await get('/v2/models/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await jsonOf(res)).toEqual({
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'no model named nope',
      instance: '/v2/models/nope',
      requestId: res.headers.get('x-request-id'),
      error: 'no model named nope',
    });
    const version = await get('/v2/models/mnist/versions/9/ready');
    expect(version.status).toBe(404);
    expect((await jsonOf(version)).error).toBe('model mnist has no version 9; it has 2, 1');
    expect((await get(`/v2/models/${v1.id}/versions/1`)).status).toBe(404);
  });

  it('refuses names that are neither a name nor an id', async () => {
    const res = await get('/v2/models/..%2F..%2Fetc');
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).errors[0]).toMatchObject({ field: 'name', in: 'path' });
    expect((await get('/v2/models/mnist/versions/0')).status).toBe(400);
  });
});

describe('infer', () => {
  it('classifies UINT8 images like predict() does (the oracle), with the latest version', async () => {
    const { images } = await mnistTest(3);
    const res = await infer('/v2/models/mnist/infer', kserveBody(images, 'req-1'));
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    const expected = predict((await api.registry.load(v2)).params, { uint8: images });
    expect(body.model_name).toBe('mnist');
    expect(body.model_version).toBe('2');
    expect(body.id).toBe('req-1');
    expect(body.outputs[0]).toMatchObject({
      name: 'probabilities',
      shape: [3, 10],
      datatype: 'FP32',
    });
    expect(body.outputs[0].data).toHaveLength(30);
    for (const [i, p] of (body.outputs[0].data as number[]).entries()) {
      expect(p).toBeCloseTo(expected.probabilities[i]!, 6);
    }
    expect(body.outputs[1]).toEqual({
      name: 'labels',
      shape: [3],
      datatype: 'INT64',
      data: Array.from(expected.labels),
    });
  });

  it('takes FP32 in [0, 1], nested [N, 28, 28], [784] and [28, 28], and a version', async () => {
    const { images } = await mnistTest(2);
    const floats = Array.from(images, (v) => v / 255);
    const nested = [0, 1].map((j) =>
      Array.from({ length: 28 }, (_, r) => floats.slice(j * 784 + r * 28, j * 784 + r * 28 + 28)),
    );
    const byteLabels = predict((await api.registry.load(v1)).params, { uint8: images }).labels;
    for (const input of [
      { shape: [2, 784], data: floats },
      { shape: [2, 28, 28], data: nested },
      { shape: [2, 784], data: [floats.slice(0, 784), floats.slice(784)] },
    ]) {
      const res = await infer('/v2/models/mnist/versions/1/infer', {
        inputs: [{ name: 'input', datatype: 'FP32', ...input }],
      });
      expect(res.status).toBe(200);
      const body = await jsonOf(res);
      expect(body.model_version).toBe('1');
      expect(body.outputs[1].data).toEqual(Array.from(byteLabels));
    }
    for (const input of [
      { shape: [784], data: floats.slice(0, 784) },
      { shape: [28, 28], data: nested[0] },
    ]) {
      const body = await jsonOf(
        infer(`/v2/models/${v1.id}/infer`, {
          inputs: [{ name: 'input', datatype: 'FP32', ...input }],
        }),
      );
      expect(body.outputs[1]).toEqual({
        name: 'labels',
        shape: [1],
        datatype: 'INT64',
        data: [byteLabels[0]],
      });
    }
  });

  it('uses the request id when the body has none, and returns only the outputs asked for', async () => {
    const { images } = await mnistTest(1);
    const res = await infer(
      '/v2/models/mnist/infer',
      { ...kserveBody(images), outputs: [{ name: 'labels' }] },
      { 'x-request-id': 'abc-123' },
    );
    const body = await jsonOf(res);
    expect(body.id).toBe('abc-123');
    expect(body.outputs.map((o: { name: string }) => o.name)).toEqual(['labels']);
  });

  const problemOf = async (body: unknown, path = '/v2/models/mnist/infer') => {
    const res = await infer(path, body);
    return { status: res.status, body: await jsonOf(res) };
  };
  const image = Array.from({ length: 784 }, () => 0);

  it.each([
    [{}, 'inputs', 'an array', 'nothing'],
    [{ inputs: [] }, 'inputs', 'at least 1 item', 'an array of 0'],
    [
      { inputs: [{ name: 'input', shape: [1, 784], datatype: 'INT8', data: image }] },
      'inputs[0].datatype',
      'one of "FP32", "UINT8"',
      '"INT8"',
    ],
    [
      { inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32' }] },
      'inputs[0].data',
      'an array',
      'nothing',
    ],
    [
      { inputs: [{ name: 'input', shape: [3, 3], datatype: 'FP32', data: image }] },
      'inputs[0].shape',
      '[N, 784], [N, 28, 28], [784] or [28, 28]',
      '[3, 3]',
    ],
    [
      { inputs: [{ name: 'input', shape: [1.5, 784], datatype: 'FP32', data: image }] },
      'inputs[0].shape[0]',
      'an integer',
      '1.5',
    ],
    [
      { inputs: [{ name: 'input', shape: [17, 784], datatype: 'FP32', data: image }] },
      'inputs[0].shape',
      'at most 16 images per request',
      '17 images',
    ],
    [
      { inputs: [{ name: 'x', shape: [784], datatype: 'FP32', data: image }] },
      'inputs[0].name',
      '"input"',
      '"x"',
    ],
    [
      {
        inputs: [
          { name: 'input', shape: [784], datatype: 'FP32', data: image },
          { name: 'input', shape: [784], datatype: 'FP32', data: image },
        ],
      },
      'inputs',
      '1 input tensor (named "input")',
      '2 tensors',
    ],
    [
      { inputs: [{ name: 'input', shape: [784], datatype: 'FP32', data: [...image.slice(1), 2] }] },
      'inputs[0].data[783]',
      'a number in [0, 1] (FP32)',
      '2',
    ],
    [
      {
        inputs: [{ name: 'input', shape: [784], datatype: 'UINT8', data: [...image.slice(1), -1] }],
      },
      'inputs[0].data[783]',
      'an integer in 0..255 (UINT8)',
      '-1',
    ],
    [
      {
        inputs: [{ name: 'input', shape: [784], datatype: 'FP32', data: image }],
        outputs: [{ name: 'logits' }],
      },
      'outputs[0].name',
      'one of "probabilities", "labels"',
      '"logits"',
    ],
    [
      { id: 5, inputs: [{ name: 'input', shape: [784], datatype: 'FP32', data: image }] },
      'id',
      'a string',
      '5',
    ],
  ])('400 %#: %s', async (body, field, expected, got) => {
    const p = await problemOf(body);
    expect(p.status).toBe(400);
    expect(p.body).toMatchObject({
      type: '/problems/invalid-request',
      status: 400,
      error: p.body.detail,
      errors: [{ field, in: 'body', expected, got }],
    });
    expect(p.body.detail).toBe(`${field}: expected ${expected}, got ${got}`);
  });

  it('400 for malformed JSON, with the parser message', async () => {
    const res = await api.app.request('/v2/models/mnist/infer', jsonInit('POST', '{"inputs": ['));
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.type).toBe('/problems/malformed-json');
    expect(body.error).toMatch(/^the body is not valid JSON: /);
  });

  it('415 for a body that is not JSON', async () => {
    const res = await api.app.request('/v2/models/mnist/infer', {
      method: 'POST',
      body: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect((await jsonOf(res)).detail).toBe(
      'expected Content-Type application/json, got application/x-www-form-urlencoded',
    );
  });

  it('404 for an unknown model before looking at the body', async () => {
    const p = await problemOf(
      { inputs: [{ name: 'input', shape: [784], datatype: 'FP32', data: image }] },
      '/v2/models/other/infer',
    );
    expect(p.status).toBe(404);
    expect(p.body.error).toBe('no model named other');
  });

  it('counts predictions in /metrics', async () => {
    const text = await (await get('/metrics')).text();
    expect(text).toMatch(/mnist_inference_images_total\{model="mnist",protocol="kserve"\} \d+/);
  });
});

describe('readiness without a model', () => {
  it('answers 503 until a model exists', async () => {
    const empty = testApp();
    try {
      const res = await empty.app.request('/v2/health/ready');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await jsonOf(res)).toMatchObject({
        type: '/problems/not-ready',
        ready: false,
        error: expect.stringMatching(/^no model is available yet/),
      });
      await empty.registry.register(randomModel(), {
        name: 'mnist',
        source: 'upload',
        jobId: null,
      });
      expect((await empty.app.request('/v2/health/ready')).status).toBe(200);
      empty.drain();
      expect(await jsonOf(empty.app.request('/v2/health/ready'))).toMatchObject({
        status: 503,
        error: 'the server is shutting down',
      });
    } finally {
      await empty.done();
    }
  });
});
