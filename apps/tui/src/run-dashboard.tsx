/** The live dashboard on a terminal: Ink on the alternate screen, restored on every way out. */
import { render } from 'ink';
import type { DashboardArgs } from './args.js';
import { Dashboard } from './components/Dashboard.js';
import { detectColorMode } from './render/color.js';
import type { TestSet } from './samples.js';
import { InkScreen } from './screen-stream.js';
import type { Session } from './session.js';
import { saveCurrent } from './source/save.js';
import { type DashboardState, initialState, isFinished } from './state/state.js';
import { DashboardStore } from './state/store.js';
import { Stats, threadCpuMs } from './stats.js';
import { summary } from './summary.js';
import { enterScreen, onFatal } from './terminal.js';

const NAME = 'mnist-dashboard';

/** On a terminal: the live dashboard on the alternate screen. */
export async function runDashboard(
  args: DashboardArgs,
  session: Session,
  test: TestSet | null,
  note: string,
): Promise<number> {
  const { source, recorder } = session;
  const out = session.train.out;
  const mode = args.color === 'auto' ? detectColorMode(process.stdout) : args.color;
  const stats = new Stats();
  if (args.stats) stats.countWrites(process.stdout);
  const store = new DashboardStore(initialState(args.attach ? 'connecting' : 'starting'), {
    fps: args.fps,
    cpuMs: () => threadCpuMs(),
    observe: (a, s) => recorder.observe(a, s),
  });
  for (const a of session.preload) store.dispatchNow(a);
  const screen = enterScreen();
  /** The screen back, the record closed and the summary printed: on every way out. */
  const leave = () => {
    screen.restore();
    recorder.close(store.getState());
    process.stdout.write(`${summary(store.getState(), args)}\n`);
  };
  const unhook = onFatal((why) => {
    void source.close();
    if (why === 'signal') leave();
    else screen.restore();
  });
  const onSigint = () => {
    void source.close().finally(() => {
      leave();
      process.exit(130);
    });
  };
  process.on('SIGINT', onSigint);
  source.start(store.dispatch);
  // A local run that ends is saved, like mnist-train (so the end screen can say where).
  let autosaved = false;
  const unsubscribe = store.subscribe(() => {
    const s = store.getState();
    if (autosaved || source.kind !== 'local' || s.status !== 'done' || s.saving) return;
    autosaved = true;
    void autosave(s);
  });
  const autosave = async (s: DashboardState) => {
    store.dispatchNow({ type: 'saving' });
    try {
      const step = await saveCurrent(out, s, source);
      store.dispatchNow({ type: 'saved', path: out, step });
    } catch (e) {
      store.dispatchNow({
        type: 'notice',
        text: `not saved: ${(e as Error).message}`,
        tone: 'bad',
      });
    }
  };
  const ink = new InkScreen(process.stdout);
  const app = render(
    <Dashboard
      source={source}
      store={store}
      test={test}
      testNote={note}
      mode={mode}
      out={out}
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
  const running = !isFinished(store.getState());
  unsubscribe();
  await source.close().catch(() => {});
  ink.close();
  unhook();
  process.off('SIGINT', onSigint);
  leave();
  const s = store.getState();
  if (args.stats) process.stderr.write(`${stats.report(s)}\n`);
  if (failure) {
    process.stderr.write(
      `${NAME}: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`,
    );
    return 1;
  }
  // Quitting a local run before it ends interrupts it (130); detaching from a server job does not.
  if (running && source.kind === 'local') return 130;
  return s.status === 'failed' || s.status === 'interrupted' ? 1 : 0;
}
