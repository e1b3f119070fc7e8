import { formatMs } from './format.js';

/** A stream progress lines go to (stderr, or a fake in tests). */
export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * Which peer and task is running, on stderr: on a terminal one line that counts the seconds,
 * elsewhere (CI logs, pipes) a line when a step starts and one when it ends.
 */
export class Progress {
  private readonly t0 = performance.now();

  constructor(
    private readonly out: ProgressStream = process.stderr,
    private readonly enabled = true,
  ) {}

  /** Starts a step; call the returned function with a short outcome when it ends. */
  begin(label: string): (outcome: string) => void {
    if (!this.enabled) return () => {};
    const started = performance.now();
    const tty = this.out.isTTY === true;
    const line = () => `${this.clock()} ${label} … ${formatMs(performance.now() - started)}`;
    let ticker: NodeJS.Timeout | null = null;
    if (tty) {
      this.out.write(`\r\x1b[2K${line()}`);
      ticker = setInterval(() => this.out.write(`\r\x1b[2K${line()}`), 1000);
      ticker.unref();
    } else this.out.write(`${this.clock()} ${label} …\n`);
    return (outcome) => {
      if (ticker) clearInterval(ticker);
      const took = formatMs(performance.now() - started);
      this.out.write(`${tty ? '\r\x1b[2K' : ''}${this.clock()} ${label}: ${outcome} (${took})\n`);
    };
  }

  /** A line of its own (a note, a warning). */
  note(text: string): void {
    if (this.enabled) this.out.write(`${this.clock()} ${text}\n`);
  }

  private clock(): string {
    const s = Math.floor((performance.now() - this.t0) / 1000);
    return `[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}]`;
  }
}
