import { readFileSync, writeFileSync } from 'node:fs';
import {
  hiddenWidth,
  MODEL_FORMAT,
  type Model,
  PARAM_NAMES,
  type Params,
  paramSizes,
  type WeightsSnapshot,
} from '@mnist/net';

/** Values in a weights file of hidden width H. */
export const weightCount = (hidden: number) =>
  PARAM_NAMES.reduce((n, name) => n + paramSizes(hidden)[name], 0);

/**
 * Writes `p` as one little-endian float32 file (W1, b1, W2, b2 in that order), the format the
 * peers read (`np.fromfile(path, '<f4')`): the way every peer starts from the same weights.
 */
export function writeWeights(path: string, p: WeightsSnapshot): void {
  const out = new Float32Array(weightCount(p.hidden));
  let at = 0;
  for (const part of PARAM_NAMES.map((name) => p[name])) {
    out.set(part, at);
    at += part.length;
  }
  if (at !== out.length) {
    throw new Error(
      `writeWeights ${path}: expected ${out.length} values for hidden ${p.hidden}, got ${at}`,
    );
  }
  const bytes = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  if (!isLittleEndian()) bytes.swap32();
  writeFileSync(path, bytes);
}

/** Reads a file written by `writeWeights`. */
export function readWeights(path: string, hidden: number): WeightsSnapshot {
  const bytes = readFileSync(path);
  const expected = weightCount(hidden) * 4;
  if (bytes.length !== expected) {
    throw new Error(
      `readWeights ${path}: expected ${expected} bytes for hidden ${hidden}, got ${bytes.length}`,
    );
  }
  if (!isLittleEndian()) bytes.swap32();
  const all = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  );
  const sizes = paramSizes(hidden);
  let at = 0;
  const [W1, b1, W2, b2] = PARAM_NAMES.map((name) => {
    const from = at;
    at += sizes[name];
    return all.subarray(from, at);
  });
  return { hidden, W1: W1!, b1: b1!, W2: W2!, b2: b2! };
}

/**
 * A model of `params` that says nothing of its training (the `fast` preset as its config): what
 * the bench uploads to the API and exports to ONNX.
 */
export function benchModel(params: Params<'h'>, testAccuracy: number | null = null): Model {
  const meta = {
    format: MODEL_FORMAT,
    hidden: hiddenWidth(params),
    config: { preset: 'fast' },
    trainAccuracy: null,
    testAccuracy,
    seed: null,
    dataChecksum: null,
    createdAt: new Date(0).toISOString(),
  } as const;
  return { params, meta };
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
