import { modelFromBytes } from '@mnist/net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonInit,
  jsonOf,
  readSse,
  SLOW,
  type SseMessage,
  TINY,
  testApp,
  waitFor,
} from '../../test/helpers.js';
import { openDatabase } from '../db/database.js';
import { JobTable } from '../db/jobs.js';
import { configFrom } from './trainings.js';

const TOKEN = 'tok';
const auth = { authorization: `Bearer ${TOKEN}` };
let api: ReturnType<typeof testApp>;
beforeAll(() => {
  api = testApp({ token: TOKEN, maxJobs: 1 });
});
afterAll(() => api.done());

const start = (body: unknown, headers: Record<string, string> = auth) =>
  api.app.request('/v1/trainings', jsonInit('POST', body, headers));
const job = async (id: string) => jsonOf(api.app.request(`/v1/trainings/${id}`));
const control = (
  id: string,
  action: string,
  body?: unknown,
  headers: Record<string, string> = auth,
) =>
  api.app.request(
    `/v1/trainings/${id}/${action}`,
    body === undefined ? { method: 'POST', headers } : jsonInit('POST', body, headers),
  );
const untilStatus = (id: string, ...statuses: string[]) =>
  waitFor(async () => ((j) => (statuses.includes(j.status) ? j : undefined))(await job(id)));
const data = (m: SseMessage) => JSON.parse(m.data) as Record<string, unknown>;

describe('a training job from start to model', () => {
  let id: string;
  let events: SseMessage[];

  it('starts with 202, the job and its location', async () => {
    const res = await start({ name: 'tiny', config: TINY });
    expect(res.status).toBe(202);
    const body = await jsonOf(res);
    id = body.id;
    expect(res.headers.get('location')).toBe(`/v1/trainings/${id}`);
    expect(body).toMatchObject({
      status: expect.stringMatching(/^(queued|running)$/),
      modelName: 'tiny',
      config: { preset: 'fast', limit: 1000, epochs: 1, hidden: 10, optimizer: 'adam', threads: 1 },
      modelId: null,
      links: {
        self: `/v1/trainings/${id}`,
        events: `/v1/trainings/${id}/events`,
        metrics: `/v1/trainings/${id}/metrics`,
        model: null,
      },
    });
  });

  it('streams a snapshot, then typed events with increasing ids, to a final done and status', async () => {
    const res = await api.app.request(`/v1/trainings/${id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const read = await readSse(res.body!);
    expect(read.ended).toBe(true);
    events = read.messages;
    const first = events[0]!;
    expect(first.event).toBe('snapshot');
    expect(data(first).job).toMatchObject({ id, config: { limit: 1000 } });
    const ids = events.map((m) => Number(m.id));
    expect(ids.every((v, i) => i === 0 || v > ids[i - 1]!)).toBe(true);
    const names = events.map((m) => m.event);
    expect(names).toContain('evaluation');
    expect(names.slice(-2)).toEqual(['done', 'status']);
    const done = data(events.at(-2)!);
    expect(done).toMatchObject({
      type: 'done',
      result: { reason: 'completed', config: { limit: 1000 } },
    });
    expect(data(events.at(-1)!)).toMatchObject({
      type: 'status',
      status: 'completed',
      modelId: expect.stringMatching(/^mdl_/),
    });
    const evaluation = data(events.find((m) => m.event === 'evaluation')!);
    expect(evaluation).toMatchObject({ type: 'evaluation', epoch: 1 });
    expect(evaluation.params).toBeUndefined(); // weights are fetched on demand
  });

  it('keeps every event in the history, as the SSE data, without weights', async () => {
    const res = await api.app.request(`/v1/trainings/${id}/history`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await jsonOf(res);
    const streamed = events.filter((m) => m.event !== 'snapshot');
    // The statuses before the stream opened, then every streamed event (nothing was thinned:
    // far fewer than 1000 progress events), in order.
    expect(body.events.slice(0, 2)).toEqual([
      { type: 'status', status: 'queued' },
      { type: 'status', status: 'running' },
    ]);
    expect(body.events.slice(-streamed.length)).toEqual(streamed.map((m) => JSON.parse(m.data)));
    expect(body.lastEventId).toBe(streamed.at(-1)!.id);
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['status', 'start', 'progress', 'evaluation', 'done']),
    );
    expect(JSON.stringify(body)).not.toContain('"params"');
    const none = await api.app.request('/v1/trainings/job_00000000000000000000/history');
    expect(none.status).toBe(404);
  });

  it("serves the job's weights as safetensors with an ETag, 304 on If-None-Match", async () => {
    const res = await api.app.request(`/v1/trainings/${id}/weights`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"job_[0-9a-z]{20}\.1"$/);
    const model = modelFromBytes(new Uint8Array(await res.arrayBuffer()), 'snapshot');
    expect(model.meta.hidden).toBe(10);
    expect(model.meta.config).toMatchObject({ limit: 1000 });
    const again = await api.app.request(`/v1/trainings/${id}/weights`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('registers the model with its job, hyperparameters and accuracy', async () => {
    const j = await job(id);
    expect(j).toMatchObject({
      status: 'completed',
      result: { reason: 'completed', epoch: 1 },
      error: null,
    });
    expect(j.finishedAt).toEqual(expect.any(String));
    const model = await jsonOf(api.app.request(j.links.model));
    expect(model).toMatchObject({
      id: j.modelId,
      name: 'tiny',
      version: 1,
      source: 'training',
      jobId: id,
      config: { limit: 1000 },
    });
    expect(model.testAccuracy).toBeGreaterThan(0.1);
    const metrics = await jsonOf(api.app.request(`/v1/trainings/${id}/metrics`));
    expect(metrics.evaluations).toHaveLength(1);
    expect(metrics.evaluations[0]).toMatchObject({
      epoch: 1,
      test: { accuracy: model.testAccuracy },
    });
  });

  it('resumes after Last-Event-ID with only the events that followed', async () => {
    const cut = events[2]!;
    const res = await api.app.request(`/v1/trainings/${id}/events`, {
      headers: { 'last-event-id': cut.id! },
    });
    const read = await readSse(res.body!);
    expect(read.messages.map((m) => m.id)).toEqual(
      events
        .slice(3)
        .filter(
          (m) =>
            m.event !== 'progress' || m === events.filter((e) => e.event === 'progress').at(-1),
        )
        .map((m) => m.id),
    );
    expect(read.messages[0]!.event).not.toBe('snapshot');
  });

  it('a finished job streams a snapshot holding the final event, then ends', async () => {
    const read = await readSse((await api.app.request(`/v1/trainings/${id}/events`)).body!);
    expect(read.ended).toBe(true);
    expect(read.messages.map((m) => m.event)).toEqual(['snapshot']);
    const snap = data(read.messages[0]!) as { job: { status: string }; events: { type: string }[] };
    expect(snap.job.status).toBe('completed');
    expect(snap.events.map((e) => e.type)).toEqual(['start', 'progress', 'evaluation', 'done']);
  });

  it('lists jobs, newest first, by status', async () => {
    const list = await jsonOf(api.app.request('/v1/trainings?status=completed'));
    expect(list.jobs.map((j: { id: string }) => j.id)).toContain(id);
    const bad = await api.app.request('/v1/trainings?status=done');
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors[0]).toMatchObject({
      field: 'status',
      in: 'query',
      got: '"done"',
    });
  });
});

describe('control', () => {
  it('queues, pauses, resumes, changes the rate and cancels; a cancelled job registers nothing', async () => {
    const models = api.registry.size();
    const slow = (await jsonOf(start({ config: SLOW }))).id as string;
    const queued = await jsonOf(start({ config: TINY }));
    expect(queued).toMatchObject({ status: 'queued', queuePosition: 1 });
    await untilStatus(slow, 'running');

    const paused = await control(slow, 'pause');
    expect(paused.status).toBe(200);
    expect((await jsonOf(paused)).status).toBe('paused');
    expect((await control(slow, 'pause')).status).toBe(200); // already paused

    const rate = await control(slow, 'learning-rate', { learningRate: 0.05 });
    expect(rate.status).toBe(202); // applied when it resumes

    const resumed = await control(slow, 'resume');
    expect(resumed.status).toBe(200);
    expect((await jsonOf(resumed)).status).toBe('running');
    // The run applies the pending rate at its next step.
    const applied = await readSse(
      (await api.app.request(`/v1/trainings/${slow}/events`, { headers: { 'last-event-id': '1' } }))
        .body!,
      (ms) => ms.some((m) => m.event === 'learning-rate'),
    );
    expect(
      applied.messages.filter((m) => m.event === 'learning-rate').map((m) => data(m).learningRate),
    ).toEqual([0.05]);
    expect((await control(slow, 'learning-rate', { learningRate: 0.01 })).status).toBe(200);

    const cancelledQueued = await control(queued.id, 'cancel');
    expect(cancelledQueued.status).toBe(200);
    expect((await jsonOf(cancelledQueued)).status).toBe('cancelled');

    const stream = Promise.resolve(api.app.request(`/v1/trainings/${slow}/events`)).then((r) =>
      readSse(r.body!),
    );
    const cancelled = await control(slow, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(await jsonOf(cancelled)).toMatchObject({
      status: 'cancelled',
      modelId: null,
      result: { reason: 'stopped' },
    });
    const read = await stream;
    expect(read.ended).toBe(true);
    expect(read.messages.slice(-2).map((m) => m.event)).toEqual(['cancelled', 'status']);
    expect(data(read.messages.at(-1)!)).toEqual({ type: 'status', status: 'cancelled' });
    expect(api.registry.size()).toBe(models);

    const rates = (
      await readSse(
        (
          await api.app.request(`/v1/trainings/${slow}/events`, {
            headers: { 'last-event-id': '1' },
          })
        ).body!,
      )
    ).messages;
    expect(
      rates.filter((m) => m.event === 'learning-rate').map((m) => data(m).learningRate),
    ).toEqual([0.05, 0.01]);
    expect(rates.filter((m) => m.event === 'status').map((m) => data(m).status)).toEqual([
      'queued',
      'running',
      'paused',
      'running',
      'cancelled',
    ]);
  });

  it('409 for control that does not fit the state, naming the state', async () => {
    const done = (
      await Promise.resolve(api.app.request('/v1/trainings?status=completed')).then((r) =>
        jsonOf(r),
      )
    ).jobs[0].id;
    const res = await control(done, 'pause');
    expect(res.status).toBe(409);
    expect(await jsonOf(res)).toMatchObject({
      type: '/problems/conflict',
      error: `cannot pause job ${done}: it is completed (allowed when running)`,
      jobStatus: 'completed',
    });
    expect((await control(done, 'cancel')).status).toBe(409);
    expect((await control(done, 'learning-rate', { learningRate: 0.1 })).status).toBe(409);
  });

  it('repeating a transition to the state a job is in is 200 and changes nothing; others are 409', async () => {
    const cancelled = (await jsonOf(api.app.request('/v1/trainings?status=cancelled'))).jobs[0];
    const again = await control(cancelled.id, 'cancel');
    expect(again.status).toBe(200);
    expect(await jsonOf(again)).toMatchObject({
      status: 'cancelled',
      finishedAt: cancelled.finishedAt,
    });
    for (const action of ['pause', 'resume']) {
      const res = await control(cancelled.id, action);
      expect(res.status).toBe(409);
      expect((await jsonOf(res)).jobStatus).toBe('cancelled');
    }
  });

  it('404 for unknown jobs, 400 for malformed ids and rates', async () => {
    const missing = 'job_0000000000aaaaaaaaaa';
    for (const path of [
      `/v1/trainings/${missing}`,
      `/v1/trainings/${missing}/events`,
      `/v1/trainings/${missing}/metrics`,
    ]) {
      const res = await api.app.request(path);
      expect(res.status).toBe(404);
      expect((await jsonOf(res)).error).toBe(`no training job ${missing}`);
    }
    expect((await control(missing, 'pause')).status).toBe(404);
    expect((await api.app.request('/v1/trainings/..%2F..')).status).toBe(400);
    const bad = await control(missing, 'learning-rate', { learningRate: -1 });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors).toEqual([
      { field: 'learningRate', in: 'body', expected: 'a number in (0, 100]', got: '-1' },
    ]);
  });

  it('401 without a token and 401 invalid_token with a wrong one on every control route', async () => {
    const id = 'job_0000000000aaaaaaaaaa';
    for (const [path, body] of [
      ['/v1/trainings', { config: TINY }],
      [`/v1/trainings/${id}/pause`],
      [`/v1/trainings/${id}/resume`],
      [`/v1/trainings/${id}/cancel`],
      [`/v1/trainings/${id}/learning-rate`, { learningRate: 1 }],
    ] as const) {
      const init = (headers: Record<string, string>) =>
        body === undefined ? { method: 'POST', headers } : jsonInit('POST', body, headers);
      expect((await api.app.request(path, init({}))).status).toBe(401);
      const wrong = await api.app.request(path, init({ authorization: 'Bearer wrong' }));
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });
});

describe('validation of hyperparameters', () => {
  it.each([
    [{ config: { hidden: 0 } }, 'config.hidden', 'an integer in 1..4096', '0'],
    [{ config: { hidden: 'ten' } }, 'config.hidden', 'an integer in 1..4096', '"ten"'],
    [{ config: { learningRate: 0 } }, 'config.learningRate', 'a number in (0, 100]', '0'],
    [
      { config: { optimizer: 'rmsprop' } },
      'config.optimizer',
      'one of sgd, momentum, adam',
      '"rmsprop"',
    ],
    [
      { config: { batchSize: 'half' } },
      'config.batchSize',
      'an integer in 1..60000 or "full"',
      '"half"',
    ],
    [
      { config: { epochs: 1 } },
      'config.epochs',
      'no epochs for a full-batch run (batchSize "full"): give iterations, or a batchSize for mini-batches (the fast and wide presets)',
      '1',
    ],
    [
      { config: { batchSize: 'full', iterations: 0 } },
      'config.iterations',
      'an integer in 1..1000000',
      '0',
    ],
    [
      { config: { lr: 0.1 } },
      'config.lr',
      'one of preset, hidden, init, optimizer, learningRate, momentum, batchSize, iterations, epochs, schedule, seed, validation, patience, evalEvery, limit, kernel, threads',
      'unknown field "lr"',
    ],
    [
      { name: 'Bad Name' },
      'name',
      'a name of 1–63 lower-case letters, digits or dashes, starting with a letter or digit',
      '"Bad Name"',
    ],
    [{ config: [] }, 'config', 'an object', 'an array of 0'],
  ])('400 %#: %s', async (body, field, expected, got) => {
    const jobs = api.jobs.table.list({ limit: 1000 }).length;
    const res = await start(body);
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toMatchObject({
      type: '/problems/invalid-request',
      errors: [{ field, in: 'body', expected, got }],
      detail: `${field}: expected ${expected}, got ${got}`,
    });
    expect(api.jobs.table.list({ limit: 1000 })).toHaveLength(jobs);
  });

  it('the schema accepts what resolveConfig accepts', () => {
    expect(configFrom({}, 2)).toMatchObject({ preset: 'seed', threads: 2 });
    expect(configFrom({ preset: 'wide', threads: 0 }, 2)).toMatchObject({
      hidden: 128,
      threads: 0,
    });
  });
});

describe('restart', () => {
  it('marks jobs that were running interrupted and runs queued ones again', async () => {
    const first = testApp();
    const dir = first.dir;
    await first.close();
    const db = openDatabase(`${dir}/mnist-api.db`);
    const t = new JobTable(db);
    const config = configFrom(TINY, 1);
    t.insert({
      id: 'job_0000000000running000',
      modelName: 'mnist',
      config,
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    t.update('job_0000000000running000', {
      status: 'running',
      startedAt: '2025-01-01T00:00:01.000Z',
    });
    t.insert({
      id: 'job_0000000000queued0000',
      modelName: 'mnist',
      config,
      createdAt: '2025-01-01T00:00:02.000Z',
    });
    db.close();
    const again = testApp({ dataDir: dir });
    try {
      expect(again.jobs.get('job_0000000000running000')).toMatchObject({
        status: 'interrupted',
        error: 'the server stopped while this job was running',
      });
      await waitFor(() =>
        again.jobs.get('job_0000000000queued0000')!.status === 'completed' ? true : undefined,
      );
      const snap = await readSse(
        (await again.app.request('/v1/trainings/job_0000000000running000/events')).body!,
      );
      expect(snap.ended).toBe(true);
      expect((data(snap.messages[0]!).job as { status: string }).status).toBe('interrupted');
    } finally {
      await again.done();
    }
  });

  it('shutdown interrupts a running job and ends its stream', async () => {
    const app = testApp();
    try {
      const id = (
        await jsonOf(app.app.request('/v1/trainings', jsonInit('POST', { config: SLOW })))
      ).id as string;
      await waitFor(() => (app.jobs.get(id)!.status === 'running' ? true : undefined));
      const stream = Promise.resolve(app.app.request(`/v1/trainings/${id}/events`)).then((r) =>
        readSse(r.body!),
      );
      await new Promise((r) => setTimeout(r, 50));
      await app.stop();
      const read = await stream;
      expect(read.ended).toBe(true);
      expect(data(read.messages.at(-1)!)).toEqual({ type: 'status', status: 'interrupted' });
      expect(app.jobs.get(id)).toMatchObject({
        status: 'interrupted',
        error: 'the server shut down while this job was running',
      });
      const refused = await app.app.request('/v1/trainings', jsonInit('POST', { config: TINY }));
      expect(refused.status).toBe(503);
    } finally {
      await app.done();
    }
  });
});
