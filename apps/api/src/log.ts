/** Structured logs: one JSON object per line (`time`, `level`, `msg`, then fields). */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Readonly<Record<LogLevel, number>> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 100,
};
export const LOG_LEVELS = Object.keys(RANK) as readonly LogLevel[];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * A logger writing JSON lines to `write` (default: stdout) at `level` and above.
 *
 * @example
 * const log = createLogger('info');
 * log.info('listening', { url: 'http://127.0.0.1:3000' });
 * // {"time":"2025-…","level":"info","msg":"listening","url":"http://127.0.0.1:3000"}
 */
export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  const at =
    (lvl: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (RANK[lvl] < RANK[level]) return;
      const err =
        fields.err instanceof Error
          ? { err: { name: fields.err.name, message: fields.err.message, stack: fields.err.stack } }
          : {};
      write(
        `${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields, ...err })}\n`,
      );
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = createLogger('silent');
