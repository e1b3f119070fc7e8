#!/usr/bin/env node
/**
 * `pnpm bench`: times the same work done by our trainer and its peers (numpy, TensorFlow.js on
 * wasm and cpu), each in its own process, and reports medians, ratios against ours and the
 * accuracy each reached. Writes results.json, report.md and ratios.svg to
 * apps/bench/results/<timestamp>/ and (unless --quick) results/latest/. See README.md and `--help`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMnistDir } from '@mnist/net';
import { api } from './api.js';
import { abuseSummary, apiAbuse } from './api-abuse.js';
import { type BenchArgs, BenchUsageError, HELP, parseBenchArgs } from './args.js';
import { killChildren } from './child.js';
import { firstStep } from './first-step.js';
import { rss, type ToAccuracyRuns, toAccuracy } from './full-runs.js';
import { detectPython, load, machineInfo } from './machine.js';
import { writeResults } from './output.js';
import { FULL_PLAN, type Plan, QUICK_PLAN } from './plan.js';
import { Progress } from './progress.js';
import { type Results, type Row, withRatios } from './results.js';
import { type Context, forTask } from './run-peer.js';
import { renderTable } from './table.js';
import { epoch, fullBatch, inference } from './tasks.js';

/** apps/bench: this file is apps/bench/dist/main.js. */
const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = resolve(BENCH_DIR, '../..');

/** Remarks that follow from the plan and the machine, for the report. */
function planNotes(args: BenchArgs, plan: Plan, python: Context['python']): string[] {
  const notes: string[] = [];
  if (args.quick)
    notes.push(
      '--quick: a smoke test of the harness; too few runs for the numbers to mean much, no time-to-accuracy and no RSS runs.',
    );
  if (args.peers.includes('tfjs-cpu')) {
    const c = (x: { warmup: number; measured: number }) =>
      `${x.measured} (after ${x.warmup} warm-up)`;
    notes.push(
      `tfjs-cpu (the pure-JS backend) is slow, so it does less: ${c(plan.fullBatch['tfjs-cpu'])} full-batch iterations, ${c(plan.epoch['tfjs-cpu'])} epochs, ${c(plan.inference['tfjs-cpu'])} inference passes${plan.toAccuracy ? `, at most ${plan.toAccuracy['tfjs-cpu']} epochs to reach the accuracy targets` : ''}. Its accuracy is checked against ours after the same amount of work.`,
    );
  }
  if (args.peers.includes('numpy') && 'missing' in python)
    notes.push(`numpy skipped: ${python.missing}.`);
  notes.push(
    "Threads: ours trains with its WebAssembly kernel on one thread per core (inference: a prepared `predictor` runs its WebAssembly SIMD inference kernel and shares batches of 384 images or more with one helper thread); tfjs-wasm runs single-threaded in Node (no wasm threads there); onnx-web (onnxruntime-web, wasm backend) runs our model exported as ONNX, with its default threads (recorded in results.json); numpy uses its BLAS, which usually takes every core. The *threads* column gives what each run used (numpy: OpenBLAS's own count; `results.json` also names the BLAS kernel it picked). The *one thread* rows pin ours (`threads: 1`) and numpy (`OPENBLAS_NUM_THREADS=1`) to one core: kernel against kernel. The numpy child runs without the OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE of this environment, so OpenBLAS picks its kernel for the CPU as a user's would.",
    "Time to first step: a fresh process per sample, from the MNIST bytes in memory (read from disk before the clock starts) to the end of the first training step: ours sets up its kernel (threads, compiled module, the data moved into its memory) and runs the `fast` preset's first step; numpy builds its float matrix and runs one Adam step of 64. Process start and imports are outside for both.",
    "Full batch and inference: every peer starts from (or predicts with) the very same weights as ours, written by ours' trainer, so the accuracies agree to a fraction of a point; SGD epochs share the initial weights but each peer shuffles with its own generator.",
  );
  return notes;
}

/** Remarks that follow from the results: flagged accuracies, failures, load. */
function resultNotes(
  rows: readonly Row[],
  loadBefore: readonly number[],
  loadAfter: readonly number[],
  cores: number,
): string[] {
  const notes: string[] = [];
  for (const r of rows) {
    if (r.check === 'off') {
      notes.push(
        `**${r.peer}, ${r.metric}: accuracy off** — ${((r.accuracy ?? 0) * 100).toFixed(2)} % against ours' ${((r.reference ?? 0) * 100).toFixed(2)} % (tolerance ${((r.tolerance ?? 0) * 100).toFixed(1)} points): its time is not for the same work.`,
      );
    }
    if (r.status === 'failed') notes.push(`${r.peer}, ${r.metric}: failed — ${r.reason}`);
  }
  const busiest = Math.max(loadBefore[0] ?? 0, loadAfter[0] ?? 0);
  notes.push(
    busiest > cores / 2
      ? `The machine was busy: 1-minute load average ${loadBefore[0]} at the start and ${loadAfter[0]} at the end on ${cores} cores. Other processes shared the CPU; medians damp this but ratios can shift by tens of per cent between runs.`
      : `Load average ${loadBefore[0]} at the start and ${loadAfter[0]} at the end on ${cores} cores.`,
  );
  return notes;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const started = new Date();
  const t0 = performance.now();
  const plan = args.quick ? QUICK_PLAN : FULL_PLAN;
  const progress = new Progress(process.stderr);
  const python = args.peers.includes('numpy') ? detectPython() : { missing: 'not requested' };
  const machine = machineInfo(REPO_ROOT, 'missing' in python ? null : python);
  const scratch = mkdtempSync(join(tmpdir(), 'mnist-bench-'));
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const notes = planNotes(args, plan, python);
  const ctx: Context = {
    plan,
    peers: args.peers,
    dataDir: defaultMnistDir(),
    scratch,
    benchDir: BENCH_DIR,
    repoRoot: REPO_ROOT,
    python,
    progress,
    notes,
  };
  progress.note(
    `mnist bench${args.quick ? ' --quick' : ''}: peers ${args.peers.join(', ')}; tasks ${args.tasks.join(', ')}; ${machine.cpu} × ${machine.cores}, load ${machine.loadBefore.join(' ')}`,
  );

  const rows: Row[] = [];
  const runs: ToAccuracyRuns = new Map();
  try {
    for (const task of args.tasks) {
      const c = forTask(ctx, task); // the peers that take part in this task
      if (task === 'full-batch') rows.push(...(await fullBatch(c)));
      else if (task === 'epoch') rows.push(...(await epoch(c)));
      else if (task === 'first-step') rows.push(...(await firstStep(c)));
      else if (task === 'to-accuracy') rows.push(...(await toAccuracy(c, runs)));
      else if (task === 'inference') rows.push(...(await inference(c)));
      else if (task === 'rss') rows.push(...(await rss(c, runs)));
      else if (task === 'api' && args.peers.includes('ours')) rows.push(...(await api(c)));
      else if (task === 'api-abuse' && args.peers.includes('ours'))
        notes.push(abuseSummary(await apiAbuse({ repoRoot: REPO_ROOT, mnistDir: ctx.dataDir })));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const loadAfter = load();
  const finalRows = withRatios(rows);
  const results: Results = {
    schema: 'mnist-bench/1',
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    quick: args.quick,
    peers: args.peers,
    tasks: args.tasks,
    machine: { ...machine, loadAfter },
    rows: finalRows,
    notes: [...notes, ...resultNotes(finalRows, machine.loadBefore, loadAfter, machine.cores)],
  };
  const root =
    args.out === null
      ? join(BENCH_DIR, 'results')
      : resolve(process.env.INIT_CWD ?? process.cwd(), args.out);
  const { dir, latest } = writeResults(root, results);
  process.stdout.write(`\n${renderTable(results)}\n`);
  progress.note(
    `wrote ${dir}${latest ? ` (and ${latest})` : ' (a --quick run leaves latest/ as it was)'}: results.json, report.md, ratios.svg`,
  );
  // Ours failing means the harness or our trainer is broken; a peer failing is a result.
  return finalRows.some((r) => r.peer === 'ours' && r.status === 'failed') ? 1 : 0;
}

// Interrupted (Ctrl-C, a timeout of whoever started us): take the children along.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildren();
    process.stderr.write(`\nmnist-bench: ${signal}, stopped; no results written\n`);
    process.exit(130);
  });
}
process.once('exit', killChildren);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof BenchUsageError) {
      process.stderr.write(`mnist-bench: ${e.message}\nRun with --help for the flags.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`mnist-bench: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
