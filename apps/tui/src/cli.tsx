#!/usr/bin/env node
/**
 * `mnist-dashboard` (`pnpm start`): trains the notes' network on MNIST and shows it live in the
 * terminal, or (`--attach URL`) shows a job of the HTTP API. Without a terminal it prints plain
 * progress lines. Exit codes: 0 done, 1 failed, 2 bad command line, 130 interrupted.
 */
import { ConfigError, loadMnistSplit, MnistError, ModelFileError, saveModel } from '@mnist/net';
import { UsageError } from '@mnist/net/cli';
import { type DashboardArgs, helpText, parseDashboardArgs } from './args.js';
import { PlainPrinter } from './plain.js';
import { runsTable } from './runs/list.js';
import { RunRecordError } from './runs/read.js';
import type { TestSet } from './samples.js';
import { openSession, type Session } from './session.js';
import { AttachUrlError } from './source/attach.js';
import { type Action, reduce } from './state/reducer.js';
import { initialState, isFinished } from './state/state.js';
import { shown, summary } from './summary.js';
import { dumbTerminal } from './terminal.js';

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

/** Without a terminal: plain lines, the model saved at the end (like mnist-train). */
async function runPlain(args: DashboardArgs, session: Session): Promise<number> {
  const { source, recorder, train } = session;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const printer = new PlainPrinter(out);
  let state = session.preload.reduce(reduce, initialState(args.attach ? 'connecting' : 'starting'));
  const apply = (a: Action) => {
    state = reduce(state, a);
    recorder.observe(a, state);
    printer.handle(a);
  };
  let interrupts = 0;
  const leave = (code: number) => {
    recorder.close(state);
    process.stderr.write(`${summary(state, args)}\n`);
    process.exit(code);
  };
  process.on('SIGTERM', () => void source.close().finally(() => leave(143)));
  const finished = new Promise<void>((resolve) => {
    source.start((a: Action) => {
      apply(a);
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
        void source.close().finally(() => leave(130));
      }
    });
  });
  await finished;
  if (state.status === 'done' && source.kind === 'local') {
    const model = await source.finalModel();
    if (model) {
      await saveModel(train.out, model);
      apply({ type: 'saved', path: shown(train.out), step: state.result?.step ?? 0 });
    }
  }
  await source.close();
  recorder.close(state);
  out(`run record ${shown(recorder.dir)}`);
  if (interrupts > 0) return 130;
  return state.status === 'done' ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  process.stdout.on('error', () => process.exit(0)); // a closed pipe (| head) ends us quietly
  const args = parseDashboardArgs(argv);
  if (args.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  if (args.list) {
    process.stdout.write(`${runsTable(args.runs)}\n`);
    return 0;
  }
  const interactive =
    !args.plain &&
    Boolean(process.stdout.isTTY) &&
    Boolean(process.stdin.isTTY) &&
    !inCi(process.env) &&
    !dumbTerminal(process.env);
  const session = await openSession(args, interactive);
  if (!interactive) return runPlain(args, session);
  const { test, note } = await loadTest(args);
  // React and Ink load only now, in production mode: React's development build is several times
  // slower and keeps a performance entry per render.
  process.env.NODE_ENV ??= 'production';
  const { runDashboard } = await import('./run-dashboard.js');
  return runDashboard(args, session, test, note);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Ink leaves stdin referenced on some terminals; nothing else is running now.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof AttachUrlError || e instanceof RunRecordError) {
      process.stderr.write(`${NAME}: ${e.message}\nRun with --help for the flags.\n`);
      process.exitCode = 2;
    } else if (e instanceof MnistError || e instanceof ModelFileError || e instanceof ConfigError) {
      process.stderr.write(`${NAME}: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${NAME}: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
