import { parseArgs } from 'node:util';
import { PEERS, type PeerName, TASKS, type TaskName } from './protocol.js';

/** What the command line asks for. */
export interface BenchArgs {
  /** Few iterations, no time-to-accuracy and no RSS run: a smoke test in well under a minute. */
  readonly quick: boolean;
  readonly peers: readonly PeerName[];
  readonly tasks: readonly TaskName[];
  /** Folder that receives `<timestamp>/` and `latest/`; null: apps/bench/results. */
  readonly out: string | null;
  readonly help: boolean;
}

/** A command line that cannot be used; exit code 2. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export const HELP = `Usage: pnpm bench [flags]     (or: node apps/bench/dist/main.js [flags])

Times the same work done by our trainer (packages/net) and its peers — numpy and TensorFlow.js
(wasm and cpu backends) running the notes' equations — each in its own process, and reports
medians, ratios against ours and the accuracy each peer reached on that work.

Flags:
  --quick            few iterations; skips time-to-accuracy and RSS (a smoke test, < 60 s);
                     writes DIR/<timestamp>-quick/ only, never latest/
  --peers LIST       comma-separated, from: ${PEERS.join(', ')} (default: all)
  --tasks LIST       comma-separated, from: ${TASKS.join(', ')} (default: all)
  --out DIR          results folder (default apps/bench/results); writes DIR/<timestamp>/ and DIR/latest/
  --help, -h         this help

Tasks:
  full-batch   the notes' iteration on all 60,000 images (hidden 10, uniform init, α 0.1): ms per iteration
  epoch        one epoch of mini-batch SGD, batch 128, the notes' update rule: ms per epoch
  to-accuracy  time to 85 % and 92 % test accuracy with each system's best preset, checked every epoch
  inference    images per second over the 10,000 test images
  rss          peak resident memory of a full training run (its own process)
  api          the HTTP API under load (autocannon), when apps/api provides a server
  api-abuse    the API's memory and event-loop delay under non-reading SSE clients and nested JSON

Ratios are peer ÷ ours for times and memory, ours ÷ peer for throughput: above 1, ours is ahead.
Results: results.json, report.md and ratios.svg. Progress goes to stderr, the table to stdout.`;

function list<T extends string>(
  flag: string,
  raw: string | undefined,
  allowed: readonly T[],
): readonly T[] {
  if (raw === undefined) return allowed;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw new BenchUsageError(
      `--${flag}: expected a comma-separated list from ${allowed.join(', ')}, got nothing`,
    );
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      throw new BenchUsageError(
        `--${flag}: unknown ${JSON.stringify(item)}; expected some of ${allowed.join(', ')}`,
      );
    }
  }
  // In the canonical order, each once.
  return allowed.filter((a) => items.includes(a));
}

/** Parses the bench flags. Errors name the flag and what it accepts. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        peers: { type: 'string' },
        tasks: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (e) {
    throw new BenchUsageError((e as Error).message.replace(/\. To specify.*$/s, ''));
  }
  const out = values.out as string | undefined;
  if (out === '') throw new BenchUsageError('--out: expected a folder, got an empty string');
  return {
    quick: values.quick === true,
    peers: list('peers', values.peers as string | undefined, PEERS),
    tasks: list('tasks', values.tasks as string | undefined, TASKS),
    out: out ?? null,
    help: values.help === true,
  };
}
