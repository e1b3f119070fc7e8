import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';

/**
 * An IDX array (the format of the MNIST files): its dims and its unsigned-byte payload,
 * row-major, exactly as stored in the file.
 */
export interface IdxArray {
  readonly dims: readonly number[];
  /** A zero-copy view into the bytes that were parsed. */
  readonly data: Uint8Array;
}

/** A malformed, unsupported or unreadable IDX file. The message starts with the file. */
export class IdxError extends Error {
  override readonly name = 'IdxError';
  /** The file (or source label) that was refused. */
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}

/** IDX type codes (byte 2 of the magic number). Only unsigned byte is supported. */
const IDX_TYPES: Readonly<Record<number, string>> = {
  8: 'unsigned byte',
  9: 'signed byte',
  11: 'int16',
  12: 'int32',
  13: 'float32',
  14: 'float64',
};
const UBYTE = 0x08;

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Parses an IDX buffer: 2 zero bytes, a type byte, a rank byte, `rank` big-endian uint32 dims,
 * then the payload (exactly product(dims) bytes for type 0x08).
 *
 * @param file names the source in error messages.
 * @example
 * const { dims, data } = parseIdx(bytes, 't10k-images-idx3-ubyte'); // dims [10000, 28, 28]
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw new IdxError(
      file,
      `truncated header: expected at least 4 bytes (magic number), found ${bytes.length}`,
    );
  }
  const zero0 = bytes[0]!;
  const zero1 = bytes[1]!;
  const type = bytes[2]!;
  const rank = bytes[3]!;
  if (zero0 !== 0 || zero1 !== 0 || IDX_TYPES[type] === undefined) {
    const gz = zero0 === 0x1f && zero1 === 0x8b ? ' (this looks gzip-compressed: gunzip it)' : '';
    throw new IdxError(
      file,
      `not an IDX file: expected magic 00 00 <type 08..0e> <rank>, found ${hex(bytes.subarray(0, 4))}${gz}`,
    );
  }
  if (type !== UBYTE) {
    throw new IdxError(
      file,
      `unsupported IDX data type 0x${hex(bytes.subarray(2, 3))} (${IDX_TYPES[type]}): only 0x08 (${IDX_TYPES[8]}) is supported`,
    );
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new IdxError(
      file,
      `truncated header: expected ${headerLength} bytes for rank ${rank} (4 + 4 × ${rank}), found ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  // Exact while below 2^53; any larger product cannot match a real buffer either way.
  const expected = dims.reduce((n, d) => n * d, 1);
  const found = bytes.length - headerLength;
  if (found !== expected) {
    // Stryker disable next-line EqualityOperator: found === expected never reaches here (stryker-equivalent.md)
    const what = found < expected ? 'truncated payload' : 'trailing bytes after payload';
    throw new IdxError(
      file,
      `${what}: expected ${expected} bytes of payload for dims [${dims.join(', ')}], found ${found}`,
    );
  }
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset + headerLength, expected);
  return { dims, data };
}

const isGzip = (path: string, bytes: Uint8Array): boolean =>
  path.endsWith('.gz') || (bytes[0] === 0x1f && bytes[1] === 0x8b);

function gunzipAsync(bytes: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    gunzip(bytes, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

/**
 * Reads and parses an IDX file, gunzipping it first when the name ends in `.gz` or the bytes
 * start with the gzip magic `1f 8b`.
 */
export async function readIdxFile(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint =
      code === 'ENOENT' ? 'file not found; pass --data-dir <dir> to point at the MNIST files' : '';
    throw new IdxError(path, hint || `cannot read file: ${(err as Error).message}`, { cause: err });
  }
  if (isGzip(path, bytes)) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (err) {
      throw new IdxError(path, `gunzip failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return parseIdx(bytes, path);
}
