/**
 * The terminal around the dashboard: it draws on the alternate screen (the shell's screen comes
 * back untouched on exit) and restores the terminal on every way out: quit, Ctrl-C, SIGTERM,
 * SIGHUP, a crash.
 */

const ENTER = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE = '\x1b[?25h\x1b[0m\x1b[?1049l';

export interface Screen {
  /** Leaves the alternate screen, shows the cursor, turns raw mode off (idempotent). */
  restore(): void;
}

/** Switches `out` to the alternate screen until `restore()` (also called on process exit). */
export function enterScreen(
  out: NodeJS.WriteStream = process.stdout,
  input: NodeJS.ReadStream = process.stdin,
): Screen {
  let active = true;
  out.write(ENTER);
  const restore = () => {
    if (!active) return;
    active = false;
    try {
      if (input.isTTY && input.isRaw) input.setRawMode(false);
    } catch {}
    try {
      out.write(LEAVE);
    } catch {}
    process.off('exit', restore);
  };
  process.on('exit', restore);
  return { restore };
}

/**
 * Ends the process cleanly on SIGTERM and SIGHUP (Node's default would leave the terminal in
 * raw mode on the alternate screen) and on crashes, running `cleanup` first (which may print
 * the run's summary once the screen is restored).
 */
export function onFatal(cleanup: (why: 'signal' | 'crash') => void): () => void {
  const signal = (code: number) => () => {
    cleanup('signal');
    process.exit(code);
  };
  const term = signal(143);
  const hup = signal(129);
  const crash = (e: unknown) => {
    cleanup('crash');
    process.stderr.write(
      `mnist-dashboard: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(1);
  };
  process.on('SIGTERM', term);
  process.on('SIGHUP', hup);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  return () => {
    process.off('SIGTERM', term);
    process.off('SIGHUP', hup);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  };
}

/**
 * Whether the terminal cannot address the cursor, so a redrawn screen would come out as a stream
 * of escape codes: `TERM=dumb` (Emacs shells, some CI and editors), `unknown`, or no TERM at all.
 */
export function dumbTerminal(env: NodeJS.ProcessEnv, platform = process.platform): boolean {
  if (platform === 'win32') return false; // Windows terminals set no TERM and draw fine
  const term = env.TERM ?? '';
  return term === '' || term === 'dumb' || term === 'unknown';
}
