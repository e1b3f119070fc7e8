import { crc32, deflateSync } from 'node:zlib';
import { predict } from '@mnist/net';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonInit, jsonOf, mnistTest, testApp, waitFor } from '../../test/helpers.js';

/** Digits compared (raw pixels vs PNG); all are real MNIST test images. */
const N = 60;
let api: ReturnType<typeof testApp>;
let modelId: string;
let test: { images: Uint8Array; labels: Uint8Array };

beforeAll(async () => {
  api = testApp();
  test = await mnistTest(N);
  // A real, briefly trained model, so that its labels mean something.
  const res = await api.app.request(
    '/v1/trainings',
    jsonInit('POST', { name: 'png', config: { preset: 'fast', limit: 6000, epochs: 2 } }),
  );
  const id = (await jsonOf(res)).id as string;
  modelId = await waitFor(
    async () => {
      const j = await jsonOf(api.app.request(`/v1/trainings/${id}`));
      if (j.status === 'failed') throw new Error(`training failed: ${JSON.stringify(j)}`);
      return j.modelId ?? j.model?.id ?? undefined;
    },
    180_000,
    100,
  );
}, 200_000);
afterAll(() => api.done());

/** Digit j as a PNG, each pixel a 4×4 block; `invert` gives black ink on white. */
function digitPng(j: number, invert: boolean, channels: 1 | 3 = 1): Uint8Array {
  const S = 28 * 4;
  const data = new Uint8Array(S * S * channels);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const v = test.images[j * 784 + Math.floor(y / 4) * 28 + Math.floor(x / 4)]!;
      const g = invert ? 255 - v : v;
      for (let c = 0; c < channels; c++) data[(y * S + x) * channels + c] = g;
    }
  return encode({ width: S, height: S, data, channels, depth: 8 });
}

const postPng = (path: string, body: Uint8Array | string) =>
  api.app.request(path, { method: 'POST', body, headers: { 'content-type': 'image/png' } });

/** A PNG written by hand (no library): grey, 8 bits, `rows` of width w. */
function handPng(w: number, h: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  const raw = Buffer.alloc(h * (w + 1)); // filter byte 0, then black pixels, on every row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('image/png on the prediction routes', () => {
  it('real test digits as PNGs (4×, both polarities, grey and RGB) get the labels of their raw pixels', async () => {
    const raw = predict((await api.registry.load(api.registry.resolve(modelId)!)).params, {
      uint8: test.images,
    });
    let agree = { whiteOnBlack: 0, blackOnWhite: 0, rgb: 0 };
    let right = 0;
    for (let j = 0; j < N; j++) {
      const labelOf = async (png: Uint8Array) => {
        const res = await postPng(`/v1/models/${modelId}/predict`, png);
        expect(res.status).toBe(200);
        const body = await jsonOf(res);
        expect(body.predictions[0].probabilities).toHaveLength(10);
        return body.predictions[0].label as number;
      };
      const a = await labelOf(digitPng(j, false));
      const b = await labelOf(digitPng(j, true));
      const c = await labelOf(digitPng(j, true, 3));
      // Both polarities and both colour types reach the network as the same image.
      expect(b).toBe(a);
      expect(c).toBe(a);
      agree = {
        whiteOnBlack: agree.whiteOnBlack + Number(a === raw.labels[j]),
        blackOnWhite: agree.blackOnWhite + Number(b === raw.labels[j]),
        rgb: agree.rgb + Number(c === raw.labels[j]),
      };
      right += Number(a === test.labels[j]);
    }
    console.log(
      `PNG vs raw pixels: ${agree.whiteOnBlack}/${N} white-on-black, ${agree.blackOnWhite}/${N} black-on-white, ${agree.rgb}/${N} RGB agree; PNG labels right ${right}/${N}`,
    );
    // MNIST digits are already cropped, scaled and centred, so preprocessing changes them little:
    // a label may flip only where re-centring moves the digit by a pixel.
    expect(agree.whiteOnBlack).toBeGreaterThanOrEqual(N - 3);
    expect(agree.blackOnWhite).toBeGreaterThanOrEqual(N - 3);
  }, 120_000);

  it('KServe infer takes a PNG too, by name and by version', async () => {
    const png = digitPng(0, true);
    const simple = await jsonOf(postPng(`/v1/models/${modelId}/predict`, png));
    for (const path of ['/v2/models/png/infer', '/v2/models/png/versions/1/infer']) {
      const res = await postPng(path, png);
      expect(res.status).toBe(200);
      const body = await jsonOf(res);
      expect(body).toMatchObject({ model_name: 'png', model_version: '1' });
      expect(body.outputs[1]).toMatchObject({
        name: 'labels',
        data: [simple.predictions[0].label],
      });
    }
    const bad = await postPng('/v2/models/png/versions/x/infer', png);
    expect(bad.status).toBe(400);
  });

  it('refuses a truncated PNG, a 10,000×10,000 PNG, a non-PNG and an empty body with 400 naming the problem', async () => {
    const good = digitPng(0, false);
    const cases: [Uint8Array | string, RegExp][] = [
      [good.subarray(0, Math.floor(good.length / 2)), /cannot be decoded|truncated/],
      [good.subarray(0, 20), /truncated after 20 bytes/],
      [handPng(10_000, 10_000), /at most 2048×2048 pixels.*got 10000×10000 pixels/],
      [
        new TextEncoder().encode('GIF89a not a png at all'),
        /PNG signature.*got a file starting with 47 49 46 38/,
      ],
      [new Uint8Array(0), /got an empty body/],
    ];
    for (const [body, detail] of cases) {
      const res = await postPng(`/v1/models/${modelId}/predict`, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const p = await jsonOf(res);
      expect(p.detail).toMatch(detail);
      expect(p.errors[0]).toMatchObject({ field: 'body', in: 'body' });
      const k = await postPng('/v2/models/png/infer', body);
      expect(k.status).toBe(400);
    }
  });

  it('a hand-written PNG decodes (the test encoder is independent of fast-png)', async () => {
    const res = await postPng(`/v1/models/${modelId}/predict`, handPng(40, 30));
    expect(res.status).toBe(200); // a blank picture is all background: 784 zeros
  });

  it('documents image/png on the prediction routes', async () => {
    const doc = await jsonOf(api.app.request('/openapi.json'));
    expect(Object.keys(doc.paths['/v1/models/{ref}/predict'].post.requestBody.content)).toEqual([
      'application/json',
      'image/png',
    ]);
    expect(
      doc.paths['/v2/models/{name}/infer'].post.requestBody.content['image/png'],
    ).toBeDefined();
  });
});
