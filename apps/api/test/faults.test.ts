/**
 * The server under faults, as a process: one owner per data folder, a port in use, SIGTERM, and
 * SIGKILL mid-job followed by a restart (the built `dist/server.js` in child processes).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonOf, readSse, SLOW, TINY, tempDir, waitFor } from './helpers.js';
import { type ServerProcess, spawnServer } from './process.js';

const TOKEN = 'faults-test';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', body: JSON.stringify(body), headers: auth });
const jobOf = async (url: string, id: string) => jsonOf(fetch(`${url}/v1/trainings/${id}`));
const server = (dir: string, ...more: string[]) =>
  spawnServer(['--port', '0', '--data-dir', dir, '--token', TOKEN, ...more]);
const stop = async (p: ServerProcess) => {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
};

describe('one server per data folder', () => {
  const dir = tempDir();
  const other = tempDir();
  let a: ServerProcess;
  afterAll(async () => {
    if (a) await stop(a);
    dir.remove();
    other.remove();
  });

  it('a second server on the same folder exits with one line and code 75, changing nothing', async () => {
    a = await server(dir.path, '--max-jobs', '1');
    expect(a.url).not.toBeNull();
    const running = await jsonOf(post(`${a.url}/v1/trainings`, { config: SLOW }));
    const queued = await jsonOf(post(`${a.url}/v1/trainings`, { config: TINY }));
    await waitFor(async () =>
      (await jobOf(a.url!, running.id)).status === 'running' ? true : undefined,
    );
    const owner = readFileSync(join(dir.path, 'mnist-api.owner.json'), 'utf8');
    const port = Number(new URL(a.url!).port);
    expect(JSON.parse(owner)).toMatchObject({ pid: a.child.pid, port });

    const b = await server(dir.path);
    expect(b.url).toBeNull();
    expect(await b.exited).toBe(75);
    const lines = b.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^mnist-api: the data folder .+ is in use by another mnist-api \\(pid ${a.child.pid} on .+, port ${port}, since .+\\); stop that server, or pass --data-dir <another folder>$`,
      ),
    );

    // The first server's jobs, files and lock are as they were.
    expect(await jobOf(a.url!, running.id)).toMatchObject({ status: 'running', error: null });
    expect(await jobOf(a.url!, queued.id)).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(readFileSync(join(dir.path, 'mnist-api.owner.json'), 'utf8')).toBe(owner);
    expect((await fetch(`${a.url}/v2/health/live`)).status).toBe(200);
  }, 60_000);

  it('a port in use ends start-up with one line naming the port and the way out, code 1', async () => {
    const port = new URL(a.url!).port;
    const c = await spawnServer(['--port', port, '--data-dir', other.path]);
    expect(c.url).toBeNull();
    expect(await c.exited).toBe(1);
    expect(c.stderr().trimEnd().split('\n')).toEqual([
      `mnist-api: port ${port} on 127.0.0.1 is already in use (another server?); stop it, or pass --port <n> (MNIST_API_PORT; 0 picks a free port)`,
    ]);
    // It left the other folder free: a server starts there at once.
    const d = await server(other.path);
    expect(d.url).not.toBeNull();
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
  }, 60_000);

  it('SIGTERM: the running job is recorded interrupted, its stream ends with that status, exit 0', async () => {
    const { jobs } = await jsonOf(fetch(`${a.url}/v1/trainings?status=running`));
    const id = jobs[0].id as string;
    const stream = fetch(`${a.url}/v1/trainings/${id}/events`).then((r) =>
      readSse(r.body!, () => false, 30_000),
    );
    await new Promise((r) => setTimeout(r, 200));
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    const read = await stream;
    expect(read.ended).toBe(true);
    expect(JSON.parse(read.messages.at(-1)!.data)).toEqual({
      type: 'status',
      status: 'interrupted',
    });
    const db = new Database(join(dir.path, 'mnist-api.db'), { readonly: true });
    const rows = db.prepare('SELECT id, status FROM jobs ORDER BY created_at').all();
    db.close();
    expect(rows).toEqual([
      { id, status: 'interrupted' },
      { id: expect.any(String), status: 'queued' }, // queued jobs wait for the next start
    ]);
    expect(existsSync(join(dir.path, 'mnist-api.owner.json'))).toBe(false);
  }, 60_000);
});

describe('SIGKILL mid-job, then restart', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('the new server takes the folder over; the job is interrupted with its last progress; nothing is torn', async () => {
    const a = await server(dir.path);
    const job = await jsonOf(post(`${a.url}/v1/trainings`, { config: SLOW }));
    const seen = await readSse(
      (await fetch(`${a.url}/v1/trainings/${job.id}/events`)).body!,
      (ms) => ms.filter((m) => m.event === 'progress').length >= 4,
      30_000,
    );
    a.child.kill('SIGKILL');
    expect(await a.exited).toBeNull();
    const lastSeen = JSON.parse(seen.messages.filter((m) => m.event === 'progress').at(-1)!.data);

    const b = await server(dir.path);
    try {
      expect(b.url).not.toBeNull();
      expect(b.output()).toContain('took over the data folder from a server that ended');
      const db = new Database(join(dir.path, 'mnist-api.db'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      expect(readdirSync(join(dir.path, 'models')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const after = await jobOf(b.url!, job.id);
      expect(after.status).toBe('interrupted');
      // Progress is stored before each event is streamed: never older than what a client saw.
      expect(after.progress.step).toBeGreaterThanOrEqual(lastSeen.step);
      const history = await jsonOf(fetch(`${b.url}/v1/trainings/${job.id}/history`));
      expect(history.events.at(-1)).toEqual({ type: 'status', status: 'interrupted' });
      expect(
        history.events.filter((e: { type: string }) => e.type === 'progress').at(-1).step,
      ).toBeGreaterThanOrEqual(lastSeen.step);
      expect(JSON.parse(readFileSync(join(dir.path, 'mnist-api.owner.json'), 'utf8')).pid).toBe(
        b.child.pid,
      );
    } finally {
      b.child.kill('SIGTERM');
      expect(await b.exited).toBe(0);
    }
  }, 90_000);
});
