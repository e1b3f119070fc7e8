import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from './atomic.js';

// Let tests make `rename` fail once, as a crash between writing and renaming would.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rename: vi.fn(actual.rename) };
});

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const read = async (path: string): Promise<string> => fs.readFile(path, 'utf8');

describe('writeFileAtomic', () => {
  let root = '';
  let n = 0;
  /** A fresh empty folder per test. */
  const folder = async (): Promise<string> => {
    const dir = join(root, `case-${n++}`);
    await fs.mkdir(dir);
    return dir;
  };

  beforeAll(async () => {
    root = await fs.mkdtemp(join(tmpdir(), 'atomic-test-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('writes a new file and leaves no temp file', async () => {
    const dir = await folder();
    await writeFileAtomic(join(dir, 'model.safetensors'), bytes('hello'));
    expect(await read(join(dir, 'model.safetensors'))).toBe('hello');
    expect(await fs.readdir(dir)).toEqual(['model.safetensors']);
  });

  it('overwrites an existing file, also with a shorter one', async () => {
    const dir = await folder();
    const path = join(dir, 'm.bin');
    await writeFileAtomic(path, bytes('a long first version'));
    await writeFileAtomic(path, bytes('v2'));
    expect(await read(path)).toBe('v2');
    expect(await fs.readdir(dir)).toEqual(['m.bin']);
  });

  it('writes an empty file and binary bytes exactly', async () => {
    const dir = await folder();
    await writeFileAtomic(join(dir, 'empty'), new Uint8Array(0));
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    await writeFileAtomic(join(dir, 'all'), all.subarray(3, 200));
    expect((await fs.readFile(join(dir, 'empty'))).length).toBe(0);
    expect(new Uint8Array(await fs.readFile(join(dir, 'all')))).toEqual(all.subarray(3, 200));
  });

  it('creates missing parent folders', async () => {
    const path = join(await folder(), 'a', 'b', 'c.bin');
    await writeFileAtomic(path, bytes('deep'));
    expect(await read(path)).toBe('deep');
  });

  it('keeps the old content and no temp file when the rename fails', async () => {
    const dir = await folder();
    const path = join(dir, 'm.bin');
    await writeFileAtomic(path, bytes('old'));
    vi.mocked(fs.rename).mockRejectedValueOnce(new Error('simulated crash before rename'));
    await expect(writeFileAtomic(path, bytes('new'))).rejects.toThrow(
      'simulated crash before rename',
    );
    expect(await read(path)).toBe('old');
    expect(await fs.readdir(dir)).toEqual(['m.bin']);
  });

  it('leaves a file intact when asked to write beneath it as if it were a folder', async () => {
    const dir = await folder();
    const file = join(dir, 'm.bin');
    await fs.writeFile(file, 'old');
    await expect(writeFileAtomic(join(file, 'x.bin'), bytes('new'))).rejects.toMatchObject({
      code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/),
    });
    expect(await read(file)).toBe('old');
    expect(await fs.readdir(dir)).toEqual(['m.bin']);
  });

  it('removes its temp file when the target is a folder', async () => {
    const dir = await folder();
    await fs.mkdir(join(dir, 'taken'));
    await fs.writeFile(join(dir, 'taken', 'keep'), 'kept');
    await expect(writeFileAtomic(join(dir, 'taken'), bytes('new'))).rejects.toThrow();
    expect(await fs.readdir(dir)).toEqual(['taken']);
    expect(await read(join(dir, 'taken', 'keep'))).toBe('kept');
  });

  it('ends with one whole version when writes race', async () => {
    const dir = await folder();
    const path = join(dir, 'race.bin');
    const versions = Array.from({ length: 8 }, (_, i) => `version ${i} `.repeat(1000 * (i + 1)));
    await Promise.all(versions.map((v) => writeFileAtomic(path, bytes(v))));
    expect(versions).toContain(await read(path));
    expect(await fs.readdir(dir)).toEqual(['race.bin']);
  });
});
