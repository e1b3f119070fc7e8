import { encodeSafetensors } from '@mnist/net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Action } from '../state/reducer.js';
import { reduce } from '../state/reducer.js';
import { type DashboardState, initialState } from '../state/state.js';
import { CONFIG, evaluation, progress, start, stripeWeights } from '../test-support/fake.js';
import { type FakeApi, startFakeApi } from '../test-support/fake-api.js';
import { AttachSource, AttachUrlError, parseJobUrl } from './attach.js';

const until = async (cond: () => boolean, ms = 3000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('parseJobUrl', () => {
  it('takes the base and the id from a job URL, with or without /events', () => {
    expect(parseJobUrl('http://localhost:3000/v1/trainings/7f3a')).toEqual({
      base: 'http://localhost:3000',
      id: '7f3a',
    });
    expect(parseJobUrl('https://h/api/v1/trainings/a%20b/events/')).toEqual({
      base: 'https://h/api',
      id: 'a b',
    });
  });
  it('refuses what is not a job URL, saying what it expected', () => {
    expect(() => parseJobUrl('localhost:3000')).toThrow(AttachUrlError);
    expect(() => parseJobUrl('http://h/v1/models/x')).toThrow(/ending in \/v1\/trainings\/ID/);
    expect(() => parseJobUrl('ftp://h/v1/trainings/x')).toThrow(/http or https/);
  });
});

describe('AttachSource', () => {
  let api: FakeApi | null = null;
  let source: AttachSource | null = null;
  afterEach(async () => {
    await source?.close();
    await api?.close();
    api = null;
    source = null;
  });

  const attach = async (snapshot: unknown, token?: string) => {
    api = await startFakeApi('job1', snapshot);
    const actions: Action[] = [];
    let state: DashboardState = initialState('connecting');
    source = new AttachSource({ url: api.url, retryMs: 20, ...(token ? { token } : {}) });
    source.start((a) => {
      actions.push(a);
      state = reduce(state, a);
    });
    return { actions, state: () => state };
  };

  it('replays the snapshot, then follows the event stream (JSON weights included)', async () => {
    const { state } = await attach({
      job: { id: 'job1', status: 'running', config: CONFIG },
      events: [start(), progress(10, 2)],
    });
    await until(() => state().progress?.step === 10);
    expect(state().status).toBe('running');
    expect(state().config).toEqual(CONFIG);
    const w = stripeWeights(2);
    api!.send('progress', progress(20, 1.5), '21');
    api!.send(
      'evaluation',
      {
        ...evaluation(20),
        params: {
          hidden: 2,
          W1: Array.from(w.W1),
          b1: [0, 0],
          W2: Array.from(w.W2),
          b2: Array(10).fill(0),
        },
      },
      '22',
    );
    await until(() => state().weights !== null);
    expect(state().loss.map((p) => p.y)).toEqual([2, 1.5]);
    expect(state().weights?.W1).toEqual(w.W1);
    api!.send('status', { status: 'paused' });
    await until(() => state().status === 'paused');
    api!.send('learning-rate', { type: 'learning-rate', learningRate: 0.05 });
    await until(() => state().baseRate === 0.05);
  });

  it('reconnects after the stream drops, sending Last-Event-ID', async () => {
    const { state } = await attach({ job: { status: 'running', config: CONFIG }, events: [] });
    await until(() => api!.lastEventIds.length === 1);
    api!.send('progress', progress(5, 1), '41');
    await until(() => state().progress?.step === 5);
    api!.drop();
    await until(() => api!.lastEventIds.length === 2);
    expect(api!.lastEventIds).toEqual([undefined, '41']);
  });

  it('stops following a job that ended', async () => {
    const { state } = await attach({ job: { status: 'running', config: CONFIG }, events: [] });
    await until(() => api!.lastEventIds.length === 1);
    api!.send('cancelled', {});
    await until(() => state().status === 'cancelled');
    api!.drop();
    await new Promise((r) => setTimeout(r, 100));
    expect(api!.lastEventIds).toHaveLength(1);
  });

  it('POSTs pause, resume, cancel and the learning rate, with the token', async () => {
    await attach({ job: { status: 'running', config: CONFIG }, events: [] }, 'sekret');
    await source!.pause();
    await source!.resume();
    await source!.setLearningRate(0.05);
    await source!.stop();
    expect(api!.posts).toEqual([
      { path: 'pause', body: undefined, auth: 'Bearer sekret' },
      { path: 'resume', body: undefined, auth: 'Bearer sekret' },
      { path: 'learning-rate', body: { learningRate: 0.05 }, auth: 'Bearer sekret' },
      { path: 'cancel', body: undefined, auth: 'Bearer sekret' },
    ]);
  });

  it('turns the keys read-only when the server refuses control', async () => {
    const { state } = await attach({ job: { status: 'running', config: CONFIG }, events: [] });
    api!.controlStatus = 401;
    await source!.pause();
    expect(state().control.allowed).toBe(false);
    expect(state().control.reason).toBe(
      'the server refused control (401: the bearer token is not valid for this server)',
    );
  });

  it('fails clearly for a job that does not exist', async () => {
    api = await startFakeApi('job1', {});
    let state = initialState('connecting');
    source = new AttachSource({ url: api.url.replace('job1', 'nope'), retryMs: 20 });
    source.start((a) => {
      state = reduce(state, a);
    });
    await until(() => state.status === 'failed');
    expect(state.error).toMatch(
      /^no training job nope at http:\/\/127\.0\.0\.1:\d+ \(404: no training job nope\)$/,
    );
  });

  it('backfills the history through the store before following live', async () => {
    api = await startFakeApi('job1', {
      job: { id: 'job1', status: 'running', config: CONFIG },
      events: [progress(30, 1.2)],
    });
    api.history = [start(), progress(10, 2), progress(20, 1.5), evaluation(20), progress(30, 1.2)];
    const seen: Action[] = [];
    let state = initialState('connecting');
    source = new AttachSource({ url: api.url, retryMs: 20 });
    source.start((a) => {
      seen.push(a);
      state = reduce(state, a);
    });
    await until(() => api!.lastEventIds.length === 1 && state.progress?.step === 30);
    // The stream continues from the history's last event id.
    expect(api.lastEventIds).toEqual(['5']);
    // The history came first, each step once although the snapshot repeats step 30.
    expect(seen.findIndex((a) => a.type === 'connection')).toBeGreaterThan(3);
    expect(state.loss.map((p) => p.x)).toEqual([10, 20, 30]);
    expect(state.testAccuracy.map((p) => p.x)).toEqual([20]);
    api.send('progress', progress(40, 1), '9');
    await until(() => state.progress?.step === 40);
    expect(state.loss.map((p) => p.y)).toEqual([2, 1.5, 1.2, 1]);
  });

  it('treats a 404 on /history as no backfill', async () => {
    const { state } = await attach({ job: { status: 'running', config: CONFIG }, events: [] });
    await until(() => api!.lastEventIds.length === 1);
    api!.send('progress', progress(5, 1), '1');
    await until(() => state().progress?.step === 5);
    expect(state().loss).toHaveLength(1);
    expect(state().error).toBeNull();
  });

  it('fetches the weights after each evaluation, with If-None-Match', async () => {
    const { state } = await attach({ job: { status: 'running', config: CONFIG }, events: [] });
    await until(() => api!.lastEventIds.length === 1);
    const w = stripeWeights(2);
    const file = (x: typeof w) =>
      encodeSafetensors(
        Object.fromEntries(
          (['W1', 'b1', 'W2', 'b2'] as const).map((k) => [
            k,
            { shape: k === 'W1' ? [2, 784] : k === 'W2' ? [10, 2] : [x[k].length, 1], data: x[k] },
          ]),
        ),
      );
    api!.weights = { bytes: file(w), etag: '"w1"' };
    api!.send('evaluation', evaluation(20), '1');
    await until(() => state().weights !== null);
    expect(state().weights?.W1).toEqual(w.W1);
    expect(state().weightsStep).toBe(20);
    api!.send('evaluation', evaluation(40), '2');
    await until(() => state().evaluation?.step === 40);
    expect(api!.weightRequests).toEqual([undefined, '"w1"']);
    expect(state().weightsStep).toBe(20); // 304: the same weights as before
  });

  it('turns disconnected when the server goes away, and live again when it is back', async () => {
    const { actions, state } = await attach({
      job: { status: 'running', config: CONFIG },
      events: [],
    });
    await until(() => api!.lastEventIds.length === 1);
    api!.send('progress', progress(5, 1), '3');
    await until(() => state().status === 'running');
    api!.drop();
    await until(() => api!.lastEventIds.length === 2);
    await until(() => state().status === 'running');
    let s = initialState('connecting');
    const statuses = actions.map((a) => {
      s = reduce(s, a);
      return s.status;
    });
    const lost = statuses.indexOf('disconnected');
    expect(lost).toBeGreaterThan(statuses.indexOf('running'));
    expect(statuses.slice(lost)).toContain('running');
  });
});
