#!/usr/bin/env node
/**
 * `mnist-api` (`pnpm serve`): the HTTP API. Exit codes: 0 after a graceful shutdown, 1 on a
 * start-up failure (e.g. the port is in use, or one line when better-sqlite3 is missing), 2 for a
 * bad command line, 75 (EX_TEMPFAIL) when another server owns the data folder.
 */
import { HELP, parseServerArgs, UsageError } from './cli.js';
import { SqliteUnavailableError } from './db/database.js';
import { createLogger } from './log.js';
import { StartupError, startServer } from './serve.js';
import { DataDirInUseError } from './store/lock.js';

/** Exit code when the data folder is owned by another running server. */
export const EXIT_DATA_DIR_IN_USE = 75;
/** Longest shutdown: in-flight requests get `SHUTDOWN_GRACE_MS`, then connections are cut; past this the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;
const SHUTDOWN_LIMIT_MS = 15_000;

async function main(argv: readonly string[]): Promise<number> {
  const args = parseServerArgs(argv);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const logger = createLogger(args.logLevel);
  // Signals are taken from the start: one that comes while the server starts stops it once up.
  let signal: NodeJS.Signals | null = null;
  let stop: () => void = () => {};
  const onSignal = (s: NodeJS.Signals) => {
    if (signal) {
      logger.warn(`second ${s}: exiting now`);
      process.exit(1);
    }
    signal = s;
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const server = await startServer({
    api: { ...args.options, logger },
    port: args.port,
    host: args.host,
    defaultModel: args.defaultModel,
    graceMs: SHUTDOWN_GRACE_MS,
  });
  await new Promise<void>((resolve) => {
    stop = () => {
      logger.info(`${signal} received: shutting down (at most ${SHUTDOWN_LIMIT_MS / 1000} s)`);
      setTimeout(() => {
        logger.error(`shutdown took over ${SHUTDOWN_LIMIT_MS / 1000} s: exiting now`);
        process.exit(1);
      }, SHUTDOWN_LIMIT_MS).unref();
      void server.close().then(resolve, (e: unknown) => {
        logger.error('shutdown failed', { err: e });
        process.exit(1);
      });
    };
    if (signal) stop();
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof SqliteUnavailableError) {
      process.stderr.write(`mnist-api: ${e.message}\n`);
      process.exit(1);
    }
    if (e instanceof UsageError) {
      process.stderr.write(`mnist-api: ${e.message}\nRun with --help for the flags.\n`);
      process.exit(2);
    }
    if (e instanceof DataDirInUseError) {
      process.stderr.write(`mnist-api: ${e.message}\n`);
      process.exit(EXIT_DATA_DIR_IN_USE);
    }
    if (e instanceof StartupError) {
      process.stderr.write(`mnist-api: ${e.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`mnist-api: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
