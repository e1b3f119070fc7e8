/** The live dashboard on a terminal: Ink on the alternate screen, restored on every way out. */
import { render } from 'ink';
import type { DashboardArgs } from './args.js';
import { Dashboard } from './components/Dashboard.js';
import { detectColorMode } from './render/color.js';
import type { TestSet } from './samples.js';
import { InkScreen } from './screen-stream.js';
import type { TrainingSource } from './source/source.js';
import { initialState } from './state/state.js';
import { DashboardStore } from './state/store.js';
import { Stats, threadCpuMs } from './stats.js';
import { summary } from './summary.js';
import { enterScreen, onFatal } from './terminal.js';

const NAME = 'mnist-dashboard';

/** On a terminal: the live dashboard on the alternate screen. */
export async function runDashboard(
  args: DashboardArgs,
  source: TrainingSource,
  test: TestSet | null,
  note: string,
): Promise<number> {
  const mode = args.color === 'auto' ? detectColorMode(process.stdout) : args.color;
  const stats = new Stats();
  if (args.stats) stats.countWrites(process.stdout);
  const store = new DashboardStore(initialState(args.attach ? 'connecting' : 'starting'), {
    fps: args.fps,
    cpuMs: () => threadCpuMs(),
  });
  const screen = enterScreen();
  const unhook = onFatal(() => {
    void source.close();
    screen.restore();
  });
  const onSigint = () => {
    void source.close().finally(() => {
      screen.restore();
      process.exit(130);
    });
  };
  process.on('SIGINT', onSigint);
  source.start(store.dispatch);
  const ink = new InkScreen(process.stdout);
  const app = render(
    <Dashboard
      source={source}
      store={store}
      test={test}
      testNote={note}
      mode={mode}
      out={args.train.out}
      sizeSource={ink}
    />,
    {
      stdout: ink.stream,
      exitOnCtrlC: false,
      patchConsole: true,
      // The store decides the frame rate; Ink's own limit only needs to stay out of its way.
      maxFps: Math.max(30, args.fps * 2),
      onRender: (m) => {
        stats.onRender(m);
        store.frameDrawn(m.renderTime);
        queueMicrotask(() => ink.rendered()); // after Ink has written this frame
      },
    },
  );
  let failure: unknown = null;
  try {
    await app.waitUntilExit();
  } catch (e) {
    failure = e;
  }
  await source.close().catch(() => {});
  ink.close();
  screen.restore();
  unhook();
  process.off('SIGINT', onSigint);
  const s = store.getState();
  process.stdout.write(`${summary(s, args)}\n`);
  if (args.stats) process.stderr.write(`${stats.report(s)}\n`);
  if (failure) {
    process.stderr.write(
      `${NAME}: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`,
    );
    return 1;
  }
  return s.status === 'failed' || s.status === 'interrupted' ? 1 : 0;
}
