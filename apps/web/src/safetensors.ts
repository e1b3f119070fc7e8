/**
 * Reads the F32 tensors of a safetensors file (the format of `GET /v1/models/{id}/weights`):
 * an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
 * range, then the data.
 */
export interface Tensor {
  readonly shape: number[];
  readonly data: Float32Array;
}

export function readSafetensors(bytes: Uint8Array): Record<string, Tensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8)
    throw new Error(`safetensors: expected at least 8 bytes, got ${bytes.length}`);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length)
    throw new Error(`safetensors: header of ${n} bytes does not fit in ${bytes.length}`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (t.dtype !== 'F32') throw new Error(`safetensors: ${name}: expected F32, got ${t.dtype}`);
    const [a, b] = t.data_offsets;
    const data = new Float32Array((b - a) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(8 + n + a + 4 * i, true);
    out[name] = { shape: t.shape, data };
  }
  return out;
}
