/** Starts the built API (`apps/api/dist/server.js`) on a free port over a temporary data directory. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SERVER = new URL('../../api/dist/server.js', import.meta.url).pathname;

export interface TestServer {
  readonly url: string;
  readonly token: string;
  /** fetch against the server, with the token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export async function startApi(token = 'e2e-token', extra: string[] = []): Promise<TestServer> {
  if (!existsSync(SERVER))
    throw new Error(`expected the built API at ${SERVER}; run \`pnpm build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'mnist-web-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      SERVER,
      '--port',
      '0',
      '--data-dir',
      dir,
      '--token',
      token,
      '--no-default-model',
      '--no-request-log',
      '--train-threads',
      '1',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const log = JSON.parse(line) as { msg?: string; url?: string; page?: string };
        if (log.msg === 'listening' && log.url) resolve(log.url);
      } catch {}
    });
    child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening`)));
  });
  return {
    url,
    token,
    api: (path, init = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
      }),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
