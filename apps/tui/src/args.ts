/**
 * The dashboard's command line: the shared training flags of @mnist/net (one definition for
 * every front end that starts a run) plus the dashboard's own.
 */
import { resolve } from 'node:path';
import {
  parseTrainFlags,
  type TRAIN_FLAGS,
  type TrainArgs,
  trainArgsFrom,
  trainFlagsHelp,
  UsageError,
  userCwd,
} from '@mnist/net/cli';
import { COLOR_MODES, type ColorMode } from './render/color.js';

export const DASHBOARD_FLAGS = {
  attach: {
    type: 'string',
    arg: 'URL',
    help: 'watch a job of the HTTP API (…/v1/trainings/ID) instead of training here',
  },
  token: { type: 'string', arg: 'TOKEN', help: 'API token for --attach; default $MNIST_API_TOKEN' },
  fps: { type: 'string', arg: 'N', help: 'most frames per second, 1–30; default 10' },
  color: {
    type: 'string',
    arg: 'MODE',
    help: 'auto (default), none, 16, 256 or truecolor; NO_COLOR=1 means none',
  },
  plain: {
    type: 'boolean',
    arg: '',
    help: 'plain progress lines even on a terminal (automatic for pipes, stdin not a terminal, CI=…)',
  },
  stats: {
    type: 'boolean',
    arg: '',
    help: 'print the frame rate and CPU use of the dashboard on exit',
  },
  compare: {
    type: 'string',
    arg: 'RUN…',
    help: 'draw earlier runs under the live curves (run folders, names under --runs, or last)',
  },
  resume: {
    type: 'string',
    arg: 'MODEL',
    help: 'go on training a saved model (its weights, step count, config and curves)',
  },
  runs: {
    type: 'string',
    arg: 'DIR',
    help: 'where run records go (run.json, events.csv); default ./runs',
  },
  help: { type: 'boolean', arg: '', help: 'this help', short: 'h' },
} as const;

/** Flags handled before parseArgs (they take several values). */
const LIST_FLAGS = new Set(['compare']);

export interface DashboardArgs {
  readonly train: TrainArgs;
  /** Which training flags were given (attach mode refuses them). */
  readonly trainFlags: readonly string[];
  readonly attach: string | null;
  readonly token: string | null;
  readonly fps: number;
  readonly color: ColorMode | 'auto';
  readonly plain: boolean;
  readonly stats: boolean;
  readonly help: boolean;
  /** Earlier runs to overlay (as named on the command line). */
  readonly compare: readonly string[];
  /** A model file to go on training, resolved. */
  readonly resume: string | null;
  /** The folder of run records, resolved. */
  readonly runs: string;
  /** `runs`: list the recorded runs and exit. */
  readonly list: boolean;
  /** The training flags as given (a resumed run lays them over the model's config). */
  readonly trainValues: Partial<Record<keyof typeof TRAIN_FLAGS, string>>;
}

/** `--compare A B`, `--compare=A,B` and repeated `--compare`: the runs, and argv without them. */
function takeCompare(argv: readonly string[]): { runs: string[]; rest: string[] } {
  const runs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = /^--compare=(.*)$/.exec(a);
    if (eq) runs.push(...eq[1]!.split(',').filter(Boolean));
    else if (a === '--compare') {
      const before = runs.length;
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-'))
        runs.push(...argv[++i]!.split(',').filter(Boolean));
      if (runs.length === before) throw new UsageError('--compare: expected one or more runs');
    } else rest.push(a);
  }
  return { runs, rest };
}

/** Flags that still mean something when attaching: where the test images are, where to save. */
const ATTACH_OK = new Set(['data-dir', 'out']);

/** Parses the command line; a UsageError (exit code 2) names the flag and what was wrong. */
export function parseDashboardArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): DashboardArgs {
  const list = argv[0] === 'runs';
  const { runs: compare, rest } = takeCompare(list ? argv.slice(1) : argv);
  const extra = Object.fromEntries(
    Object.entries(DASHBOARD_FLAGS)
      .filter(([k]) => !LIST_FLAGS.has(k))
      .map(([k, d]) => [k, 'short' in d ? { type: d.type, short: d.short } : { type: d.type }]),
  ) as {
    [K in Exclude<keyof typeof DASHBOARD_FLAGS, 'compare'>]: {
      type: (typeof DASHBOARD_FLAGS)[K]['type'];
    };
  };
  const flags = parseTrainFlags(rest, extra);
  const { attach, token, fps, color, plain, stats, help, resume, runs, ...trainValues } = flags;
  const given = Object.entries(trainValues)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);
  // With --resume the config flags are laid over the saved model's config (and checked there, in
  // resumedArgs): on their own they need not make a run (`--epochs 3` of a mini-batch model).
  const train = trainArgsFrom(
    resume === undefined
      ? trainValues
      : { 'data-dir': trainValues['data-dir'], out: trainValues.out },
  );
  if (attach !== undefined) {
    const wrong = given.filter((k) => !ATTACH_OK.has(k));
    if (wrong.length)
      throw new UsageError(
        `--attach watches a job that the server runs with its own config; --${wrong[0]} does not apply`,
      );
  }
  if (token !== undefined && attach === undefined) throw new UsageError('--token is for --attach');
  if (resume !== undefined && attach !== undefined)
    throw new UsageError('--resume trains here; it does not go with --attach');
  const n = fps === undefined ? 10 : Number(fps);
  if (!(Number.isFinite(n) && n >= 1 && n <= 30))
    throw new UsageError(`--fps: expected a number in 1..30, got ${JSON.stringify(fps)}`);
  const mode = color ?? 'auto';
  if (mode !== 'auto' && !(COLOR_MODES as readonly string[]).includes(mode))
    throw new UsageError(
      `--color: expected one of auto, ${COLOR_MODES.join(', ')}, got ${JSON.stringify(mode)}`,
    );
  return {
    train,
    trainFlags: given,
    attach: attach ?? null,
    token: token ?? (attach !== undefined && env.MNIST_API_TOKEN ? env.MNIST_API_TOKEN : null),
    fps: n,
    color: mode as ColorMode | 'auto',
    plain: plain === true,
    stats: stats === true,
    help: help === true,
    compare,
    resume: resume === undefined ? null : resolve(userCwd(), resume),
    runs: resolve(userCwd(), runs ?? 'runs'),
    list,
    trainValues,
  };
}

export function helpText(): string {
  const rows = Object.entries(DASHBOARD_FLAGS).map(
    ([k, d]) =>
      [`--${k}${d.arg ? ` ${d.arg}` : ''}${'short' in d ? `, -${d.short}` : ''}`, d.help] as const,
  );
  const width = Math.max(...rows.map(([a]) => a.length));
  return `Usage: pnpm start [flags]      (or: mnist-dashboard [flags])
       pnpm start runs [--runs DIR]  (the runs recorded so far)

Trains the notes' network on the real MNIST in a worker thread and shows it live: progress,
loss and accuracy charts, the test confusion matrix, test digits with their predictions, and
what each hidden unit has learned (the rows of W1). Keys steer the run; press ? for them.
Without a terminal (pipes, stdin not a terminal, CI logs: the CI variable set) it prints plain
progress lines instead and saves the model at the end, like mnist-train.

Training flags (the same as mnist-train):
${trainFlagsHelp()}

Dashboard flags:
${rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n')}

Exit codes: 0 done, 1 failed (data, disk, server), 2 bad flags, 130 interrupted.

Examples:
  pnpm start                                   # the notes' seed preset, full batch
  pnpm start --preset fast                     # Adam, 12 epochs: watch it pass 92 %
  pnpm start --preset wide --epochs 5          # 128 hidden units to look at
  pnpm start --attach http://localhost:3000/v1/trainings/7f3a
  pnpm start --preset fast --compare last      # this run over the previous one
  pnpm start --resume models/fast.safetensors --epochs 3   # 3 more epochs`;
}
