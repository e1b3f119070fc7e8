import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  copyFloat32Bytes,
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
} from './safetensors.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bits = (a: Float32Array): number[] =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** A safetensors file from a raw header string and data bytes (header length = string length). */
function file(header: string, data: ArrayLike<number> = []): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(Array.from(data), 8 + json.length);
  return out;
}

/** Expects decoding to throw a SafetensorsError for `model.st` whose message contains `want`. */
function expectRejected(bytes: Uint8Array, want: string): void {
  try {
    decodeSafetensors(bytes, 'model.st');
  } catch (err) {
    expect(err).toBeInstanceOf(SafetensorsError);
    expect((err as SafetensorsError).source).toBe('model.st');
    expect((err as Error).message).toContain('model.st: ');
    expect((err as Error).message).toContain(want);
    return;
  }
  expect.fail(`expected a SafetensorsError containing "${want}"`);
}

describe('encodeSafetensors', () => {
  it('writes a hand-computed tiny file byte for byte', () => {
    const bytes = encodeSafetensors({ x: { shape: [2], data: Float32Array.of(1, -2) } });
    const json = '{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 54 bytes
    expect(bytes.length).toBe(8 + 56 + 8);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([56, 0, 0, 0, 0, 0, 0, 0]);
    expect(text(bytes.subarray(8, 64))).toBe(`${json}  `);
    // 1.0f = 0x3f800000 and -2.0f = 0xc0000000, little-endian.
    expect(Array.from(bytes.subarray(64))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  it('puts metadata first, tensors in sorted order, contiguous', () => {
    const bytes = encodeSafetensors(
      {
        b: { shape: [1], data: Float32Array.of(2) },
        a: { shape: [2, 1], data: Float32Array.of(0, 1) },
      },
      { epoch: '3' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(text(bytes.subarray(8, 8 + headerLength)).trimEnd()).toBe(
      '{"__metadata__":{"epoch":"3"},' +
        '"a":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},' +
        '"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}',
    );
    expect(new Float32Array(bytes.slice(8 + headerLength).buffer)).toEqual(
      Float32Array.of(0, 1, 2),
    );
  });

  it('aligns the data start to 8 bytes whatever the header length', () => {
    for (let n = 1; n <= 16; n++) {
      const bytes = encodeSafetensors({ ['w'.repeat(n)]: { shape: [], data: Float32Array.of(n) } });
      const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      expect((8 + headerLength) % 8).toBe(0);
      expect(decodeSafetensors(bytes).tensors['w'.repeat(n)]?.data).toEqual(Float32Array.of(n));
    }
  });

  it('encodes an empty set as {} padded', () => {
    expect(text(encodeSafetensors({}).subarray(8))).toBe('{}      ');
    expect(decodeSafetensors(encodeSafetensors({}))).toEqual({ tensors: {}, metadata: {} });
  });

  it('refuses data that does not match its shape', () => {
    expect(() => encodeSafetensors({ W1: { shape: [2, 3], data: new Float32Array(5) } })).toThrow(
      'encodeSafetensors: tensor "W1": shape [2, 3] needs 6 values, got 5',
    );
    expect(() => encodeSafetensors({ W1: { shape: [-1], data: new Float32Array(1) } })).toThrow(
      'encodeSafetensors: tensor "W1": shape [-1] must hold non-negative integers',
    );
  });

  it('refuses a tensor named __metadata__', () => {
    const tensors = { __metadata__: { shape: [0], data: new Float32Array(0) } };
    expect(() => encodeSafetensors(tensors)).toThrow('"__metadata__" is reserved');
  });
});

describe('decodeSafetensors', () => {
  it('reads a file written by python (struct + json + numpy, another layout)', () => {
    // Made by: h = json.dumps(hdr, ensure_ascii=False).encode(); padded with spaces to 8;
    // struct.pack('<Q', len(h)) + h + b.tobytes() + a.tobytes(), with
    // b = float32 [inf, -inf, nan] at [0, 12] and a = float32 [[1.5, -2, 0], [3.25, -0, 1e-45]]
    // at [12, 36]; header keys b, __metadata__ {format: pt, note: héllo}, a, with spaces.
    const b64 =
      'uAAAAAAAAAB7ImIiOiB7ImR0eXBlIjogIkYzMiIsICJzaGFwZSI6IFszXSwgImRhdGFfb2Zmc2V0cyI6IFswLCAxMl19LCAiX19tZXRhZGF0YV9fIjogeyJmb3JtYXQiOiAicHQiLCAibm90ZSI6ICJow6lsbG8ifSwgImEiOiB7ImR0eXBlIjogIkYzMiIsICJzaGFwZSI6IFsyLCAzXSwgImRhdGFfb2Zmc2V0cyI6IFsxMiwgMzZdfX0gICAgAACAfwAAgP8AAMB/AADAPwAAAMAAAAAAAABQQAAAAIABAAAA';
    const { tensors, metadata } = decodeSafetensors(Buffer.from(b64, 'base64'), 'py.safetensors');
    expect(metadata).toEqual({ format: 'pt', note: 'héllo' });
    expect(tensors.a?.shape).toEqual([2, 3]);
    expect(bits(tensors.a!.data)).toEqual([
      0x3fc00000, 0xc0000000, 0, 0x40500000, 0x80000000, 0x00000001,
    ]);
    expect(tensors.b?.shape).toEqual([3]);
    expect(bits(tensors.b!.data)).toEqual([0x7f800000, 0xff800000, 0x7fc00000]);
  });

  it('copies into fresh aligned arrays, also from an unaligned view', () => {
    const good = encodeSafetensors({ v: { shape: [3], data: Float32Array.of(1, 2, 3) } });
    const outer = new Uint8Array(good.length + 1);
    outer.set(good, 1);
    const bytes = outer.subarray(1);
    const { data } = decodeSafetensors(bytes).tensors.v!;
    expect(data).toEqual(Float32Array.of(1, 2, 3));
    expect(data.buffer).not.toBe(outer.buffer);
    expect(data.byteOffset).toBe(0);
    bytes.fill(0);
    expect(data).toEqual(Float32Array.of(1, 2, 3));
  });

  it('keeps tensor names like __proto__ as plain keys', () => {
    const bytes = encodeSafetensors({ __proto__x: { shape: [1], data: Float32Array.of(1) } });
    const hacked = file(
      '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
      [0, 0, 0x80, 0x3f],
    );
    expect(Object.keys(decodeSafetensors(bytes).tensors)).toEqual(['__proto__x']);
    const { tensors } = decodeSafetensors(hacked);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.keys(tensors)).toEqual(['__proto__']);
  });

  it('rejects a file shorter than 8 bytes', () => {
    expectRejected(new Uint8Array(5), 'file is 5 bytes, expected at least 8 (the header length)');
  });

  it('rejects an absurd header length', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n, true);
    expectRejected(bytes, 'header length 9223372036854775808 is beyond the 100 MB limit');
  });

  it('rejects a header length beyond the file', () => {
    const bytes = file('{}');
    bytes[0] = 100;
    expectRejected(bytes, 'header length 100 needs a file of at least 108 bytes, got 10');
  });

  it('rejects a header that is not JSON, not UTF-8, or not an object', () => {
    expectRejected(file('{"a":'), 'header is not valid UTF-8 JSON: ');
    expectRejected(file(''), 'header is not valid UTF-8 JSON: ');
    const badUtf8 = file('{"\u00ff":1}');
    badUtf8.set([0xff], 10);
    expectRejected(badUtf8, 'header is not valid UTF-8 JSON: ');
    expectRejected(file('[1, 2]'), 'header must be a JSON object, got [1,2]');
    expectRejected(file('null    '), 'header must be a JSON object, got null');
  });

  it('rejects metadata that is not an object of strings', () => {
    expectRejected(
      file('{"__metadata__":[1]}'),
      '__metadata__ must be an object of strings, got [1]',
    );
    expectRejected(
      file('{"__metadata__":{"epoch":3}}'),
      '__metadata__ "epoch" must be a string, got 3',
    );
  });

  it('rejects a tensor entry that is not an object', () => {
    expectRejected(file('{"W1":5}'), 'tensor "W1": expected {dtype, shape, data_offsets}, got 5');
  });

  it('names an unsupported dtype', () => {
    const header = '{"W1":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}';
    expectRejected(
      file(header, new Uint8Array(4)),
      'tensor "W1": dtype "F16" is not supported, expected "F32"',
    );
    expectRejected(
      file('{"W1":{"shape":[],"data_offsets":[0,4]}}'),
      'tensor "W1": dtype nothing is not',
    );
  });

  it('rejects a shape that is not an array of non-negative integers', () => {
    for (const shape of ['[-1]', '[1.5]', '"2"', '[2,null]', '[1e300]']) {
      const header = `{"W1":{"dtype":"F32","shape":${shape},"data_offsets":[0,4]}}`;
      expectRejected(
        file(header),
        'tensor "W1": shape must be an array of non-negative integers, got ',
      );
    }
  });

  it('rejects data_offsets that are not [begin, end] integers', () => {
    for (const offsets of ['[0]', '[0,4,8]', '[4,0]', '[0,"4"]', '{"0":0}', '[-4,0]']) {
      const header = `{"W1":{"dtype":"F32","shape":[1],"data_offsets":${offsets}}}`;
      expectRejected(
        file(header, new Uint8Array(4)),
        'tensor "W1": data_offsets must be integers [begin, end] with 0 <= begin <= end, got ',
      );
    }
  });

  it('rejects offsets whose span does not match the shape', () => {
    const header = '{"W1":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}';
    expectRejected(
      file(header, new Uint8Array(20)),
      'tensor "W1": shape [2, 3] needs 24 bytes, data_offsets [0, 20] span 20',
    );
  });

  it('rejects offsets beyond the data section', () => {
    const header = '{"W1":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expectRejected(
      file(header, new Uint8Array(4)),
      'tensor "W1": data_offsets [0, 8] go beyond the data section of 4 bytes',
    );
  });

  it('rejects overlapping tensors', () => {
    const header =
      '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expectRejected(
      file(header, new Uint8Array(8)),
      'tensor "b": data_offsets [4, 8] overlap tensor "a" [0, 8]',
    );
  });

  it('rejects holes between tensors', () => {
    const header =
      '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}';
    expectRejected(
      file(header, new Uint8Array(12)),
      'hole in the data section: bytes [4, 8) belong to no tensor (next is "b")',
    );
    const late = '{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expectRejected(file(late, new Uint8Array(8)), 'bytes [0, 4) belong to no tensor');
  });

  it('rejects trailing bytes after the last tensor', () => {
    const header = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    expectRejected(
      file(header, new Uint8Array(7)),
      'trailing bytes: tensors cover 4 bytes, the data section has 7',
    );
    expectRejected(
      file('{}', [1]),
      'trailing bytes: tensors cover 0 bytes, the data section has 1',
    );
  });

  it('defaults the source to "safetensors"', () => {
    expect(() => decodeSafetensors(new Uint8Array(0))).toThrow(/^safetensors: file is 0 bytes/);
  });
});

describe('copyFloat32Bytes', () => {
  it('swaps each 4-byte group on a big-endian host', () => {
    const dst = new Uint8Array(8);
    copyFloat32Bytes(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), dst, false);
    expect(Array.from(dst)).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    copyFloat32Bytes(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), dst, true);
    expect(Array.from(dst)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

/** Whether python3 with numpy is on this machine (the cross-check below is skipped otherwise). */
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe('cross-check with python', () => {
  it.skipIf(!hasNumpy)('writes files that python (struct + json + numpy) reads back', () => {
    const script = [
      'import sys, json, struct, numpy as np',
      'b = sys.stdin.buffer.read()',
      "n, = struct.unpack('<Q', b[:8])",
      'h = json.loads(b[8:8 + n].decode())',
      'meta = h.pop("__metadata__", {})',
      'out = {k: np.frombuffer(b[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]], "<f4")',
      '       .reshape(v["shape"]).view("<u4").tolist() for k, v in h.items()}',
      'print(json.dumps({"aligned": (8 + n) % 8 == 0, "meta": meta, "out": out}))',
    ].join('\n');
    const W = Float32Array.of(0.5, -1, 2, Number.NaN, -0, Number.POSITIVE_INFINITY);
    const input = encodeSafetensors(
      { W1: { shape: [2, 3], data: W }, b1: { shape: [1], data: Float32Array.of(7) } },
      { epoch: '3' },
    );
    const run = spawnSync('python3', ['-c', script], { input, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      aligned: true,
      meta: { epoch: '3' },
      out: { W1: [bits(W.subarray(0, 3)), bits(W.subarray(3))], b1: [bits(Float32Array.of(7))[0]] },
    });
  });
});

describe('safetensors at the edges of its checks', () => {
  it('is a SafetensorsError by name too', () => {
    try {
      decodeSafetensors(new Uint8Array(1));
    } catch (err) {
      expect((err as Error).name).toBe('SafetensorsError');
    }
    expect.assertions(1);
  });

  it('says the span of offsets that do not start at 0', () => {
    const header = '{"W1":{"dtype":"F32","shape":[2,3],"data_offsets":[8,28]}}';
    expectRejected(
      file(header, new Uint8Array(28)),
      'tensor "W1": shape [2, 3] needs 24 bytes, data_offsets [8, 28] span 20',
    );
  });

  it('counts a shape with a 0 as empty, however large its other dims', () => {
    const header =
      '{"E":{"dtype":"F32","shape":[1099511627776,1099511627776,0],"data_offsets":[0,0]}}';
    const { tensors } = decodeSafetensors(file(header));
    expect(tensors.E!.shape).toEqual([2 ** 40, 2 ** 40, 0]);
    expect(tensors.E!.data.length).toBe(0);
  });

  it('says a shape past the safe integers needs Infinity bytes, and one just inside needs its count', () => {
    expectRejected(
      file(
        '{"W":{"dtype":"F32","shape":[1073741824,1073741824,1073741824],"data_offsets":[0,4]}}',
        new Uint8Array(4),
      ),
      'tensor "W": shape [1073741824, 1073741824, 1073741824] needs Infinity bytes',
    );
    expectRejected(
      file(
        '{"W":{"dtype":"F32","shape":[9007199254740991],"data_offsets":[0,4]}}',
        new Uint8Array(4),
      ),
      `needs ${9007199254740991 * 4} bytes`,
    );
  });

  it('shortens a long value in a message to 57 characters and an ellipsis', () => {
    const long = 'x'.repeat(100);
    expectRejected(
      file(`{"W":{"dtype":"${long}","shape":[1],"data_offsets":[0,4]}}`, new Uint8Array(4)),
      `dtype "${'x'.repeat(56)}... is not supported`,
    );
    expectRejected(
      file(
        `{"W":{"dtype":"${'y'.repeat(58)}","shape":[1],"data_offsets":[0,4]}}`,
        new Uint8Array(4),
      ),
      `dtype "${'y'.repeat(58)}" is not supported`,
    );
  });

  it('takes a header of exactly the 100 MB limit as far as the file size check', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 100_000_000n, true);
    expectRejected(
      bytes,
      'header length 100000000 needs a file of at least 100000008 bytes, got 16',
    );
  });

  it('refuses metadata values that are not strings when writing', () => {
    expect(() => encodeSafetensors({}, { epochs: 3 as unknown as string })).toThrow(
      new TypeError('encodeSafetensors: metadata "epochs" must be a string, got number'),
    );
  });
});
