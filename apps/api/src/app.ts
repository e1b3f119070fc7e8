/**
 * The app: storage, jobs and routes wired together. `createApp` takes the data directory's lock
 * (or throws DataDirInUseError, having changed nothing), opens it and returns the Hono app, ready
 * for `app.request()` in tests or `serve()` in `server.ts`. `start()`, called once the server
 * listens, sweeps what a crash left and recovers the jobs a previous process left behind.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { type ApiConfig, type ApiOptions, resolveApiConfig } from './config.js';
import { type Db, openDatabase } from './db/database.js';
import type { AppEnv } from './env.js';
import { requireToken } from './http/auth.js';
import { bodyProblem, boundedJson } from './http/json-body.js';
import { apiCsp, bodyLimits, observe } from './http/middleware.js';
import { JobManager } from './jobs/manager.js';
import { type ApiMetrics, createApiMetrics } from './metrics/api.js';
import { PROBLEMS, ProblemError, type ProblemSlug, problemResponse } from './problem.js';
import { evaluationRoutes } from './routes/evaluation.js';
import { kserveRoutes } from './routes/kserve.js';
import { modelRoutes } from './routes/models.js';
import { onnxRoutes } from './routes/onnx.js';
import { opsRoutes } from './routes/ops.js';
import { pngRoutes } from './routes/png.js';
import { trainingRoutes } from './routes/trainings.js';
import { webRoutes } from './routes/web.js';
import type { Services } from './services.js';
import { OpenStreams } from './sse/stream.js';
import { DataDirLock } from './store/lock.js';
import { DataDir } from './store/paths.js';
import { ModelRegistry } from './store/registry.js';

/** The running API: the Hono app and what it is made of. */
export interface Api {
  readonly app: OpenAPIHono<AppEnv>;
  readonly config: ApiConfig;
  readonly db: Db;
  readonly registry: ModelRegistry;
  readonly jobs: JobManager;
  readonly streams: OpenStreams;
  readonly metrics: ApiMetrics;
  /** The data folder's lock, held until `close()`. */
  readonly lock: DataDirLock;
  /**
   * Once the port is bound (null: no port, as in tests): records it in the lock's owner file,
   * removes files a crash left and marks jobs the previous process left running interrupted.
   */
  start(port: number | null): void;
  /** Turns `/v2/health/ready` to 503 and refuses new jobs: the first step of a shutdown. */
  drain(): void;
  /** Interrupts running jobs (marked `interrupted`) and ends every event stream. */
  stop(): Promise<void>;
  /** `stop()`, then closes the database. */
  close(): Promise<void>;
}

/** Paths that stay open when reads require the token: health, docs, the document and the page. */
const OPEN_PATHS =
  /^\/(|app\/[^/]+|v2\/health\/(live|ready)|openapi\.json|docs(\/.*)?|problems\/[a-z-]+)$/;

const slugOf = (status: number): ProblemSlug =>
  (Object.keys(PROBLEMS) as ProblemSlug[]).find(
    (k) => PROBLEMS[k].status === status && k !== 'queue-full',
  ) ?? (status >= 500 ? 'internal' : 'invalid-request');

/**
 * Opens the API over a data directory.
 *
 * @example
 * const api = createApp({ dataDir: '/tmp/mnist-api', token: 'secret' });
 * const res = await api.app.request('/v2/health/live');   // 200 {"live":true}
 * await api.close();
 */
export function createApp(options: ApiOptions = {}): Api {
  const config = resolveApiConfig(options);
  const logger = config.logger;
  const dir = new DataDir(config.dataDir);
  const lock = DataDirLock.acquire(dir); // nothing in the folder is touched before this
  let db: Db;
  try {
    dir.ensure();
    db = openDatabase(dir.database);
  } catch (e) {
    lock.release();
    throw e;
  }
  const registry = new ModelRegistry(db, dir, logger);
  const jobs = new JobManager({
    db,
    registry,
    logger,
    maxJobs: config.maxJobs,
    maxQueue: config.maxQueue,
    historySize: config.historySize,
    progressIntervalMs: config.progressIntervalMs,
    ...(config.mnistDir ? { mnistDir: config.mnistDir } : {}),
    snapshotFile: (id) => dir.snapshotFile(id),
  });
  const streams = new OpenStreams();
  const metrics = createApiMetrics({ jobs, registry, streams });
  const state = { draining: false };
  const guard = requireToken(config.token);
  const services: Services = { config, registry, jobs, streams, metrics, state, guard };

  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestId());
  app.use('*', observe(metrics, logger, config.logRequests));
  app.use(
    '*',
    secureHeaders({
      strictTransportSecurity: false,
      crossOriginResourcePolicy: config.cors.length ? 'cross-origin' : 'same-origin',
    }),
  );
  app.use('*', apiCsp());
  if (config.cors.length) {
    app.use(
      '*',
      cors({
        origin: config.cors.includes('*') ? '*' : [...config.cors],
        allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'X-Request-Id'],
        exposeHeaders: ['Location', 'X-Request-Id', 'Retry-After'],
        maxAge: 600,
      }),
    );
  }
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(
          c,
          new ProblemError(
            'method-not-allowed',
            `${c.req.method} is not allowed on ${c.req.path}; allowed: ${methods.join(', ')}`,
            { headers: { allow: methods.join(', ') } },
          ),
        ),
    }),
  );
  app.use('*', bodyLimits(config.bodyLimit, config.uploadLimit));
  app.use('*', boundedJson());
  if (config.authReads)
    app.use('*', async (c, next) =>
      OPEN_PATHS.test(c.req.path) || c.req.method === 'OPTIONS' ? next() : guard(c, next),
    );

  app.route('/', pngRoutes(services)); // image/png bodies of the prediction routes
  app.route('/', kserveRoutes(services));
  app.route('/', trainingRoutes(services));
  app.route('/', modelRoutes(services));
  app.route('/', onnxRoutes(services));
  app.route('/', opsRoutes(services, app));
  app.route('/', evaluationRoutes(services));
  app.route('/', webRoutes());

  app.notFound((c) =>
    problemResponse(
      c,
      new ProblemError(
        'not-found',
        `no route ${c.req.method} ${c.req.path}; the routes are listed at /openapi.json`,
      ),
    ),
  );
  app.onError(async (err, c) => {
    if (err instanceof ProblemError) return problemResponse(c, err);
    if (err instanceof HTTPException) {
      // The validator rewords what reading the JSON body met (json-body.ts): answer the original.
      const body = bodyProblem(c);
      if (body) return problemResponse(c, body);
      if (err.status === 415) {
        const got = c.req.header('content-type');
        return problemResponse(
          c,
          new ProblemError(
            'unsupported-media-type',
            `expected Content-Type application/json, got ${got ?? 'none'}`,
          ),
        );
      }
      if (err.status === 400 && /json/i.test(err.message)) {
        let reason = 'it could not be parsed';
        try {
          JSON.parse(await c.req.text());
        } catch (e) {
          reason = (e as Error).message;
        }
        return problemResponse(
          c,
          new ProblemError('malformed-json', `the body is not valid JSON: ${reason}`),
        );
      }
      if (err.status === 413)
        return problemResponse(
          c,
          new ProblemError('payload-too-large', 'the body is larger than the limit'),
        );
      return problemResponse(c, new ProblemError(slugOf(err.status), err.message));
    }
    logger.error('unhandled error', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      err,
    });
    return problemResponse(
      c,
      new ProblemError(
        'internal',
        `internal error; the server log has the details under request id ${c.get('requestId')}`,
      ),
    );
  });

  let stopping: Promise<void> | null = null;
  let closing: Promise<void> | null = null;
  const api: Api = {
    app,
    config,
    db,
    registry,
    jobs,
    streams,
    metrics,
    lock,
    start(port) {
      if (port !== null) lock.setPort(port);
      const was = lock.previous;
      if (was && was.pid !== process.pid)
        logger.warn('took over the data folder from a server that ended without closing', {
          pid: was.pid,
          host: was.host,
          since: was.since,
        });
      registry.reconcile();
      jobs.recover();
    },
    drain() {
      state.draining = true;
    },
    stop() {
      stopping ??= (async () => {
        state.draining = true;
        await jobs.shutdown();
        streams.closeAll();
      })();
      return stopping;
    },
    close() {
      closing ??= (async () => {
        await api.stop();
        metrics.close();
        db.close();
        lock.release();
      })();
      return closing;
    },
  };
  return api;
}
