import { readFileSync, writeFileSync } from 'node:fs';

/** The notes' parameters as flat row-major arrays: W1 (H×784), b1 (H), W2 (10×H), b2 (10). */
export interface FlatParams {
  readonly hidden: number;
  readonly W1: Float32Array; // (H, 784)
  readonly b1: Float32Array; // (H)
  readonly W2: Float32Array; // (10, H)
  readonly b2: Float32Array; // (10)
}

const PIXELS = 784;
const CLASSES = 10;

/** Values in a weights file of hidden width H. */
export const weightCount = (hidden: number) =>
  hidden * PIXELS + hidden + CLASSES * hidden + CLASSES;

/**
 * Writes `p` as one little-endian float32 file (W1, b1, W2, b2 in that order), the format the
 * peers read (`np.fromfile(path, '<f4')`): the way every peer starts from the same weights.
 */
export function writeWeights(path: string, p: FlatParams): void {
  const out = new Float32Array(weightCount(p.hidden));
  let at = 0;
  for (const part of [p.W1, p.b1, p.W2, p.b2]) {
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
export function readWeights(path: string, hidden: number): FlatParams {
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
  const W1 = all.subarray(0, hidden * PIXELS);
  const b1 = all.subarray(W1.length, W1.length + hidden);
  const W2 = all.subarray(W1.length + hidden, W1.length + hidden + CLASSES * hidden);
  const b2 = all.subarray(all.length - CLASSES);
  return { hidden, W1, b1, W2, b2 };
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
