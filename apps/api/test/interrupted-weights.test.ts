/**
 * A job the server interrupts (graceful shutdown) keeps its last weights snapshot in the data
 * folder: after a restart on the same folder, `GET /v1/trainings/{id}/weights` serves the very
 * bytes it served before. A snapshot that cannot be written (here: the snapshots folder replaced
 * by a file, as a full disk would fail it) never stops the shutdown, and leaves no file behind.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelFromBytes } from '@mnist/net';
import { describe, expect, it } from 'vitest';
import { jsonInit, jsonOf, tempDir, testApp, waitFor } from './helpers.js';

/** Tens of seconds of full-batch training on the js kernel, evaluated every 5 iterations. */
const EVALUATED = {
  preset: 'fast',
  batchSize: 'full',
  limit: 2000,
  iterations: 3000,
  kernel: 'js',
  evalEvery: 5,
} as const;

type App = ReturnType<typeof testApp>;

/** Starts an evaluated job and waits for its first snapshot; its id. */
async function runningWithSnapshot(app: App): Promise<string> {
  const job = await jsonOf(
    app.app.request('/v1/trainings', jsonInit('POST', { config: EVALUATED })),
  );
  const id = job.id as string;
  await waitFor(async () => {
    const r = await app.app.request(`/v1/trainings/${id}/weights`);
    await r.arrayBuffer();
    return r.status === 200 ? true : undefined;
  }, 120_000);
  return id;
}

async function weightsOf(app: App, id: string): Promise<{ status: number; bytes: Uint8Array }> {
  const r = await app.app.request(`/v1/trainings/${id}/weights`);
  return { status: r.status, bytes: new Uint8Array(await r.arrayBuffer()) };
}

describe('the last weights of an interrupted job', () => {
  it('are saved at shutdown and served after a restart on the same folder', async () => {
    const dir = tempDir();
    try {
      const first = testApp({ dataDir: dir.path });
      const id = await runningWithSnapshot(first);
      await first.stop();
      const before = await weightsOf(first, id); // the snapshot the shutdown saved
      await first.close();
      expect(before.status).toBe(200);

      const second = testApp({ dataDir: dir.path });
      try {
        expect(second.jobs.get(id)!.status).toBe('interrupted');
        const after = await weightsOf(second, id);
        expect(after.status).toBe(200);
        expect(after.bytes).toEqual(before.bytes);
        expect(modelFromBytes(after.bytes).meta.hidden).toBe(10);
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('that cannot be written do not stop the shutdown, and leave no file', async () => {
    const dir = tempDir();
    try {
      const first = testApp({ dataDir: dir.path });
      const id = await runningWithSnapshot(first);
      const folder = join(dir.path, 'snapshots');
      rmSync(folder, { recursive: true, force: true });
      writeFileSync(folder, 'not a folder'); // every write under it fails (ENOTDIR)
      await first.close(); // resolves: the failed write is logged, not thrown

      rmSync(folder);
      const second = testApp({ dataDir: dir.path });
      try {
        expect(second.jobs.get(id)!.status).toBe('interrupted');
        const after = await second.app.request(`/v1/trainings/${id}/weights`);
        expect(after.status).toBe(404);
        expect(((await after.json()) as { detail: string }).detail).toMatch(
          /not when it is killed/,
        );
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });
});
