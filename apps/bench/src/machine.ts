import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { rssMethod } from './child.js';
import type { MachineInfo } from './results.js';

/** python3 with numpy, if this machine has them. */
export interface PythonInfo {
  readonly command: string;
  readonly python: string;
  readonly numpy: string;
}

/** Finds `python3` and numpy's version; the reason it cannot, otherwise. */
export function detectPython(): PythonInfo | { readonly missing: string } {
  const probe =
    'import json, platform, numpy; print(json.dumps({"python": platform.python_version(), "numpy": numpy.__version__}))';
  const r = spawnSync('python3', ['-c', probe], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) return { missing: `python3 not found (${r.error.message})` };
  if (r.status !== 0) {
    const why = r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`;
    return { missing: `python3 cannot import numpy (${why})` };
  }
  try {
    const v = JSON.parse(r.stdout.trim()) as { python: string; numpy: string };
    return { command: 'python3', python: v.python, numpy: v.numpy };
  } catch {
    return { missing: `python3 printed ${JSON.stringify(r.stdout.slice(0, 80))}` };
  }
}

/** The version in an installed package's package.json, or null. */
export function packageVersion(name: string): string | null {
  try {
    const require = createRequire(import.meta.url);
    return (
      JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return null;
  }
}

function gitDescribe(cwd: string): string | null {
  const r = spawnSync('git', ['describe', '--always', '--dirty'], {
    cwd,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return r.status === 0 ? r.stdout.trim() : null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The 1-, 5- and 15-minute load averages. */
export const load = () => loadavg().map(round2);

/** The machine and software, with the load at start (`loadAfter` is filled in at the end). */
export function machineInfo(repoRoot: string, python: PythonInfo | null): MachineInfo {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown';
  return {
    cpu,
    cores: availableParallelism(),
    memoryGb: round2(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    python: python?.python ?? null,
    numpy: python?.numpy ?? null,
    tfjs: packageVersion('@tensorflow/tfjs-core'),
    tfjsBackendWasm: packageVersion('@tensorflow/tfjs-backend-wasm'),
    rssMethod: rssMethod(),
    git: gitDescribe(repoRoot),
    loadBefore: load(),
    loadAfter: [],
  };
}
