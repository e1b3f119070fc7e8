/**
 * The safetensors format, with no Node built-ins: the web page bundles this module as is
 * (`@mnist/net/safetensors`).
 */

/** A float32 tensor to save: row-major data with its shape beside it. */
export interface TensorToSave {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A decoded tensor: a fresh, aligned copy of the file's data. */
export interface LoadedTensor {
  shape: number[];
  data: Float32Array;
}

export interface DecodedSafetensors {
  tensors: Record<string, LoadedTensor>;
  metadata: Record<string, string>;
}

/** A malformed or unsupported safetensors file. The message starts with the source. */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
  /** The file (or label) that was refused. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.source = source;
  }
}

/** The limit of the reference implementation (`MAX_HEADER_SIZE`). */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
/** Whether this machine stores a float's bytes little end first, as the file does. */
// Stryker disable next-line ConditionalExpression,EqualityOperator: true on every host we run on; the big-endian path is tested by passing false (stryker-equivalent.md)
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Copies float32 bytes between the file's little-endian order and the host's order: a plain
 * copy on little-endian hosts, a 4-byte swap on big-endian ones. Bytes, not floats, are moved,
 * so NaN payloads survive.
 */
export function copyFloat32Bytes(
  src: Uint8Array,
  dst: Uint8Array,
  hostIsLittleEndian = HOST_IS_LITTLE_ENDIAN,
): void {
  if (hostIsLittleEndian) {
    dst.set(src);
    return;
  }
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < src.length; i += 4) {
    dst[i] = src[i + 3]!;
    dst[i + 1] = src[i + 2]!;
    dst[i + 2] = src[i + 1]!;
    dst[i + 3] = src[i]!;
  }
}

const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** Product of dims, or Infinity once it leaves the safe-integer range. */
function elementCount(shape: readonly number[]): number {
  if (shape.includes(0)) return 0;
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) return Number.POSITIVE_INFINITY;
  }
  return n;
}

const bytesOf = (a: Float32Array): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Encodes float32 tensors as a safetensors file: u64 little-endian header length, a JSON header
 * padded with spaces to 8-byte alignment, then each tensor's little-endian bytes in sorted name
 * order, contiguous.
 *
 * @example
 * const bytes = encodeSafetensors({ W1: { shape: [10, 784], data } }, { epoch: '3' });
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, TensorToSave>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const op = 'encodeSafetensors';
  const names = Object.keys(tensors).sort();
  const entries: string[] = [];
  if (Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new TypeError(`${op}: metadata "${key}" must be a string, got ${typeof value}`);
      }
    }
    entries.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  for (const name of names) {
    const { shape, data } = tensors[name]!;
    if (name === METADATA_KEY) throw new RangeError(`${op}: "${METADATA_KEY}" is reserved`);
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new RangeError(
        `${op}: tensor "${name}": shape ${formatShape(shape)} must hold non-negative integers`,
      );
    }
    if (elementCount(shape) !== data.length) {
      throw new RangeError(
        `${op}: tensor "${name}": shape ${formatShape(shape)} needs ${elementCount(shape)} values, got ${data.length}`,
      );
    }
    const info = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    entries.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    offset += data.byteLength;
  }
  const json = new TextEncoder().encode(`{${entries.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const name of names) {
    const { data } = tensors[name]!;
    copyFloat32Bytes(bytesOf(data), out.subarray(at, at + data.byteLength));
    at += data.byteLength;
  }
  return out;
}

/** A short rendering of a JSON value for error messages. */
function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

const isOffsets = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && isCount(v[0]) && isCount(v[1]) && v[0] <= v[1];

interface TensorInfo {
  readonly name: string;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

type Fail = (message: string) => never;

function parseHeader(bytes: Uint8Array, fail: Fail): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    fail(`header is not valid UTF-8 JSON: ${(err as Error).message}`);
  }
  if (!isObject(header)) fail(`header must be a JSON object, got ${show(header)}`);
  return header as Record<string, unknown>;
}

function parseMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) fail(`${METADATA_KEY} must be an object of strings, got ${show(value)}`);
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, v] of entries) {
    if (typeof v !== 'string') fail(`${METADATA_KEY} "${key}" must be a string, got ${show(v)}`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function parseInfo(name: string, value: unknown, fail: Fail): TensorInfo {
  const at = `tensor "${name}"`;
  if (!isObject(value)) fail(`${at}: expected {dtype, shape, data_offsets}, got ${show(value)}`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (dtype !== 'F32') fail(`${at}: dtype ${show(dtype)} is not supported, expected "F32"`);
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(`${at}: shape must be an array of non-negative integers, got ${show(shape)}`);
  }
  if (!isOffsets(offsets)) {
    fail(
      `${at}: data_offsets must be integers [begin, end] with 0 <= begin <= end, got ${show(offsets)}`,
    );
  }
  const [begin, end] = offsets;
  const dims = shape as number[];
  const needed = elementCount(dims) * 4;
  if (end - begin !== needed) {
    fail(
      `${at}: shape ${formatShape(dims)} needs ${needed} bytes, data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, shape: dims, begin, end };
}

/** The tensors must tile the data section exactly: no overlaps, no holes, nothing after. */
function checkLayout(infos: readonly TensorInfo[], dataLength: number, fail: Fail): void {
  const sorted = [...infos].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: TensorInfo | undefined;
  for (const t of sorted) {
    const span = `[${t.begin}, ${t.end}]`;
    if (t.end > dataLength) {
      fail(
        `tensor "${t.name}": data_offsets ${span} go beyond the data section of ${dataLength} bytes`,
      );
    }
    if (t.begin < cursor && previous) {
      fail(
        `tensor "${t.name}": data_offsets ${span} overlap tensor "${previous.name}" [${previous.begin}, ${previous.end}]`,
      );
    }
    if (t.begin > cursor) {
      fail(
        `hole in the data section: bytes [${cursor}, ${t.begin}) belong to no tensor (next is "${t.name}")`,
      );
    }
    cursor = t.end;
    previous = t;
  }
  if (cursor !== dataLength) {
    fail(`trailing bytes: tensors cover ${cursor} bytes, the data section has ${dataLength}`);
  }
}

/**
 * Decodes and validates a safetensors file of F32 tensors. Each tensor's data is copied into a
 * fresh Float32Array, so the result never aliases `bytes`.
 *
 * @param source names the file in error messages.
 * @example
 * const { tensors, metadata } = decodeSafetensors(await readFile(path), path);
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): DecodedSafetensors {
  const fail: Fail = (message) => {
    throw new SafetensorsError(source, message);
  };
  if (bytes.length < 8) {
    fail(`file is ${bytes.length} bytes, expected at least 8 (the header length)`);
  }
  const length64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length64 > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${length64} is beyond the 100 MB limit (${MAX_HEADER_BYTES} bytes)`);
  }
  const headerLength = Number(length64);
  if (8 + headerLength > bytes.length) {
    fail(
      `header length ${headerLength} needs a file of at least ${8 + headerLength} bytes, got ${bytes.length}`,
    );
  }
  const header = parseHeader(bytes.subarray(8, 8 + headerLength), fail);
  const metadata = parseMetadata(header[METADATA_KEY], fail);
  const infos = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, value]) => parseInfo(name, value, fail));
  const data = bytes.subarray(8 + headerLength);
  checkLayout(infos, data.length, fail);
  const tensors = infos.map(({ name, shape, begin, end }): [string, LoadedTensor] => {
    const out = new Float32Array((end - begin) / 4);
    copyFloat32Bytes(data.subarray(begin, end), bytesOf(out));
    return [name, { shape, data: out }];
  });
  return { tensors: Object.fromEntries(tensors), metadata };
}
