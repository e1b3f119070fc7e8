/**
 * apps/api's server as the API load task drives it: whether it exists, starting it on 127.0.0.1
 * (a free port, a scratch data folder, no default model) in its own process, requests, and
 * uploading the weights to serve, with a check of the served model's accuracy.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type Model, modelToBytes, paramsOf } from '@mnist/net';
import { trackChild } from './child.js';
import type { PrepareOutput } from './protocol.js';
import type { Context } from './run-peer.js';
import { benchModel, readWeights } from './weights.js';

/** Whether apps/api can be started, and if not, what is missing. */
export function apiAvailability(repoRoot: string): {
  readonly available: boolean;
  readonly reason: string;
} {
  const dir = join(repoRoot, 'apps/api');
  const missing: string[] = [];
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    if (!pkg.scripts?.serve) missing.push('no `serve` script in apps/api/package.json');
  } catch {
    missing.push('no apps/api/package.json');
  }
  if (!existsSync(join(dir, 'src/server.ts'))) missing.push('no apps/api/src/server.ts');
  else if (!existsSync(join(dir, 'dist/server.js')))
    missing.push('apps/api/dist/server.js not built (pnpm --filter @mnist/api build)');
  return missing.length === 0
    ? { available: true, reason: 'apps/api provides a server' }
    : { available: false, reason: `api not available: ${missing.join('; ')}` };
}

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server process, with the tail of its output for error messages. */
export interface Server {
  readonly base: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts apps/api's built server on a free loopback port, in a process of its own, with its data
 * in `scratch`/api and `extra` flags after the usual ones.
 */
export async function startApi(
  ctx: Pick<Context, 'repoRoot' | 'scratch' | 'dataDir'>,
  extra: readonly string[] = [],
): Promise<Server> {
  const port = await freePort();
  const dir = join(ctx.repoRoot, 'apps/api');
  const args = [
    join(dir, 'dist/server.js'),
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--data-dir',
    join(ctx.scratch, 'api'),
  ];
  args.push(
    '--mnist-dir',
    ctx.dataDir,
    '--no-default-model',
    '--no-request-log',
    '--log-level',
    'warn',
    ...extra,
  );
  const child = spawn(process.execPath, args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  trackChild(child.pid, child);
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    output: () => out.trim().split('\n').slice(-3).join(' | '),
    stop,
  };
}

/** Polls `path` until it answers 200. */
export async function waitFor(server: Server, path: string, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null)
      throw new Error(`the server exited (${server.child.exitCode}): ${server.output()}`);
    try {
      if ((await fetch(server.base + path)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > until)
      throw new Error(
        `${path} did not answer 200 within ${timeoutMs / 1000} s: ${server.output()}`,
      );
    await sleep(200);
  }
}

export async function request(
  server: Server,
  method: string,
  path: string,
  body?: string | Blob,
  type = 'application/json',
): Promise<unknown> {
  const res = await fetch(server.base + path, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': type } }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text === '' ? null : JSON.parse(text);
}

/** Uploads `model` to the server as `name`; returns the name. */
export async function uploadModel(server: Server, model: Model, name = 'bench'): Promise<string> {
  const bytes = new Blob([new Uint8Array(modelToBytes(model))]);
  await request(server, 'POST', `/v1/models?name=${name}`, bytes, 'application/octet-stream');
  return name;
}

/** The weights of the inference task, to upload: the model every peer predicts with. */
export const inferenceModel = (prep: PrepareOutput): Model =>
  benchModel(paramsOf(readWeights(prep.weights, prep.hidden)), prep.accuracy);

/** The server's accuracy over the 10,000 test images, asked 1,000 images per request. */
export async function serverAccuracy(
  server: Server,
  model: string,
  test: { images: Uint8Array; labels: Uint8Array; count: number },
): Promise<number> {
  let correct = 0;
  for (let from = 0; from < test.count; from += 1000) {
    const n = Math.min(1000, test.count - from);
    const data = Array.from(test.images.subarray(from * 784, (from + n) * 784));
    const body = JSON.stringify({
      inputs: [{ name: 'input', shape: [n, 784], datatype: 'UINT8', data }],
    });
    const res = (await request(server, 'POST', `/v2/models/${model}/infer`, body)) as {
      outputs: { name: string; data: number[] }[];
    };
    const labels = res.outputs.find((o) => o.name === 'labels')?.data ?? [];
    for (let j = 0; j < n; j++) if (labels[j] === test.labels[from + j]) correct++;
  }
  return correct / test.count;
}
