// The HTTP API: KServe V2 serving, training jobs with live events, a model registry.
export { type Api, createApp } from './app.js';
export { HELP, parseServerArgs, type ServerArgs, UsageError } from './cli.js';
export { type ApiConfig, type ApiOptions, defaultDataDir, resolveApiConfig } from './config.js';
export { JOB_STATUSES, type JobStatus } from './db/jobs.js';
export { type JobView, jobView } from './jobs/view.js';
export { createLogger, type Logger, type LogLevel, silentLogger } from './log.js';
export {
  type FieldError,
  PROBLEMS,
  type ProblemBody,
  ProblemError,
  type ProblemSlug,
} from './problem.js';
export { ensureDefaultModel, type RunningServer, type ServeOptions, startServer } from './serve.js';
