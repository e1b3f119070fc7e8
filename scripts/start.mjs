#!/usr/bin/env node
// `pnpm start [flags]`: builds what the dashboard needs when its sources changed (through turbo,
// cached), then opens it. A cold start builds the WebAssembly kernel and every package first,
// which takes a while: it says so on the first line instead of looking hung. When no source has
// changed since the last build it ran, turbo is not even started, so the first frame comes fast.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
/** The workspaces the dashboard runs from, and one output of each build. */
const NEEDS = [
  ['packages/tensor', 'dist/index.js'],
  ['packages/net', 'dist/kernel.wasm'],
  ['apps/tui', 'dist/cli.js'],
];
const INPUTS = ['src', 'assembly', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time under `path` (a file or a folder). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

// When the last build that this script ran finished (turbo keeps outputs that a cache hit
// would restore as they are, so their own times say nothing).
const stamp = join(root, 'node_modules/.cache/mnist-ts/start-build.stamp');
const missing = NEEDS.some(([ws, out]) => !existsSync(join(root, ws, out)));
const stale =
  missing ||
  !existsSync(stamp) ||
  NEEDS.some(
    ([ws]) => Math.max(...INPUTS.map((i) => newest(join(root, ws, i)))) > statSync(stamp).mtimeMs,
  );
if (stale) {
  process.stderr.write(
    missing
      ? 'building the kernel and packages… (first start only)\n'
      : 'building the changed packages…\n',
  );
  const build = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@mnist/tui...', '--output-logs=errors-only'],
    { cwd: root, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
// The dashboard answers Ctrl-C and SIGTERM itself (it asks, restores the terminal, prints a
// summary): this process only passes SIGTERM on and waits for its exit code.
const child = spawn(
  process.execPath,
  [join(root, 'apps/tui/dist/cli.js'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.on('SIGINT', () => {}); // the terminal sends it to the dashboard too
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGHUP', () => child.kill('SIGHUP'));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
