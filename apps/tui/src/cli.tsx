#!/usr/bin/env node
/**
 * `mnist-dashboard` (`pnpm start`): trains the notes' network on MNIST and shows it live in the
 * terminal, or (`--attach URL`) shows a job of the HTTP API. Without a terminal it prints plain
 * progress lines. Exit codes: 0 done, 1 failed, 2 bad command line, 130 interrupted.
 */
import { loadMnistSplit, MnistError, saveModel, UsageError } from '@mnist/net';
import { type DashboardArgs, helpText, parseDashboardArgs } from './args.js';
import { PlainPrinter } from './plain.js';
import type { TestSet } from './samples.js';
import { AttachSource, AttachUrlError } from './source/attach.js';
import { LocalSource } from './source/local.js';
import type { TrainingSource } from './source/source.js';
import { type Action, reduce } from './state/reducer.js';
import { initialState, isFinished } from './state/state.js';
import { shown } from './summary.js';

const NAME = 'mnist-dashboard';

/** Whether `CI` (or `CONTINUOUS_INTEGRATION`) is set as Ink reads it; Ink then prints only a last frame. */
function inCi(env: NodeJS.ProcessEnv): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some(
    (k) => k in env && env[k] !== '0' && env[k] !== 'false',
  );
}

async function loadTest(args: DashboardArgs): Promise<{ test: TestSet | null; note: string }> {
  try {
    const split = await loadMnistSplit(
      'test',
      args.train.dataDir === undefined ? {} : { dir: args.train.dataDir },
    );
    return { test: { images: split.images, labels: split.labels, count: split.count }, note: '' };
  } catch (e) {
    if (!(e instanceof MnistError) || !args.attach) throw e;
    return { test: null, note: 'no local test images (--data-dir DIR shows them)' };
  }
}

function sourceFor(args: DashboardArgs, interactive: boolean): TrainingSource {
  if (args.attach)
    return new AttachSource({ url: args.attach, ...(args.token ? { token: args.token } : {}) });
  return new LocalSource({
    config: args.train.config,
    ...(args.train.dataDir === undefined ? {} : { dataDir: args.train.dataDir }),
    progressIntervalMs: interactive ? 100 : 1000,
  });
}

/** Without a terminal: plain lines, the model saved at the end (like mnist-train). */
async function runPlain(args: DashboardArgs, source: TrainingSource): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  process.stdout.on('error', () => process.exit(0)); // a closed pipe (| head) ends us quietly
  const printer = new PlainPrinter(out);
  let state = initialState(args.attach ? 'connecting' : 'starting');
  let interrupts = 0;
  const finished = new Promise<void>((resolve) => {
    source.start((a: Action) => {
      state = reduce(state, a);
      printer.handle(a);
      if (isFinished(state)) resolve();
    });
    process.on('SIGINT', () => {
      interrupts++;
      if (interrupts === 1 && source.kind === 'local') {
        process.stderr.write(
          'Stopping after this step; the model so far will be saved (Ctrl-C again to quit now).\n',
        );
        void source.stop();
      } else {
        void source.close().finally(() => process.exit(130));
      }
    });
  });
  await finished;
  if (state.status === 'done' && source.kind === 'local') {
    const model = await source.finalModel();
    if (model) {
      await saveModel(args.train.out, model);
      out(`saved ${shown(args.train.out)}`);
    }
  }
  await source.close();
  return state.status === 'done' ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseDashboardArgs(argv);
  if (args.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const interactive =
    !args.plain &&
    Boolean(process.stdout.isTTY) &&
    Boolean(process.stdin.isTTY) &&
    !inCi(process.env);
  const source = sourceFor(args, interactive);
  if (!interactive) return runPlain(args, source);
  const { test, note } = await loadTest(args);
  // React and Ink load only now, in production mode: React's development build is several times
  // slower and keeps a performance entry per render.
  process.env.NODE_ENV ??= 'production';
  const { runDashboard } = await import('./run-dashboard.js');
  return runDashboard(args, source, test, note);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Ink leaves stdin referenced on some terminals; nothing else is running now.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof AttachUrlError) {
      process.stderr.write(`${NAME}: ${e.message}\nRun with --help for the flags.\n`);
      process.exitCode = 2;
    } else if (e instanceof MnistError) {
      process.stderr.write(`${NAME}: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${NAME}: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
