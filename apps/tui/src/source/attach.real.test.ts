/**
 * Attach mode against the REAL API: `@mnist/api`'s dist/server.js in a child process on a free
 * port, training small jobs on the real MNIST. Jobs are created with the typed client. Generous
 * timeouts: nothing here depends on the machine's speed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiClient, type paths } from '@mnist/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerLine } from '../components/Header.js';
import { themeFor } from '../render/color.js';
import { type Action, reduce } from '../state/reducer.js';
import { type DashboardState, initialState } from '../state/state.js';
import { startFakeApi } from '../test-support/fake-api.js';
import { AttachSource } from './attach.js';

type TrainConfigInput = NonNullable<
  NonNullable<
    paths['/v1/trainings']['post']['requestBody']
  >['content']['application/json']['config']
>;

const TOKEN = 'real-api-test-token';
/** About a second of training: 2,000 images, 2 epochs. */
const SMALL: TrainConfigInput = { preset: 'fast', limit: 2000, epochs: 2 };
/** A few seconds (150 full-batch iterations, plain TypeScript kernel): several progress events. */
const FEW_SECONDS: TrainConfigInput = {
  preset: 'fast',
  batchSize: 'full',
  limit: 2000,
  iterations: 150,
  kernel: 'js',
  evalEvery: 50,
};
/** Tens of seconds (full batch, plain TypeScript kernel): time to pause, steer and cancel it. */
const SLOW: TrainConfigInput = {
  preset: 'fast',
  batchSize: 'full',
  limit: 2000,
  iterations: 3000,
  kernel: 'js',
  evalEvery: 1_000_000,
};
/** A well-formed job id that no job has. */
const MISSING = 'job_00000000000000000000';
const SERVER_JS = join(createRequire(import.meta.url).resolve('@mnist/api'), '..', 'server.js');

const until = async (what: string, cond: () => boolean, ms = 90_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
}

/** `mnist-api` on a free port over a fresh data directory; resolves once it listens. */
async function spawnServer(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-tui-real-'));
  const args = ['--port', '0', '--data-dir', dir, '--token', TOKEN, '--no-default-model'];
  const child = spawn(
    process.execPath,
    [SERVER_JS, ...args, '--train-threads', '1', '--no-request-log'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
  return {
    child,
    url,
    dir,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A job created through the typed client; its URL. */
async function createJob(server: Server, config: TrainConfigInput): Promise<string> {
  const api = createApiClient(server.url, { token: TOKEN });
  const { data, error } = await api.POST('/v1/trainings', { body: { config } });
  if (!data) throw new Error(`POST /v1/trainings: ${JSON.stringify(error)}`);
  return `${server.url}/v1/trainings/${data.id}`;
}

/** A source attached to `url`, its store and every action it dispatched. */
function attach(url: string, token?: string) {
  const actions: Action[] = [];
  let state: DashboardState = initialState('connecting');
  const source = new AttachSource({ url, retryMs: 50, ...(token ? { token } : {}) });
  source.start((a) => {
    actions.push(a);
    state = reduce(state, a);
  });
  return { source, actions, state: () => state };
}

let server: Server;
const sources: AttachSource[] = [];
beforeAll(async () => {
  server = await spawnServer();
}, 60_000);
afterAll(async () => {
  for (const s of sources) await s.close();
  await server?.stop();
}, 60_000);

describe('attach mode against the real API', () => {
  it('follows a job to the end: the same evaluations as the API stores, weights, config', async () => {
    const url = await createJob(server, SMALL);
    const a = attach(url);
    sources.push(a.source);
    await until('the job to finish', () => a.state().status === 'done');
    const id = url.split('/').at(-1)!;
    const api = createApiClient(server.url);
    const { data: job } = await api.GET('/v1/trainings/{id}', { params: { path: { id } } });
    const { data: metrics } = await api.GET('/v1/trainings/{id}/metrics', {
      params: { path: { id } },
    });
    const s = a.state();
    expect(s.config).toMatchObject({ preset: 'fast', hidden: job!.config.hidden, epochs: 2 });
    expect(s.testAccuracy.map((p) => p.y)).toEqual(
      metrics!.evaluations.map((e) => e.test.accuracy),
    );
    expect(s.weights?.W1).toHaveLength(job!.config.hidden * 784);
    expect(s.error).toBeNull();
  }, 120_000);

  it('backfills a finished job from its history: the whole curve, not one point', async () => {
    const url = await createJob(server, FEW_SECONDS);
    const first = attach(url);
    sources.push(first.source);
    await until('the job to finish', () => first.state().status === 'done', 200_000);
    const later = attach(url);
    sources.push(later.source);
    await until('the finished job', () => later.state().status === 'done');
    const id = url.split('/').at(-1)!;
    const api = createApiClient(server.url);
    const params = { params: { path: { id } } };
    const { data: history } = await api.GET('/v1/trainings/{id}/history', params);
    const { data: metrics } = await api.GET('/v1/trainings/{id}/metrics', params);
    const steps = history!.events.filter((e) => e.type === 'progress').map((e) => e.step);
    expect(steps.length).toBeGreaterThan(1);
    expect(later.state().loss.map((p) => p.x)).toEqual(steps);
    expect(later.state().testAccuracy.map((p) => p.y)).toEqual(
      metrics!.evaluations.map((e) => e.test.accuracy),
    );
    expect(later.state().weights).not.toBeNull();
  }, 240_000);

  it('pauses, steers α and cancels a running job through the API', async () => {
    const url = await createJob(server, SLOW);
    const a = attach(url, TOKEN);
    sources.push(a.source);
    await until('progress', () => (a.state().progress?.step ?? 0) > 0);
    await a.source.setLearningRate(0.05);
    await until('α 0.05', () => a.state().baseRate === 0.05);
    await a.source.pause();
    await until('paused', () => a.state().status === 'paused');
    await a.source.stop();
    await until('cancelled', () => a.state().status === 'cancelled');
    expect(a.state().control.allowed).toBe(true);
  }, 120_000);

  it('turns the keys read-only on a wrong token, with the same reason as the fake', async () => {
    const url = await createJob(server, SLOW);
    const real = attach(url, 'wrong-token');
    sources.push(real.source);
    await until('the snapshot', () => real.state().config !== null);
    await real.source.pause();
    const fake = await startFakeApi('job1', {});
    try {
      fake.controlStatus = 401;
      const f = attach(fake.url, 'wrong-token');
      sources.push(f.source);
      await f.source.pause();
      expect(real.state().control).toEqual({
        allowed: false,
        reason: 'the server refused control (401: the bearer token is not valid for this server)',
      });
      expect(f.state().control).toEqual(real.state().control);
    } finally {
      await fake.close();
      await createApiClient(server.url, { token: TOKEN }).POST('/v1/trainings/{id}/cancel', {
        params: { path: { id: url.split('/').at(-1)! } },
      });
    }
  }, 120_000);

  it('the fake answers a missing job with the same problem+json as the API', async () => {
    const fake = await startFakeApi('job1', {});
    try {
      fake.history = [];
      const base = fake.url.replace(/\/v1\/trainings\/job1$/, '');
      for (const tail of ['events', 'weights', 'history']) {
        const path = `/v1/trainings/${MISSING}/${tail}`;
        const [r, f] = await Promise.all([fetch(server.url + path), fetch(base + path)]);
        expect(f.status).toBe(r.status);
        expect(f.headers.get('content-type')).toBe(r.headers.get('content-type'));
        const { requestId, ...body } = (await r.json()) as Record<string, unknown>;
        expect(typeof requestId).toBe('string');
        expect(await f.json()).toEqual(body);
      }
      const real = attach(`${server.url}/v1/trainings/${MISSING}`);
      const pretend = attach(`${base}/v1/trainings/${MISSING}`);
      sources.push(real.source, pretend.source);
      await until('failed', () => real.state().status === 'failed');
      await until('failed', () => pretend.state().status === 'failed');
      expect(real.state().error).toBe(
        `no training job ${MISSING} at ${server.url} (404: no training job ${MISSING})`,
      );
      expect(pretend.state().error).toBe(real.state().error!.replace(server.url, base));
    } finally {
      await fake.close();
    }
  }, 60_000);
});

describe('attach mode when the real server dies', () => {
  it('puts the store in the disconnected state: the header no longer says RUNNING', async () => {
    const doomed = await spawnServer();
    try {
      const a = attach(await createJob(doomed, SLOW));
      sources.push(a.source);
      await until('progress', () => (a.state().progress?.step ?? 0) > 0);
      const theme = themeFor('none');
      expect(headerLine(a.state(), 'x', 120, theme)).toContain('RUNNING');
      doomed.child.kill('SIGKILL');
      await until('disconnected', () => a.state().status === 'disconnected');
      const header = headerLine(a.state(), 'x', 120, theme);
      expect(header).not.toContain('RUNNING');
      expect(header).toContain('DISCONNECTED');
      expect(a.state().notice?.tone).toBe('bad');
    } finally {
      await doomed.stop();
    }
  }, 120_000);
});
