import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdxError, parseIdx, readIdxFile } from './idx.js';

/** A 2×3 unsigned-byte IDX file, written out byte by byte. */
// biome-ignore format: one row per IDX field
const GOOD = Uint8Array.from([
  0x00, 0x00, 0x08, 0x02, // magic: ubyte, rank 2
  0x00, 0x00, 0x00, 0x02, // dim 0 = 2
  0x00, 0x00, 0x00, 0x03, // dim 1 = 3
  1, 2, 3, 250, 251, 255, // payload
]);

/** Expects `fn` to throw an IdxError for `file` whose message contains `text`. */
function expectIdxError(fn: () => unknown, file: string, text: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IdxError);
    expect((err as IdxError).file).toBe(file);
    expect((err as IdxError).message).toContain(`${file}: `);
    expect((err as IdxError).message).toContain(text);
    return;
  }
  expect.fail(`expected an IdxError containing "${text}"`);
}

describe('parseIdx', () => {
  it('reads dims and payload of a hand-made file', () => {
    const { dims, data } = parseIdx(GOOD, 'good');
    expect(dims).toEqual([2, 3]);
    expect(Array.from(data)).toEqual([1, 2, 3, 250, 251, 255]);
  });

  it('returns a zero-copy view of the payload, also inside a larger buffer', () => {
    const outer = new Uint8Array(GOOD.length + 7);
    outer.set(GOOD, 5);
    const bytes = outer.subarray(5, 5 + GOOD.length);
    const { data } = parseIdx(bytes, 'view');
    expect(data.buffer).toBe(outer.buffer);
    expect(data.byteOffset).toBe(5 + 12);
    expect(data.constructor).toBe(Uint8Array);
    outer[5 + 12] = 99;
    expect(data[0]).toBe(99);
  });

  it('accepts an empty payload when a dim is 0', () => {
    const bytes = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 0]);
    expect(parseIdx(bytes, 'empty')).toEqual({ dims: [0], data: new Uint8Array(0) });
  });

  it('reads big-endian dims above 255', () => {
    const bytes = new Uint8Array(8 + 0x0102);
    bytes.set([0, 0, 8, 1, 0, 0, 0x01, 0x02]);
    expect(parseIdx(bytes, 'big').dims).toEqual([258]);
  });

  it('rejects a header shorter than the magic number', () => {
    expectIdxError(
      () => parseIdx(Uint8Array.from([0, 0, 8]), 'short'),
      'short',
      'truncated header: expected at least 4 bytes (magic number), found 3',
    );
  });

  it('rejects a wrong magic number, printing the bytes in hex', () => {
    expectIdxError(
      () => parseIdx(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'x.zip'),
      'x.zip',
      'not an IDX file: expected magic 00 00 <type 08..0e> <rank>, found 50 4b 03 04',
    );
    expectIdxError(
      () => parseIdx(Uint8Array.from([0, 0, 0x42, 1]), 'odd'),
      'odd',
      'found 00 00 42 01',
    );
  });

  it('says when the bytes look gzip-compressed', () => {
    expectIdxError(
      () => parseIdx(gzipSync(GOOD), 'a.gz'),
      'a.gz',
      'found 1f 8b 08 00 (this looks gzip-compressed: gunzip it)',
    );
  });

  it('names an unsupported data type', () => {
    expectIdxError(
      () => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), 'f32'),
      'f32',
      'unsupported IDX data type 0x0d (float32): only 0x08 (unsigned byte) is supported',
    );
  });

  it('rejects a header cut inside the dims', () => {
    expectIdxError(
      () => parseIdx(GOOD.subarray(0, 10), 'cut'),
      'cut',
      'truncated header: expected 12 bytes for rank 2 (4 + 4 × 2), found 10',
    );
  });

  it('rejects a truncated payload', () => {
    expectIdxError(
      () => parseIdx(GOOD.subarray(0, GOOD.length - 2), 'cut'),
      'cut',
      'truncated payload: expected 6 bytes of payload for dims [2, 3], found 4',
    );
  });

  it('rejects trailing bytes', () => {
    const long = new Uint8Array(GOOD.length + 3);
    long.set(GOOD);
    expectIdxError(
      () => parseIdx(long, 'long'),
      'long',
      'trailing bytes after payload: expected 6 bytes of payload for dims [2, 3], found 9',
    );
  });
});

describe('readIdxFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'idx-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a plain file as a plain Uint8Array', async () => {
    const path = join(dir, 'plain-idx2-ubyte');
    await writeFile(path, GOOD);
    const idx = await readIdxFile(path);
    expect(idx.dims).toEqual([2, 3]);
    expect(idx.data.constructor).toBe(Uint8Array);
    expect(Array.from(idx.data)).toEqual([1, 2, 3, 250, 251, 255]);
  });

  it('gunzips a .gz file', async () => {
    const path = join(dir, 'a-idx2-ubyte.gz');
    await writeFile(path, gzipSync(GOOD));
    expect(Array.from((await readIdxFile(path)).data)).toEqual([1, 2, 3, 250, 251, 255]);
  });

  it('gunzips by magic bytes when the name has no .gz', async () => {
    const path = join(dir, 'sneaky-idx2-ubyte');
    await writeFile(path, gzipSync(GOOD));
    expect((await readIdxFile(path)).dims).toEqual([2, 3]);
  });

  it('reports a broken .gz file by name', async () => {
    const path = join(dir, 'broken.gz');
    await writeFile(path, gzipSync(GOOD).subarray(0, 15));
    await expect(readIdxFile(path)).rejects.toThrow(`${path}: gunzip failed: `);
  });

  it('reports format errors inside a .gz file by name', async () => {
    const path = join(dir, 'short.gz');
    await writeFile(path, gzipSync(GOOD.subarray(0, 14)));
    await expect(readIdxFile(path)).rejects.toThrow(
      `${path}: truncated payload: expected 6 bytes of payload for dims [2, 3], found 2`,
    );
  });

  it('names a missing file and suggests --data-dir', async () => {
    const path = join(dir, 'nope-idx3-ubyte');
    const err = await readIdxFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdxError);
    expect((err as IdxError).file).toBe(path);
    expect((err as IdxError).message).toBe(
      `${path}: file not found; pass --data-dir <dir> to point at the MNIST files`,
    );
  });

  it('names a path that cannot be read', async () => {
    await expect(readIdxFile(dir)).rejects.toThrow(`${dir}: cannot read file: `);
  });
});
