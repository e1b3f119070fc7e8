/** The models table: what the registry knows about each stored model. */
import type { Db } from './database.js';

export type ModelSource = 'training' | 'upload';

export interface ModelRow {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly source: ModelSource;
  readonly jobId: string | null;
  readonly hidden: number;
  readonly config: Record<string, unknown>;
  readonly trainAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly bytes: number;
  readonly sha256: string;
  readonly createdAt: string;
}

interface Raw {
  id: string;
  name: string;
  version: number;
  source: ModelSource;
  job_id: string | null;
  hidden: number;
  config: string;
  train_accuracy: number | null;
  test_accuracy: number | null;
  bytes: number;
  sha256: string;
  created_at: string;
}

const fromRaw = (r: Raw): ModelRow => ({
  id: r.id,
  name: r.name,
  version: r.version,
  source: r.source,
  jobId: r.job_id,
  hidden: r.hidden,
  config: JSON.parse(r.config) as Record<string, unknown>,
  trainAccuracy: r.train_accuracy,
  testAccuracy: r.test_accuracy,
  bytes: r.bytes,
  sha256: r.sha256,
  createdAt: r.created_at,
});

export type NewModel = Omit<ModelRow, 'version'>;

/** Prepared statements over `models` and `model_names`. */
export class ModelTable {
  private readonly byId;
  private readonly latestByName;
  private readonly byNameVersion;
  private readonly all;
  private readonly allByName;
  private readonly names;
  private readonly count;
  private readonly bumpVersion;
  private readonly insertRow;
  private readonly deleteRow;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[string], Raw>('SELECT * FROM models WHERE id = ?');
    this.latestByName = db.prepare<[string], Raw>(
      'SELECT * FROM models WHERE name = ? ORDER BY version DESC LIMIT 1',
    );
    this.byNameVersion = db.prepare<[string, number], Raw>(
      'SELECT * FROM models WHERE name = ? AND version = ?',
    );
    this.all = db.prepare<[number], Raw>(
      'SELECT * FROM models ORDER BY created_at DESC, id DESC LIMIT ?',
    );
    this.allByName = db.prepare<[string, number], Raw>(
      'SELECT * FROM models WHERE name = ? ORDER BY version DESC LIMIT ?',
    );
    this.names = db.prepare<[], { name: string }>('SELECT DISTINCT name FROM models ORDER BY name');
    this.count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM models');
    this.bumpVersion = db.prepare<[string], { last_version: number }>(
      'INSERT INTO model_names (name, last_version) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET last_version = last_version + 1 RETURNING last_version',
    );
    this.insertRow = db.prepare(
      `INSERT INTO models (id, name, version, source, job_id, hidden, config, train_accuracy, test_accuracy, bytes, sha256, created_at)
       VALUES (@id, @name, @version, @source, @job_id, @hidden, @config, @train_accuracy, @test_accuracy, @bytes, @sha256, @created_at)`,
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM models WHERE id = ?');
  }

  get(id: string): ModelRow | null {
    const r = this.byId.get(id);
    return r ? fromRaw(r) : null;
  }

  latest(name: string): ModelRow | null {
    const r = this.latestByName.get(name);
    return r ? fromRaw(r) : null;
  }

  version(name: string, version: number): ModelRow | null {
    const r = this.byNameVersion.get(name, version);
    return r ? fromRaw(r) : null;
  }

  list(options: { name?: string; limit: number }): ModelRow[] {
    const rows =
      options.name === undefined
        ? this.all.all(options.limit)
        : this.allByName.all(options.name, options.limit);
    return rows.map(fromRaw);
  }

  /** Names with at least one model. */
  modelNames(): string[] {
    return this.names.all().map((r) => r.name);
  }

  size(): number {
    return this.count.get()!.n;
  }

  /** Inserts a model under the next version of its name (never a reused one), in one transaction. */
  insert(m: NewModel): ModelRow {
    return this.db.transaction(() => {
      const version = this.bumpVersion.get(m.name)!.last_version;
      this.insertRow.run({
        id: m.id,
        name: m.name,
        version,
        source: m.source,
        job_id: m.jobId,
        hidden: m.hidden,
        config: JSON.stringify(m.config),
        train_accuracy: m.trainAccuracy,
        test_accuracy: m.testAccuracy,
        bytes: m.bytes,
        sha256: m.sha256,
        created_at: m.createdAt,
      });
      return { ...m, version };
    })();
  }

  /** Deletes a row; true if there was one. */
  delete(id: string): boolean {
    return this.deleteRow.run(id).changes > 0;
  }
}
