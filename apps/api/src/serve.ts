/**
 * The API on a real HTTP server, with the default model and a graceful shutdown: ready turns 503,
 * running jobs are marked interrupted, event streams end, in-flight requests finish (up to a
 * grace period), then the database closes.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { resolveConfig } from '@mnist/net';
import { type Api, createApp } from './app.js';
import type { ApiOptions } from './config.js';
import { lingerOnClose } from './http/linger.js';

export interface ServeOptions {
  readonly api: ApiOptions;
  /** @default 3000 (0: any free port) */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** Train the `fast` preset when there is no model at all. @default true */
  readonly defaultModel?: boolean;
  /** Longest wait for in-flight requests at shutdown before connections are cut. @default 10000 */
  readonly graceMs?: number;
}

export interface RunningServer {
  readonly api: Api;
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  /** Graceful shutdown (idempotent). */
  close(): Promise<void>;
}

/** With no model at all, queues a training run of the `fast` preset under the default name. */
export function ensureDefaultModel(api: Api, baseUrl: string): string | null {
  const { logger, modelName, trainThreads } = api.config;
  if (api.registry.size() > 0) return null;
  const pending = api.jobs.pendingFor(modelName);
  if (pending) {
    logger.info(
      `no model yet: waiting for training job ${pending.id} to register "${modelName}"; /v2/health/ready answers 503 until then`,
      { job: pending.id },
    );
    return pending.id;
  }
  const job = api.jobs.submit(resolveConfig({ preset: 'fast', threads: trainThreads }), modelName);
  logger.info(
    `no model yet: training the default model "${modelName}" (preset fast, 60,000 images, a few seconds) in the background; /v2/health/ready answers 503 until it is registered. Watch: curl -N ${baseUrl}/v1/trainings/${job.id}/events`,
    { job: job.id },
  );
  return job.id;
}

/** A start-up failure the operator can fix; its message is one line saying how. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** The one line for a failed listen: which port, and the way out. */
export function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  if (e.code === 'EADDRINUSE')
    return new StartupError(
      `port ${port} on ${host} is already in use (another server?); stop it, or pass --port <n> (MNIST_API_PORT; 0 picks a free port)`,
    );
  if (e.code === 'EACCES')
    return new StartupError(
      `not allowed to listen on ${where} (ports below 1024 need privileges); pass --port <n> above 1023`,
    );
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
    return new StartupError(
      `cannot listen on ${where}: ${host} is not an address of this machine; pass --host <address>`,
    );
  return e;
}

/**
 * Starts the server: takes the data folder (DataDirInUseError if another server has it), binds
 * the port (StartupError if it cannot), and only then recovers what a previous process left.
 */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const api = createApp(o.api);
  const host = o.host ?? '127.0.0.1';
  const wanted = o.port ?? 3000;
  const server = serve({ fetch: api.app.fetch, port: wanted, hostname: host });
  lingerOnClose(server as Server);
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve();
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (e: NodeJS.ErrnoException) => {
    await api.close();
    throw listenError(e, host, wanted);
  });
  const port = (server.address() as AddressInfo).port;
  api.start(port);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  api.config.logger.info('listening', {
    url,
    page: `${url}/`, // the web page (apps/web): draw a digit, watch training
    dataDir: api.config.dataDir,
    auth: api.config.token ? 'token' : 'open',
    maxJobs: api.config.maxJobs,
  });
  if (o.defaultModel ?? true) ensureDefaultModel(api, url);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const { logger } = api.config;
      logger.info('shutting down: ready is now 503; finishing in-flight requests');
      api.drain();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await api.stop(); // interrupts jobs, ends event streams (server.close waits for them otherwise)
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      const grace = setTimeout(() => {
        logger.warn('grace period over: closing the remaining connections');
        if ('closeAllConnections' in server) server.closeAllConnections();
      }, o.graceMs ?? 10_000);
      grace.unref();
      await closed;
      clearTimeout(grace);
      await api.close();
      logger.info('stopped');
    })();
    return closing;
  };
  return { api, url, port, close };
}
