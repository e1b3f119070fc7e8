/**
 * Images from request JSON: checks a tensor's shape, layout and every value, and copies the values
 * into one typed array (n × 784, row-major), the layout `predict` takes. The first bad value is
 * reported with its exact place: `inputs[0].data[1][27][3]: expected a number in [0, 1] (FP32), got 1.5`.
 */
import type { Images } from '@mnist/net';
import { invalidField, show } from '../problem.js';

export const PIXELS = 784;
export type Datatype = 'FP32' | 'UINT8';

export interface DecodedImages {
  readonly count: number;
  readonly images: Images;
}

export const SHAPES = '[N, 784], [N, 28, 28], [784] or [28, 28]';

export const formatShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Images in a tensor of `shape`, or null if the shape is not one of SHAPES. */
export function imageCount(shape: readonly number[]): number | null {
  if (shape.length === 1 && shape[0] === PIXELS) return 1;
  if (shape.length === 2 && shape[0] === 28 && shape[1] === 28) return 1;
  if (shape.length === 2 && shape[1] === PIXELS) return shape[0]!;
  if (shape.length === 3 && shape[1] === 28 && shape[2] === 28) return shape[0]!;
  return null;
}

export const VALUE: Readonly<
  Record<Datatype, { ok: (v: unknown) => v is number; expected: string }>
> = {
  FP32: {
    ok: (v): v is number => typeof v === 'number' && v >= 0 && v <= 1,
    expected: 'a number in [0, 1] (FP32)',
  },
  UINT8: {
    ok: (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255,
    expected: 'an integer in 0..255 (UINT8)',
  },
};

export interface DecodeOptions {
  /** The path of the data in the request, for errors: `inputs[0].data`, `images`. */
  readonly dataPath: string;
  /** The path of the shape, for errors; null when the shape was inferred from the data. */
  readonly shapePath: string | null;
  /** Most images per request. */
  readonly maxBatch: number;
}

/** The images in a tensor of `shape`, checked against SHAPES and the batch limit (400 if not). */
export function checkedImageCount(shape: readonly number[], o: DecodeOptions): number {
  const n = imageCount(shape);
  if (n === null) throw invalidField(o.shapePath ?? o.dataPath, SHAPES, formatShape(shape));
  if (n < 1) throw invalidField(o.shapePath ?? o.dataPath, 'at least 1 image', formatShape(shape));
  if (n > o.maxBatch)
    throw invalidField(
      o.shapePath ?? o.dataPath,
      `at most ${o.maxBatch} images per request`,
      `${n} images`,
    );
  return n;
}

/** Checks `data` against `shape` and `datatype` and copies it out. Throws a 400 ProblemError naming the first bad field. */
export function decodeImages(
  values: readonly unknown[] | Float64Array,
  shape: readonly number[],
  datatype: Datatype,
  o: DecodeOptions,
): DecodedImages {
  const n = checkedImageCount(shape, o);
  const total = n * PIXELS;
  // Numbers the body parser read into a Float64Array (http/fast-json.ts): used as they are when
  // they fill the tensor; otherwise as the array they were, so every refusal reads the same.
  const data: ArrayLike<unknown> =
    Array.isArray(values) || values.length === total ? values : Array.from(values);
  const { ok, expected } = VALUE[datatype];
  const out = datatype === 'UINT8' ? new Uint8Array(total) : new Float32Array(total);
  const bad = (path: string, v: unknown) => invalidField(path, expected, show(v));

  if (data.length === total) {
    for (let i = 0; i < total; i++) {
      const v = data[i];
      if (!ok(v)) throw bad(`${o.dataPath}[${i}]`, v);
      out[i] = v;
    }
  } else if (shape.length > 1 && data.length === shape[0]) {
    let k = 0;
    const last = shape.length - 1;
    const walk = (arr: unknown, dim: number, path: string): void => {
      const want = shape[dim]!;
      if (!Array.isArray(arr) || arr.length !== want)
        throw invalidField(path, `an array of ${want}`, show(arr));
      if (dim === last) {
        for (let i = 0; i < want; i++) {
          const v: unknown = arr[i];
          if (!ok(v)) throw bad(`${path}[${i}]`, v);
          out[k++] = v;
        }
      } else for (let i = 0; i < want; i++) walk(arr[i], dim + 1, `${path}[${i}]`);
    };
    walk(data, 0, o.dataPath);
  } else {
    const layout = shape.length > 1 ? ` flat, or arrays nested as ${formatShape(shape)}` : '';
    throw invalidField(o.dataPath, `${total} values${layout}`, show(data));
  }
  return datatype === 'UINT8'
    ? { count: n, images: { uint8: out as Uint8Array } }
    : { count: n, images: { float32: out as Float32Array } };
}

/** The shape of one image given as 784 values or 28 rows, or null. */
function imageShape(image: readonly unknown[]): number[] | null {
  if (image.length === PIXELS) return [PIXELS];
  if (image.length === 28 && Array.isArray(image[0])) return [28, 28];
  return null;
}

const IMAGE = '784 numbers or 28 arrays of 28 numbers';

/** The simple route's body: `image` (one) or `images` (several), values as `encoding`. */
export function decodeSimple(
  body: {
    readonly image?: readonly unknown[] | undefined;
    readonly images?: readonly (readonly unknown[])[] | undefined;
    readonly encoding: 'float' | 'uint8';
  },
  maxBatch: number,
): DecodedImages {
  const datatype: Datatype = body.encoding === 'uint8' ? 'UINT8' : 'FP32';
  if ((body.image === undefined) === (body.images === undefined))
    throw invalidField(
      body.image === undefined ? 'image' : 'images',
      'exactly one of image and images',
      body.image === undefined ? 'neither' : 'both',
    );
  if (body.image !== undefined) {
    const shape = imageShape(body.image);
    if (!shape) throw invalidField('image', IMAGE, show(body.image));
    return decodeImages(body.image, shape, datatype, {
      dataPath: 'image',
      shapePath: null,
      maxBatch,
    });
  }
  const images = body.images!;
  const first = imageShape(images[0]!);
  if (!first) throw invalidField('images[0]', IMAGE, show(images[0]));
  if (images.length > maxBatch)
    throw invalidField(
      'images',
      `at most ${maxBatch} images per request`,
      `${images.length} images`,
    );
  return decodeImages(images, [images.length, ...first], datatype, {
    dataPath: 'images',
    shapePath: null,
    maxBatch,
  });
}
