import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleModel } from '../../test/models.js';
import { encodeSafetensors } from '../io/safetensors.js';
import { PARAM_NAMES } from '../network/params.js';
import {
  loadModel,
  MODEL_FORMAT,
  type Model,
  ModelFileError,
  modelFromBytes,
  modelToBytes,
  saveModel,
} from './model.js';
import { predict } from './predict.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mnist-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The tensors of a model as encodeSafetensors takes them, for hand-made broken files. */
function tensorsOf(model: Model) {
  return Object.fromEntries(
    PARAM_NAMES.map((n) => [n, { shape: [...model.params[n].shape], data: model.params[n].data }]),
  );
}

/** The ModelFileError thrown by `f`, failing the test when there is none. */
async function modelError(f: () => unknown): Promise<ModelFileError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return e as ModelFileError;
  }
  throw new Error('expected a ModelFileError, got none');
}

const images = Uint8Array.from(
  { length: 5 * 784 },
  (_, i) => ((i * 37) % 256) & (i % 3 === 0 ? 0 : 255),
);

describe('saveModel / loadModel', () => {
  it('round-trips: identical parameters (bit for bit), identical predictions, the metadata', async () => {
    const model = sampleModel(12, 3);
    const path = join(dir, 'nested', 'm.safetensors');
    await saveModel(path, model);
    const loaded = await loadModel(path);
    for (const n of PARAM_NAMES) {
      expect(loaded.params[n].shape).toEqual(model.params[n].shape);
      expect(
        Buffer.from(loaded.params[n].data.buffer).equals(Buffer.from(model.params[n].data.buffer)),
      ).toBe(true);
    }
    expect(loaded.meta).toEqual(model.meta);
    expect(predict(loaded.params, { uint8: images })).toEqual(
      predict(model.params, { uint8: images }),
    );
  });

  it('round-trips unknown numbers as null', async () => {
    const base = sampleModel(2, 1);
    const model: Model = {
      ...base,
      meta: {
        ...base.meta,
        trainAccuracy: null,
        testAccuracy: null,
        seed: null,
        dataChecksum: null,
      },
    };
    const path = join(dir, 'nulls.safetensors');
    await saveModel(path, model);
    expect((await loadModel(path)).meta).toEqual(model.meta);
  });

  it('round-trips the step count and every change of α (a steered run can be reproduced)', async () => {
    const base = sampleModel(3, 2);
    const model: Model = {
      ...base,
      meta: {
        ...base.meta,
        step: 1200,
        learningRateChanges: [
          { step: 300, from: 0.1, to: 0.125 },
          { step: 900, from: 0.125, to: 0.1 },
        ],
      },
    };
    const path = join(dir, 'steered.safetensors');
    await saveModel(path, model);
    const loaded = await loadModel(path);
    expect(loaded.meta).toEqual(model.meta);
    expect(loaded.meta.learningRateChanges?.[1]).toEqual({ step: 900, from: 0.125, to: 0.1 });
  });

  it('refuses learning-rate changes that are not a list of {step, from, to}', async () => {
    const model = sampleModel(2, 1);
    for (const bad of ['[{"step":1,"from":0.1}]', 'nope']) {
      const bytes = encodeSafetensors(tensorsOf(model), {
        format: MODEL_FORMAT,
        learning_rate_changes: bad,
      });
      const e = await modelError(() => modelFromBytes(bytes, 'bad.safetensors'));
      expect(e.message).toMatch(/^bad\.safetensors: metadata learning_rate_changes/);
    }
  });

  it('overwrites an existing file atomically (no temp files left behind)', async () => {
    const path = join(dir, 'twice.safetensors');
    await saveModel(path, sampleModel(3, 1));
    await saveModel(path, sampleModel(4, 2));
    expect((await loadModel(path)).meta.hidden).toBe(4);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing file: the message names the path', async () => {
    const path = join(dir, 'does-not-exist.safetensors');
    const e = await modelError(() => loadModel(path));
    expect(e.message).toBe(`${path}: no such file`);
    expect(e.source).toBe(path);
  });

  it('a directory is not a model: the message names it', async () => {
    const e = await modelError(() => loadModel(dir));
    expect(e.message).toContain(dir);
    expect(e.message).toMatch(/cannot read/);
  });

  it('a truncated file is refused, naming the file', async () => {
    const path = join(dir, 'cut.safetensors');
    const bytes = modelToBytes(sampleModel(3, 1));
    await writeFile(path, bytes.subarray(0, bytes.length - 10));
    const e = await modelError(() => loadModel(path));
    expect(e.message.startsWith(`${path}: `)).toBe(true);
    expect(e.message).toMatch(/trailing bytes|beyond|needs/);
  });
});

describe('modelFromBytes refuses what is not a model', () => {
  const model = sampleModel(10, 5);

  it('a missing tensor', async () => {
    const { b2: _b2, ...rest } = tensorsOf(model);
    const e = await modelError(() => modelFromBytes(encodeSafetensors(rest), 'x.safetensors'));
    expect(e.message).toBe('x.safetensors: missing tensor b2; a model has W1, b1, W2, b2');
  });

  it('an extra tensor', async () => {
    const extra = { ...tensorsOf(model), W3: { shape: [1], data: new Float32Array(1) } };
    const e = await modelError(() => modelFromBytes(encodeSafetensors(extra), 'x'));
    expect(e.message).toMatch(/unexpected tensors W3/);
  });

  it('W1 of shape [10, 783]: the message names W1 and both shapes', async () => {
    const t = { ...tensorsOf(model), W1: { shape: [10, 783], data: new Float32Array(10 * 783) } };
    const e = await modelError(() => modelFromBytes(encodeSafetensors(t), 'bad.safetensors'));
    expect(e.message).toMatch(/^bad\.safetensors: wrong shapes: /);
    expect(e.message).toContain('W1');
    expect(e.message).toContain('[h, 784]');
    expect(e.message).toContain('[10, 783]');
  });

  it('b2 of the wrong rank', async () => {
    const t = { ...tensorsOf(model), b2: { shape: [10], data: new Float32Array(10) } };
    const e = await modelError(() => modelFromBytes(encodeSafetensors(t), 'x'));
    expect(e.message).toMatch(/b2/);
    expect(e.message).toMatch(/\[10, 1\]/);
  });

  it('inconsistent H between W1 (10 rows) and W2 (12 columns)', async () => {
    const t = { ...tensorsOf(model), W2: { shape: [10, 12], data: new Float32Array(120) } };
    const e = await modelError(() => modelFromBytes(encodeSafetensors(t), 'x'));
    expect(e.message).toMatch(/W2/);
    expect(e.message).toMatch(/12/);
    expect(e.message).toMatch(/h = 10/);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('a weight that is %s, naming the tensor and the index', async (label, value) => {
    const W2 = model.params.W2.data.slice();
    W2[7] = value;
    const t = { ...tensorsOf(model), W2: { shape: [10, 10], data: W2 } };
    const e = await modelError(() => modelFromBytes(encodeSafetensors(t), 'x'));
    expect(e.message).toBe(`x: W2 has a non-finite value (${label}) at index 7`);
  });

  it('another format tag, and a config that is not JSON', async () => {
    const t = tensorsOf(model);
    const e1 = await modelError(() =>
      modelFromBytes(encodeSafetensors(t, { format: 'other/9' }), 'x'),
    );
    expect(e1.message).toBe(`x: metadata format is "other/9", expected ${MODEL_FORMAT}`);
    const e2 = await modelError(() =>
      modelFromBytes(encodeSafetensors(t, { config: '{oops' }), 'x'),
    );
    expect(e2.message).toBe('x: metadata config is not valid JSON');
  });

  it('bytes that are not safetensors at all', async () => {
    const e = await modelError(() =>
      modelFromBytes(new TextEncoder().encode('hello, world'), 'hello.txt'),
    );
    expect(e.message).toMatch(/^hello\.txt: /);
    expect(e.message).not.toMatch(/hello\.txt: hello\.txt/); // the source is named once
  });

  it('accepts a bare file (weights only, no metadata) with defaults', () => {
    const m = modelFromBytes(encodeSafetensors(tensorsOf(model)));
    expect(m.meta).toEqual({
      format: MODEL_FORMAT,
      hidden: 10,
      config: {},
      trainAccuracy: null,
      testAccuracy: null,
      seed: null,
      dataChecksum: null,
      createdAt: '',
    });
  });
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasNumpy)('the model file is plain safetensors that numpy can read', () => {
  it('python3: struct + json for the header, numpy.frombuffer for W1, b1, W2, b2', async () => {
    const model = sampleModel(7, 11);
    const path = join(dir, 'numpy.safetensors');
    await saveModel(path, model);
    const script = `
import json, struct, sys
import numpy as np
with open(sys.argv[1], 'rb') as f:
    raw = f.read()
(n,) = struct.unpack('<Q', raw[:8])
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
out = {'metadata': header.get('__metadata__', {})}
for name in ['W1', 'b1', 'W2', 'b2']:
    info = header[name]
    assert info['dtype'] == 'F32', info
    begin, end = info['data_offsets']
    a = np.frombuffer(data[begin:end], dtype='<f4').reshape(info['shape'])
    out[name] = {'shape': list(a.shape), 'sum': float(a.astype(np.float64).sum()),
                 'first': [float(v) for v in a.flatten()[:5]], 'bits': a.view('<u4').flatten()[:50].tolist()}
print(json.dumps(out))
`;
    const got = JSON.parse(
      execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }),
    ) as Record<string, { shape: number[]; sum: number; first: number[]; bits: number[] }> & {
      metadata: Record<string, string>;
    };
    for (const n of PARAM_NAMES) {
      const t = model.params[n];
      expect(got[n]!.shape).toEqual([...t.shape]);
      expect(got[n]!.first).toEqual(Array.from(t.data.subarray(0, 5)));
      expect(got[n]!.bits).toEqual(
        Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, Math.min(50, t.size))),
      );
      expect(got[n]!.sum).toBeCloseTo(
        Array.from(t.data).reduce((a, b) => a + b, 0),
        9,
      );
    }
    expect(got.metadata.format).toBe(MODEL_FORMAT);
    expect(got.metadata.hidden).toBe('7');
    expect(JSON.parse(got.metadata.config!)).toEqual(model.meta.config);
    // And the file on disk is exactly what modelToBytes gives.
    expect(Buffer.from(await readFile(path)).equals(Buffer.from(modelToBytes(model)))).toBe(true);
  });
});
