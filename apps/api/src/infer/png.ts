/**
 * PNG images in: the header is read first so that a picture too large to decode is refused before
 * any pixel is inflated; then `fast-png` decodes it (any bit depth, grey, grey + alpha, RGB, RGBA
 * or palette) and `@mnist/net`'s MNIST preprocessing (polarity detection, crop, 20×20, centre of
 * mass) turns it into the 28×28 image the network receives.
 */
import { inkFromPixels, mnistImage, type RawPixels } from '@mnist/net';
import { convertIndexedToRgb, decode } from 'fast-png';
import { invalidField } from '../problem.js';
import type { DecodedImages } from './images.js';

/** The largest width or height of a PNG we decode: 2048 × 2048 RGBA is 16 MiB of pixels. */
export const PNG_MAX_SIDE = 2048;
export const PNG_TYPE = 'image/png';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COLOR_TYPES: Readonly<Record<number, string>> = {
  0: 'grey',
  2: 'RGB',
  3: 'palette',
  4: 'grey + alpha',
  6: 'RGBA',
};

/** Whether a Content-Type names a PNG. */
export const isPngType = (contentType: string | undefined): boolean =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() === PNG_TYPE;

const hex = (bytes: Uint8Array) =>
  Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
}

/** The PNG's IHDR, checked; a 400 naming what is wrong with the file otherwise. */
export function readPngHeader(bytes: Uint8Array): PngHeader {
  const bad = (expected: string, got: string) => invalidField('body', expected, got);
  if (bytes.length === 0) throw bad('a PNG file', 'an empty body');
  if (!SIGNATURE.every((b, i) => bytes[i] === b))
    throw bad(
      'a PNG file (starting with the PNG signature 89 50 4e 47 0d 0a 1a 0a)',
      `a file starting with ${hex(bytes)}`,
    );
  // Signature (8), then the IHDR chunk: length (4) "IHDR" (4) width (4) height (4) depth, colour type …
  if (bytes.length < 8 + 8 + 13 + 4)
    throw bad(
      'a complete PNG file',
      `a file truncated after ${bytes.length} bytes, inside its header`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (view.getUint32(8) !== 13 || type !== 'IHDR')
    throw bad(
      'a PNG whose first chunk is a 13-byte IHDR',
      `a ${view.getUint32(8)}-byte "${type}" chunk`,
    );
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24]!;
  const colorType = bytes[25]!;
  if (width === 0 || height === 0)
    throw bad('a PNG at least 1×1 pixels', `${width}×${height} pixels`);
  if (width > PNG_MAX_SIDE || height > PNG_MAX_SIDE)
    throw bad(
      `a PNG of at most ${PNG_MAX_SIDE}×${PNG_MAX_SIDE} pixels (MNIST digits are 28×28)`,
      `${width}×${height} pixels`,
    );
  if (!(colorType in COLOR_TYPES))
    throw bad('a PNG colour type 0, 2, 3, 4 or 6', `colour type ${colorType}`);
  return { width, height, bitDepth, colorType };
}

/** Grey samples of 1, 2 or 4 bits, rows padded to whole bytes, as one value per pixel. */
function unpackBits(data: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      out[y * width + x] = (data[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & mask;
    }
  return out;
}

/** The PNG's pixels, as `@mnist/net` reads them. */
export function decodePngPixels(bytes: Uint8Array): RawPixels {
  const header = readPngHeader(bytes);
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (e) {
    throw invalidField(
      'body',
      'a complete, valid PNG file',
      `a file that cannot be decoded (${(e as Error).message}; it may be truncated)`,
    );
  }
  if (png.width !== header.width || png.height !== header.height)
    throw invalidField(
      'body',
      `${header.width}×${header.height} pixels`,
      `${png.width}×${png.height}`,
    );
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    const channels = rgb.length / (png.width * png.height);
    return { width: png.width, height: png.height, channels: channels as 3 | 4, data: rgb };
  }
  const { width, height, channels, depth } = png;
  const data = depth < 8 ? unpackBits(png.data as Uint8Array, width, height, depth) : png.data;
  if (data.length !== width * height * channels)
    throw invalidField(
      'body',
      'a complete, valid PNG file',
      `${data.length} samples for ${width}×${height}×${channels} (a truncated file)`,
    );
  return { width, height, channels: channels as 1 | 2 | 3 | 4, data, maxValue: 2 ** depth - 1 };
}

/** The 28×28 image (784 floats in [0, 1]) the network receives for this PNG. */
export function pngToMnist(bytes: Uint8Array): Float32Array {
  return mnistImage(inkFromPixels(decodePngPixels(bytes)));
}

/** A request body that is a PNG, as the one image of a prediction request. */
export function pngImages(bytes: Uint8Array): DecodedImages {
  return { count: 1, images: { float32: pngToMnist(bytes) } };
}
