/**
 * The built `mnist-train` command (`node dist/cli/train.js`), spawned as a user would run it:
 * no TTY (pipes), so plain lines. Needs `pnpm --filter @mnist/net build` first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../data/mnist.js';
import { loadModel } from '../model/model.js';
import { predict } from '../model/predict.js';
import { TRAIN_FLAGS } from './flags.js';

const CLI = fileURLToPath(new URL('../../dist/cli/train.js', import.meta.url));
if (!existsSync(CLI))
  throw new Error(
    `cli/train.test: ${CLI} is missing; run \`pnpm --filter @mnist/net build\` first`,
  );

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `args` and no terminal; colour off as in a CI log. */
function cli(args: string[], cwd?: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.INIT_CWD; // paths resolve against the child's cwd, as for a user's shell
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: cwd ?? dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mnist-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const small = ['--preset', 'fast', '--limit', '1000', '--epochs', '1', '--hidden', '16'];

describe('mnist-train (spawned, no TTY)', () => {
  it('trains, prints plain lines (an epoch line, a saved line) and saves a loadable model', async () => {
    const out = join(dir, 'm.safetensors');
    const r = await cli([...small, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\r');
    expect(r.stdout).not.toContain('\x1b[');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Training the fast preset: 784→16→10, adam/);
    expect(lines).toContainEqual(expect.stringMatching(/^data: 1000 train, 10000 test/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^epoch +1 +loss \d+\.\d{4} +train \d+\.\d\d% +test \d+\.\d\d%/),
    );
    expect(lines.at(-2)).toMatch(
      /^done \(completed\) in .*: train \d+\.\d\d%, test \d+\.\d\d%, test loss \d\.\d{4}$/,
    );
    expect(lines.at(-1)).toBe('saved m.safetensors'); // relative to where the command ran

    const model = await loadModel(out);
    expect(model.params.W1.shape).toEqual([16, 784]);
    expect(model.meta.hidden).toBe(16);
    expect(model.meta.config).toMatchObject({ preset: 'fast', limit: 1000, epochs: 1, hidden: 16 });
    const printed = Number(/test (\d+\.\d\d)%, test loss/.exec(lines.at(-2)!)![1]);
    expect(model.meta.testAccuracy! * 100).toBeCloseTo(printed, 1);
  });

  it('--json: one parsable JSON object per line, from start to done, then saved', async () => {
    const out = join(dir, 'json', 'm.safetensors');
    const r = await cli([...small, '--json', '--out', out]);
    expect(r.code).toBe(0);
    const objects = r.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; [k: string]: unknown });
    const types = objects.map((o) => o.type);
    expect(types[0]).toBe('start');
    expect(types.at(-2)).toBe('done');
    expect(objects.at(-1)).toEqual({ type: 'saved', path: out });
    expect(types).toContain('evaluation');
    expect(objects.find((o) => o.type === 'evaluation')).not.toHaveProperty('params'); // weights are left out
    expect(objects.find((o) => o.type === 'done')).toMatchObject({
      result: { reason: 'completed', epoch: 1 },
    });
    expect(existsSync(out)).toBe(true);
  });

  it('--export-onnx FILE also writes the model as ONNX that onnxruntime-web runs, with our predictions', async () => {
    const out = join(dir, 'onnx', 'm.safetensors');
    const r = await cli([...small, '--out', out, '--export-onnx', 'onnx/m.onnx']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('exported onnx/m.onnx (ONNX, opset 13)');
    const model = await loadModel(out);
    const { test } = await loadMnist();
    const n = 50;
    const ours = predict(model.params, { uint8: test.images.subarray(0, n * 784) });
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(await readFile(join(dir, 'onnx', 'm.onnx')));
    const x = Float32Array.from(test.images.subarray(0, n * 784), (v) => v / 255);
    const got = await session.run({ input: new ort.Tensor('float32', x, [n, 784]) });
    await session.release();
    const probs = got.probabilities!.data as Float32Array;
    for (let i = 0; i < n * 10; i++) expect(probs[i]).toBeCloseTo(ours.probabilities[i]!, 4);
  }, 60_000);

  it('--export-onnx with an empty name exits 2', async () => {
    const r = await cli([...small, '--export-onnx=']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--export-onnx: expected a file name');
  });

  it('--help exits 0 and documents every training flag', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: /);
    for (const flag of Object.keys(TRAIN_FLAGS)) expect(r.stdout).toContain(`--${flag} `);
    for (const flag of ['--json', '--quiet', '--help']) expect(r.stdout).toContain(flag);
    expect((await cli(['-h'])).stdout).toBe(r.stdout);
  });

  it('--hidden abc exits 2 and names the flag on stderr', async () => {
    const r = await cli(['--hidden', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'mnist-train: --hidden: expected an integer in 1..4096, got "abc"\nRun with --help for the flags.\n',
    );
  });

  it('an unknown flag exits 2', async () => {
    const r = await cli(['--hiden', '12']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mnist-train: Unknown option '--hiden'/);
  });

  it('--data-dir /nonexistent exits 1 with a message naming the folder', async () => {
    const out = join(dir, 'never.safetensors');
    const r = await cli([...small, '--data-dir', '/nonexistent', '--out', out]);
    expect(r.code).toBe(1);
    // The four files are looked for at once: whichever is missed first is named.
    expect(r.stderr).toMatch(
      /^error: \/nonexistent: no MNIST file found, expected one of (train|t10k)-(images-idx3|labels-idx1)-ubyte,/m,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(existsSync(out)).toBe(false);
  });
});
