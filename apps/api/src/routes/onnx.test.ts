import { modelFromBytes, predict } from '@mnist/net';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, mnistTest, randomModelBytes, testApp } from '../../test/helpers.js';

let api: ReturnType<typeof testApp>;
beforeAll(() => {
  api = testApp({});
});
afterAll(() => api.done());

describe('GET /v1/models/{ref}/onnx', () => {
  it('serves the model as ONNX that onnxruntime-web runs to our probabilities', async () => {
    const bytes = randomModelBytes(12, 9);
    const up = await jsonOf(
      api.app.request('/v1/models?name=digits', {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': 'application/octet-stream' },
      }),
    );
    const res = await api.app.request(`/v1/models/${up.id}/onnx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/onnx');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="digits-v1.onnx"');
    const etag = res.headers.get('etag')!;
    const onnx = new Uint8Array(await res.arrayBuffer());
    expect(
      (await api.app.request('/v1/models/digits/onnx', { headers: { 'if-none-match': etag } }))
        .status,
    ).toBe(304);

    const n = 40;
    const { images } = await mnistTest(n);
    const ours = predict(modelFromBytes(bytes, 'upload').params, { uint8: images });
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(onnx);
    const x = Float32Array.from(images, (v) => v / 255);
    const out = await session.run({ input: new ort.Tensor('float32', x, [n, 784]) });
    await session.release();
    const probs = out.probabilities!.data as Float32Array;
    for (let i = 0; i < n * 10; i++) expect(probs[i]).toBeCloseTo(ours.probabilities[i]!, 4);
  }, 60_000);

  it('answers 404 for a model that does not exist', async () => {
    const res = await api.app.request('/v1/models/nope/onnx');
    expect(res.status).toBe(404);
  });
});
