#!/usr/bin/env node
/**
 * The onnxruntime-web peer, inference only: ours' model exported with `modelToOnnx` (the graph
 * `pnpm train --export-onnx` writes) and run by onnxruntime-web's wasm backend in Node, the
 * runtime a JavaScript user would pick to serve an ONNX file. In a process of its own:
 *
 *   node dist/peers/onnx.js inference '{"weights": FILE, "hidden": H, "repeats": N}'
 *
 * Prints one JSON object on stdout, with the same fields as the other peers.
 */
import { modelToOnnx, paramsOf, type TrainingData } from '@mnist/net';
import * as ort from 'onnxruntime-web';
import type { PeerOutput } from '../protocol.js';
import { benchModel, readWeights } from '../weights.js';
import { childOptions, emit, intOption, loadTrainingData, runMain, stringOption } from './data.js';

async function inference(data: TrainingData, opts: Record<string, unknown>): Promise<PeerOutput> {
  const hidden = intOption(opts, 'hidden', 10);
  const repeats = intOption(opts, 'repeats', 5);
  const params = paramsOf(readWeights(stringOption(opts, 'weights'), hidden));
  const setup = performance.now();
  const session = await ort.InferenceSession.create(modelToOnnx(benchModel(params)), {
    executionProviders: ['wasm'],
  });
  const setupMs = performance.now() - setup;
  // The graph's input, prepared outside the timed span (as numpy's float matrix is).
  const n = data.test.count;
  const x = Float32Array.from(data.test.pixels, (v) => v / 255);
  const input = { input: new ort.Tensor('float32', x, [n, 784]) };
  const times: number[] = [];
  let labels: BigInt64Array = new BigInt64Array(0);
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    const out = await session.run(input);
    labels = out.labels!.data as BigInt64Array;
    times.push(performance.now() - t);
  }
  await session.release();
  let correct = 0;
  for (let j = 0; j < n; j++) if (Number(labels[j]) === data.test.labels[j]) correct++;
  // Its exports map hides package.json; the runtime says its own version.
  const version = ort.env.versions.web ?? ort.env.versions.common;
  return {
    peer: 'onnx-web',
    task: 'inference',
    version,
    times_ms: times,
    images: n,
    test_accuracy: correct / n,
    info: {
      backend: 'wasm',
      threads: ort.env.wasm.numThreads ?? 'default',
      simd: ort.env.wasm.simd ?? 'default',
      sessionSetupMs: Math.round(setupMs),
    },
  };
}

runMain('onnx-web', async () => {
  const [task, raw] = process.argv.slice(2);
  const opts = childOptions(raw, 'onnx-web');
  if (task !== 'inference')
    throw new Error(`unknown task ${task}; the onnx-web peer runs inference only`);
  const dataDir = typeof opts.dataDir === 'string' ? opts.dataDir : undefined;
  emit(await inference(await loadTrainingData(dataDir), opts));
});
