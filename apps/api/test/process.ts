/** The built server (`dist/server.js`) in a child process, for tests of start-up, signals and crashes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SERVER_JS = fileURLToPath(new URL('../dist/server.js', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Set once it listens. */
  readonly url: string | null;
  /** Everything it wrote (stdout and stderr). */
  output(): string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/**
 * Starts `dist/server.js` with `args` (plus `--no-default-model --train-threads 1
 * --no-request-log`); resolves once it listens, or once it exits (then `url` is null).
 */
export function spawnServer(args: readonly string[]): Promise<ServerProcess> {
  if (!existsSync(SERVER_JS))
    throw new Error(`${SERVER_JS} is missing: run \`pnpm --filter @mnist/api build\` first`);
  const child = spawn(
    process.execPath,
    [SERVER_JS, ...args, '--no-default-model', '--train-threads', '1', '--no-request-log'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve) => {
    const make = (url: string | null): ServerProcess => ({
      child,
      url,
      output: () => out + err,
      stderr: () => err,
      exited,
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) resolve(make(m[1]!));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    void exited.then(() => resolve(make(null)));
  });
}
