/** The KServe binary tensor data extension, against the JSON form on real MNIST test images. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonInit,
  jsonOf,
  kserveBody,
  mnistTest,
  randomModel,
  testApp,
} from '../../test/helpers.js';

let api: ReturnType<typeof testApp>;
beforeAll(async () => {
  api = testApp({ maxBatch: 16 });
  await api.registry.register(randomModel(10, 1), { name: 'mnist', source: 'upload', jobId: null });
});
afterAll(() => api.done());

const enc = new TextEncoder();

/** A binary request: the JSON header, then each binary input's bytes. */
function binaryInit(header: unknown, parts: Uint8Array[], headers: Record<string, string> = {}) {
  const h = enc.encode(JSON.stringify(header));
  const body = new Uint8Array(h.length + parts.reduce((a, p) => a + p.length, 0));
  body.set(h);
  let at = h.length;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(h.length),
      ...headers,
    },
  };
}

const input = (n: number, datatype: string, bytes: number) => ({
  name: 'input',
  shape: [n, 784],
  datatype,
  parameters: { binary_data_size: bytes },
});

/** A binary response split into its JSON header and each binary output's values. */
async function readBinary(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/octet-stream');
  const n = Number(res.headers.get('inference-header-content-length'));
  const bytes = new Uint8Array(await res.arrayBuffer());
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, n)));
  let at = n;
  const values: Record<string, number[]> = {};
  for (const o of header.outputs) {
    const size = o.parameters?.binary_data_size;
    if (size === undefined) continue;
    const raw = bytes.slice(at, at + size);
    at += size;
    values[o.name] =
      o.datatype === 'FP32'
        ? Array.from(new Float32Array(raw.buffer))
        : Array.from(new BigInt64Array(raw.buffer), Number);
  }
  expect(at).toBe(bytes.length);
  return { header, values };
}

const jsonAnswer = async (images: Uint8Array) => {
  const res = await api.app.request('/v2/models/mnist/infer', jsonInit('POST', kserveBody(images)));
  expect(res.status).toBe(200);
  return jsonOf(res);
};

describe('binary tensor data', () => {
  it('UINT8 and FP32 inputs answer as the JSON form does (JSON outputs)', async () => {
    const { images } = await mnistTest(5);
    const expected = await jsonAnswer(images);
    const floats = Float32Array.from(images, (v) => v / 255);
    const floatBytes = new Uint8Array(floats.buffer);
    for (const [datatype, bytes, path] of [
      ['UINT8', images, '/v2/models/mnist/infer'],
      ['FP32', floatBytes, '/v2/models/mnist/versions/1/infer'],
    ] as const) {
      const res = await api.app.request(
        path,
        binaryInit({ id: 'b', inputs: [input(5, datatype, bytes.length)] }, [bytes]),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await jsonOf(res);
      expect(body.id).toBe('b');
      expect(body.outputs[1]).toEqual(expected.outputs[1]);
      const p = body.outputs[0].data as number[];
      const q = expected.outputs[0].data as number[];
      expect(p).toHaveLength(50);
      for (const [i, v] of p.entries()) expect(v).toBeCloseTo(q[i]!, 5);
    }
  });

  it('binary outputs decode to the JSON values', async () => {
    const { images } = await mnistTest(4);
    const expected = await jsonAnswer(images);
    const asked = [
      { parameters: { binary_data_output: true } },
      {
        outputs: [
          { name: 'probabilities', parameters: { binary_data: true } },
          { name: 'labels', parameters: { binary_data: true } },
        ],
      },
    ];
    for (const extra of asked) {
      const res = await api.app.request(
        '/v2/models/mnist/infer',
        binaryInit({ inputs: [input(4, 'UINT8', images.length)], ...extra }, [images]),
      );
      expect(res.status).toBe(200);
      const { header, values } = await readBinary(res);
      expect(header.outputs).toEqual([
        {
          name: 'probabilities',
          shape: [4, 10],
          datatype: 'FP32',
          parameters: { binary_data_size: 160 },
        },
        { name: 'labels', shape: [4], datatype: 'INT64', parameters: { binary_data_size: 32 } },
      ]);
      expect(values.labels).toEqual(expected.outputs[1].data);
      for (const [i, v] of values.probabilities!.entries())
        expect(v).toBeCloseTo(expected.outputs[0].data[i], 6);
    }
  });

  it('mixes a binary output with a JSON one, and serves binary outputs to a JSON request', async () => {
    const { images } = await mnistTest(2);
    const expected = await jsonAnswer(images);
    const res = await api.app.request(
      '/v2/models/mnist/infer',
      jsonInit('POST', {
        ...kserveBody(images),
        parameters: { binary_data_output: true },
        outputs: [
          { name: 'labels' },
          { name: 'probabilities', parameters: { binary_data: false } },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const { header, values } = await readBinary(res);
    expect(header.outputs[0].parameters).toEqual({ binary_data_size: 16 });
    expect(values.labels).toEqual(expected.outputs[1].data);
    expect(header.outputs[1].data).toEqual(expected.outputs[0].data);
  });

  it('reads an FP32 input that is not 4-byte aligned in the body', async () => {
    const { images } = await mnistTest(1);
    const expected = await jsonAnswer(images);
    const floats = new Uint8Array(Float32Array.from(images, (v) => v / 255).buffer);
    for (const pad of ['', ' ', '  ', '   ']) {
      const init = binaryInit({ inputs: [input(1, 'FP32', floats.length)] }, [floats]);
      const h = enc.encode(
        `${JSON.stringify({ inputs: [input(1, 'FP32', floats.length)] })}${pad}`,
      );
      const body = new Uint8Array(h.length + floats.length);
      body.set(h);
      body.set(floats, h.length);
      init.body = body;
      init.headers['inference-header-content-length'] = String(h.length);
      const got = await jsonOf(api.app.request('/v2/models/mnist/infer', init));
      expect(got.outputs[1].data).toEqual(expected.outputs[1].data);
    }
  });
});

describe('malformed binary requests: 400 naming expected and got', () => {
  const bad = async (init: RequestInit, field: RegExp | string, detail: RegExp) => {
    const res = await api.app.request('/v2/models/mnist/infer', init);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await jsonOf(res);
    expect(body.detail).toMatch(detail);
    if (body.errors)
      expect(body.errors.map((e: { field: string }) => e.field).join(' ')).toMatch(field);
    return body;
  };
  const ok = (n = 1) => ({ inputs: [input(n, 'UINT8', 784 * n)] });
  const pixels = (n = 1) => new Uint8Array(784 * n);

  it('a length header that is not a number', async () => {
    for (const v of ['abc', '-5', '1.5', '']) {
      const init = binaryInit(ok(), [pixels()], { 'inference-header-content-length': v });
      await bad(init, 'Inference-Header-Content-Length', /byte length.*got/);
    }
  });

  it('no length header on an octet-stream body', async () => {
    const init = binaryInit(ok(), [pixels()]);
    delete (init.headers as Record<string, string>)['inference-header-content-length'];
    await bad(init, 'Inference-Header-Content-Length', /got no header/);
  });

  it('a length header larger than the body', async () => {
    const init = binaryInit(ok(), [pixels()], { 'inference-header-content-length': '999999' });
    await bad(
      init,
      'Inference-Header-Content-Length',
      /at most the body's length, \d+ bytes.*got 999999 bytes/,
    );
  });

  it('sizes that do not add up to the body', async () => {
    await bad(
      binaryInit(ok(), [pixels(), new Uint8Array(3)]),
      'Inference-Header-Content-Length',
      /add up to the body's \d+ bytes.*got/,
    );
    await bad(
      binaryInit(ok(), [new Uint8Array(700)]),
      'binary_data_size',
      /at most the 700 bytes left.*got 784/,
    );
  });

  it('a size that does not match shape × datatype', async () => {
    const header = { inputs: [{ ...input(2, 'FP32', 784 * 2), name: 'input' }] };
    await bad(
      binaryInit(header, [pixels(2)]),
      'inputs[0].parameters.binary_data_size',
      /6272 bytes \(shape \[2, 784\] of FP32, 4 bytes each\).*got 1568/,
    );
  });

  it('an unknown datatype, a bad size, data beside binary_data_size', async () => {
    await bad(
      binaryInit({ inputs: [input(1, 'FP16', 784)] }, [pixels()]),
      'inputs[0].datatype',
      /FP16/,
    );
    await bad(
      binaryInit({ inputs: [input(1, 'UINT8', -1)] }, []),
      'binary_data_size',
      /byte count.*got -1/,
    );
    const both = { inputs: [{ ...input(1, 'UINT8', 784), data: [1] }] };
    await bad(binaryInit(both, [pixels()]), 'inputs[0].data', /no data when binary_data_size/);
  });

  it('a header that is not JSON, FP32 values out of range, a bad binary_data flag', async () => {
    const init = binaryInit(ok(), [pixels()]);
    const body = init.body as Uint8Array;
    body[0] = 0x5b; // '[' instead of '{'
    await bad(init, '', /not a JSON inference header/);
    const floats = new Float32Array(784).fill(0.5);
    floats[3] = 2;
    await bad(
      binaryInit({ inputs: [input(1, 'FP32', 3136)] }, [new Uint8Array(floats.buffer)]),
      'inputs[0] (binary data)[3]',
      /\[0, 1\].*got 2/,
    );
    const flag = { ...ok(), outputs: [{ name: 'labels', parameters: { binary_data: 'yes' } }] };
    await bad(binaryInit(flag, [pixels()]), 'outputs[0].parameters.binary_data', /true or false/);
  });

  it('the body limit still applies', async () => {
    const small = testApp({ bodyLimit: 2000 });
    try {
      await small.registry.register(randomModel(10, 1), {
        name: 'mnist',
        source: 'upload',
        jobId: null,
      });
      const res = await small.app.request('/v2/models/mnist/infer', binaryInit(ok(3), [pixels(3)]));
      expect(res.status).toBe(413);
    } finally {
      await small.done();
    }
  });
});
