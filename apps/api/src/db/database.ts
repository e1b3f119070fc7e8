/**
 * The embedded database (SQLite through better-sqlite3): training jobs, their metric history and
 * the model registry. WAL journal with `synchronous = FULL`, so a committed row survives a crash
 * or a power cut; the schema is migrated forward with `PRAGMA user_version`.
 */
import type BetterSqlite3 from 'better-sqlite3';

export type Db = BetterSqlite3.Database;

/** What to do when better-sqlite3 cannot load: one line, for people who only train and watch. */
export const SQLITE_HELP =
  'install python3, make and g++ (Debian/Ubuntu: apt-get install -y python3 make g++), then run `pnpm install` (or `pnpm rebuild better-sqlite3`); training and the dashboard do not need it';

/** The API cannot store anything: better-sqlite3 (an optional, native dependency) did not load. */
export class SqliteUnavailableError extends Error {
  override readonly name = 'SqliteUnavailableError';
  constructor(reason: string) {
    super(
      `the API needs better-sqlite3, which is not installed or did not build on this machine (${reason}); ${SQLITE_HELP}`,
    );
  }
}

const firstLine = (e: unknown) =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 160);

/**
 * better-sqlite3's Database class, or why it cannot load. Loaded here rather than imported at the
 * top of the module graph, so that `@mnist/api` itself imports without it (the error comes when a
 * database is opened) and a failed native build stops nothing but the API.
 */
export async function loadSqlite(
  specifier = 'better-sqlite3',
): Promise<typeof BetterSqlite3 | SqliteUnavailableError> {
  try {
    const Database = ((await import(specifier)) as { default: typeof BetterSqlite3 }).default;
    new Database(':memory:').close(); // loads the native addon, the part that may be missing
    return Database;
  } catch (e) {
    return new SqliteUnavailableError(firstLine(e));
  }
}

const sqlite = await loadSqlite();

/** Each entry moves the schema from version i to i + 1. Never edit one that shipped; add another. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted')),
    model_name  TEXT NOT NULL,
    config      TEXT NOT NULL,            -- TrainConfig JSON
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    model_id    TEXT,                     -- the model it registered, if any
    error       TEXT,
    progress    TEXT,                     -- latest progress event JSON
    result      TEXT                      -- TrainResultSummary JSON of a finished run
  );
  CREATE INDEX jobs_by_status ON jobs (status, created_at);

  CREATE TABLE job_metrics (
    job_id              TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step                INTEGER NOT NULL,
    epoch               INTEGER NOT NULL,
    elapsed_ms          REAL NOT NULL,
    train_loss          REAL,
    train_accuracy      REAL,
    test_loss           REAL,
    test_accuracy       REAL,
    validation_loss     REAL,
    validation_accuracy REAL,
    at                  TEXT NOT NULL,
    PRIMARY KEY (job_id, step)
  );

  CREATE TABLE model_names (
    name         TEXT PRIMARY KEY,
    last_version INTEGER NOT NULL          -- versions are never reused, even after a delete
  );

  CREATE TABLE models (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL REFERENCES model_names (name),
    version        INTEGER NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('training', 'upload')),
    job_id         TEXT REFERENCES jobs (id) ON DELETE SET NULL,
    hidden         INTEGER NOT NULL,
    config         TEXT NOT NULL,          -- hyperparameters JSON
    train_accuracy REAL,
    test_accuracy  REAL,
    bytes          INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (name, version)
  );
  `,
  `
  -- A job's event history (GET /v1/trainings/{id}/history): the SSE data of every event but
  -- most progress (thinned to at most ~1000), under its SSE event id.
  CREATE TABLE job_events (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    id     INTEGER NOT NULL,
    type   TEXT NOT NULL,
    data   TEXT NOT NULL,
    PRIMARY KEY (job_id, id)
  );
  `,
];

/** The schema version this code expects. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** A bare SQLite connection (SqliteUnavailableError when better-sqlite3 did not load). */
export function openSqlite(path: string, options?: BetterSqlite3.Options): Db {
  if (sqlite instanceof Error) throw sqlite;
  return new sqlite(path, options);
}

/** Opens (creating if needed) and migrates the database at `path` (`:memory:` works). */
export function openDatabase(path: string): Db {
  const db = openSqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `${path}: database schema version ${current} is newer than this server's (${SCHEMA_VERSION}); upgrade the server`,
    );
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
