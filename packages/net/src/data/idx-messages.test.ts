import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdxError, parseIdx, readIdxFile } from './idx.js';

/** A rank-1 IDX file of one unsigned byte, with the four magic bytes given. */
const withMagic = (b0: number, b1: number, type = 0x08) =>
  Uint8Array.from([b0, b1, type, 1, 0, 0, 0, 1, 7]);

/** The error `fn` throws (sync or async). */
async function caught(fn: () => unknown): Promise<IdxError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IdxError);
    return err as IdxError;
  }
  throw new Error('expected an IdxError');
}

describe('IDX messages, word for word', () => {
  it('names the error class', async () => {
    expect((await caught(() => parseIdx(new Uint8Array(2), 'f'))).name).toBe('IdxError');
  });

  it.each([
    [0x01, 0x00],
    [0x00, 0x01],
  ])('refuses a first two bytes %i %i that are not zero', async (b0, b1) => {
    const err = await caught(() => parseIdx(withMagic(b0, b1), 'f'));
    expect(err.message).toBe(
      `f: not an IDX file: expected magic 00 00 <type 08..0e> <rank>, found 0${b0} 0${b1} 08 01`,
    );
  });

  it.each([
    [0x1f, 0x8b, ' (this looks gzip-compressed: gunzip it)'],
    [0x1f, 0x00, ''],
    [0x00, 0x8b, ''],
  ])('hints at gzip only for the full gzip magic (%i %i)', async (b0, b1, hint) => {
    const err = await caught(() => parseIdx(withMagic(b0, b1), 'f'));
    const hex = (n: number) => n.toString(16).padStart(2, '0');
    expect(err.message).toBe(
      `f: not an IDX file: expected magic 00 00 <type 08..0e> <rank>, found ${hex(b0)} ${hex(b1)} 08 01${hint}`,
    );
  });

  it.each([
    [0x09, 'signed byte'],
    [0x0b, 'int16'],
    [0x0c, 'int32'],
    [0x0d, 'float32'],
    [0x0e, 'float64'],
  ])('names the unsupported data type 0x%s', async (type, name) => {
    const err = await caught(() => parseIdx(withMagic(0, 0, type), 'f'));
    expect(err.message).toBe(
      `f: unsupported IDX data type 0x${type.toString(16).padStart(2, '0')} (${name}): only 0x08 (unsigned byte) is supported`,
    );
  });
});

describe('readIdxFile: gzip by name or by magic, and the cause of a failure', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'idx-messages-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gunzips a file named .gz even when its bytes are not gzip (and says gunzip failed)', async () => {
    const path = join(dir, 'plain.gz');
    await writeFile(path, withMagic(0, 0));
    const err = await caught(() => readIdxFile(path));
    expect(err.message).toMatch(/^.*plain\.gz: gunzip failed: /);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('does not gunzip a file whose name does not end in .gz and that lacks the full gzip magic', async () => {
    for (const [name, bytes] of [
      ['gz.plain', withMagic(0, 0)],
      ['half-magic', withMagic(0x1f, 0)],
      ['other-half', withMagic(0, 0x8b)],
    ] as const) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      if (bytes[0] === 0 && bytes[1] === 0) {
        expect((await readIdxFile(path)).dims).toEqual([1]);
      } else {
        const err = await caught(() => readIdxFile(path));
        expect(err.message).toContain('not an IDX file');
      }
    }
  });

  it('keeps the file system error as the cause of a missing file', async () => {
    const err = await caught(() => readIdxFile(join(dir, 'missing')));
    expect((err.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
