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
 * raw mode on the alternate screen) and on crashes, running `cleanup` first.
 */
export function onFatal(cleanup: () => void): () => void {
  const signal = (code: number) => () => {
    cleanup();
    process.exit(code);
  };
  const term = signal(143);
  const hup = signal(129);
  const crash = (e: unknown) => {
    cleanup();
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
