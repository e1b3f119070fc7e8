import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistExamples } from '../../test/mnist.js';
import { sampleModel } from '../../test/models.js';
import { maxRelErr } from '../../test/reference.js';
import type { Examples } from '../train/examples.js';
import type { Model } from './model.js';
import { modelToOnnx, ONNX_IR_VERSION, ONNX_OPSET, onnxModelProto } from './onnx.js';
import { predict, referencePredictor } from './predict.js';

// The exported graph is run by an ONNX runtime from npm (onnxruntime-web's wasm backend, in
// Node, one thread, nothing downloaded) and must give our probabilities on real test images.

ort.env.wasm.numThreads = 1;

async function runOnnx(bytes: Uint8Array, images: Float32Array, n: number) {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const out = await session.run({ input: new ort.Tensor('float32', images, [n, 784]) });
    return {
      probabilities: out.probabilities!.data as Float32Array,
      probabilityDims: out.probabilities!.dims,
      labels: out.labels!.data as BigInt64Array,
    };
  } finally {
    await session.release();
  }
}

describe('ONNX export', () => {
  let test: Examples;
  beforeAll(async () => {
    test = (await mnistExamples()).test;
  }, 60_000);

  const N = 300;
  const floats = () => Float32Array.from(test.pixels.subarray(0, N * 784), (v) => v / 255);

  for (const H of [10, 33, 128]) {
    it(`hidden ${H}: onnxruntime-web gives our probabilities and labels on ${N} test images`, async () => {
      const model: Model = sampleModel(H, 40 + H);
      const ours = referencePredictor(model.params)({ uint8: test.pixels.subarray(0, N * 784) });
      const got = await runOnnx(modelToOnnx(model), floats(), N);
      expect(got.probabilityDims).toEqual([N, 10]);
      const { err, at } = maxRelErr(got.probabilities, ours.probabilities, 1e-6);
      expect(
        err,
        `probability ${at}: onnx ${got.probabilities[at]}, ours ${ours.probabilities[at]}`,
      ).toBeLessThan(1e-3);
      // Labels: the same wherever the top two probabilities are not a near-tie.
      for (let j = 0; j < N; j++) {
        const row = Array.from(ours.probabilities.subarray(j * 10, j * 10 + 10)).sort(
          (a, b) => b - a,
        );
        if (row[0]! - row[1]! > 1e-4)
          expect(Number(got.labels[j]), `image ${j}`).toBe(ours.labels[j]);
      }
    }, 60_000);
  }

  it('the fast predictor (WebAssembly kernel) and the ONNX graph give the same labels', async () => {
    const model = sampleModel(16, 7);
    const fast = predict(model.params, { uint8: test.pixels.subarray(0, N * 784) });
    const got = await runOnnx(modelToOnnx(model), floats(), N);
    let same = 0;
    for (let j = 0; j < N; j++) if (Number(got.labels[j]) === fast.labels[j]) same++;
    expect(same).toBeGreaterThanOrEqual(N - 2);
  }, 60_000);

  it('is a standard ModelProto: IR and opset versions, input [N, 784] float, the metadata', () => {
    const model = sampleModel(12, 3);
    const decoded = onnxModelProto().toObject(onnxModelProto().decode(modelToOnnx(model)), {
      longs: Number,
    }) as {
      irVersion: number;
      opsetImport: { domain?: string; version: number }[];
      graph: {
        input: {
          name: string;
          type: { tensorType: { elemType: number; shape: { dim: object[] } } };
        }[];
        output: { name: string }[];
        node: { opType: string }[];
        initializer: { name: string; dims: number[]; rawData: Uint8Array }[];
      };
      metadataProps: { key: string; value: string }[];
    };
    expect(decoded.irVersion).toBe(ONNX_IR_VERSION);
    expect(decoded.opsetImport).toEqual([{ domain: '', version: ONNX_OPSET }]);
    const input = decoded.graph.input[0]!;
    expect(input.name).toBe('input');
    expect(input.type.tensorType.elemType).toBe(1);
    expect(input.type.tensorType.shape.dim).toEqual([{ dimParam: 'N' }, { dimValue: 784 }]);
    expect(decoded.graph.output.map((o) => o.name)).toEqual(['probabilities', 'labels']);
    expect(decoded.graph.node.map((n) => n.opType)).toEqual([
      'Gemm',
      'Relu',
      'Gemm',
      'Softmax',
      'ArgMax',
    ]);
    const W1 = decoded.graph.initializer.find((t) => t.name === 'W1')!;
    expect(W1.dims).toEqual([12, 784]);
    const raw = W1.rawData;
    expect(
      new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)),
    ).toEqual(model.params.W1.data);
    const meta = Object.fromEntries(decoded.metadataProps.map((e) => [e.key, e.value]));
    expect(meta).toMatchObject({
      hidden: '12',
      testAccuracy: '0.921',
      createdAt: model.meta.createdAt,
    });
  }, 60_000);
});
