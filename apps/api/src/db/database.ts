/**
 * The embedded database (SQLite through better-sqlite3): training jobs, their metric history and
 * the model registry. WAL journal with `synchronous = FULL`, so a committed row survives a crash
 * or a power cut; the schema is migrated forward with `PRAGMA user_version`.
 */
import Database from 'better-sqlite3';

export type Db = Database.Database;

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

/** Opens (creating if needed) and migrates the database at `path` (`:memory:` works). */
export function openDatabase(path: string): Db {
  const db = new Database(path);
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
