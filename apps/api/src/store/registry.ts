/**
 * The model registry: rows in SQLite, weights as safetensors files written atomically. A model's
 * file is written (and fsynced) before its row is committed, and its row is deleted before its
 * file, so a row always has a whole file; a file left without a row by a crash is swept at start.
 *
 * Models are immutable: a new training run registers a new id and version. Predictions read a
 * loaded snapshot (`load`) that nothing ever writes to, so publishing a version never tears one.
 */
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Model, modelFromBytes, modelToBytes, writeFileAtomic } from '@mnist/net';
import type { Db } from '../db/database.js';
import { type ModelRow, type ModelSource, ModelTable } from '../db/models.js';
import type { Logger } from '../log.js';
import { ProblemError } from '../problem.js';
import { type DataDir, MODEL_ID, newId } from './paths.js';

export interface RegisterInfo {
  readonly name: string;
  readonly source: ModelSource;
  readonly jobId: string | null;
}

export class ModelRegistry {
  readonly table: ModelTable;
  /** Loaded snapshots by id, least recently used first. */
  private readonly cache = new Map<string, Promise<Model>>();
  /** The latest version of each name (every change goes through this class, which clears it). */
  private readonly latest = new Map<string, ModelRow | null>();
  /** Models whose weights file is missing or corrupt, with why (each is logged once). */
  private readonly broken = new Map<string, string>();

  constructor(
    db: Db,
    private readonly dir: DataDir,
    private readonly logger: Logger,
    private readonly cacheSize = 32,
  ) {
    this.table = new ModelTable(db);
  }

  /**
   * Start-up check: deletes temp files and weights without a row (a crash between the two
   * writes); logs rows whose file is gone (someone deleted it by hand). Returns what it found.
   */
  reconcile(): { removed: string[]; missing: string[] } {
    const removed: string[] = [];
    for (const name of readdirSync(this.dir.models)) {
      const id = name.replace(/\.safetensors$/, '');
      const orphan = name.endsWith('.tmp') || !MODEL_ID.test(id) || this.table.get(id) === null;
      if (orphan && statSync(join(this.dir.models, name)).isFile()) {
        rmSync(join(this.dir.models, name), { force: true });
        removed.push(name);
      }
    }
    if (removed.length)
      this.logger.warn('removed files that belong to no model (left by an interrupted write)', {
        files: removed,
      });
    const missing = this.table
      .list({ limit: 1_000_000 })
      .filter((row) => {
        try {
          return !statSync(this.dir.modelFile(row.id)).isFile();
        } catch {
          return true;
        }
      })
      .map((row) => row.id);
    if (missing.length)
      this.logger.error('models whose weights file is missing; they cannot serve', {
        models: missing,
      });
    return { removed, missing };
  }

  /** Stores `model` as the next version of `info.name`. */
  async register(model: Model, info: RegisterInfo): Promise<ModelRow> {
    const bytes = modelToBytes(model);
    const stored = modelFromBytes(bytes, 'registered model'); // what will be served is what is on disk
    const id = newId('mdl');
    const path = this.dir.modelFile(id);
    await writeFileAtomic(path, bytes);
    let row: ModelRow;
    try {
      row = this.table.insert({
        id,
        name: info.name,
        source: info.source,
        jobId: info.jobId,
        hidden: stored.meta.hidden,
        config: stored.meta.config as Record<string, unknown>,
        trainAccuracy: finiteOrNull(stored.meta.trainAccuracy),
        testAccuracy: finiteOrNull(stored.meta.testAccuracy),
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        createdAt: new Date().toISOString(),
      });
    } catch (e) {
      await rm(path, { force: true });
      throw e;
    }
    this.remember(id, Promise.resolve(stored));
    this.latest.clear();
    this.logger.info('model registered', {
      model: id,
      name: row.name,
      version: row.version,
      source: row.source,
      job: row.jobId,
    });
    return row;
  }

  /** A model by id, or the latest version of a name. */
  resolve(ref: string): ModelRow | null {
    if (MODEL_ID.test(ref)) return this.table.get(ref);
    let row = this.latest.get(ref);
    if (row === undefined) {
      row = this.table.latest(ref);
      if (this.latest.size > 1000) this.latest.clear();
      this.latest.set(ref, row);
    }
    return row;
  }

  /** The immutable snapshot of a model's weights (read once, then cached). */
  load(row: ModelRow): Promise<Model> {
    const cached = this.cache.get(row.id);
    if (cached) {
      this.remember(row.id, cached);
      return cached;
    }
    const loading = this.bytes(row).then((bytes) => {
      try {
        return modelFromBytes(bytes, `${row.id}.safetensors`);
      } catch (e) {
        throw this.unusable(row, e);
      }
    });
    loading.catch(() => this.cache.delete(row.id));
    this.remember(row.id, loading);
    return loading;
  }

  /**
   * The stored safetensors bytes, checked against the registry's size and SHA-256. A missing or
   * corrupt file is a 503 problem naming the model (logged once), never a 500.
   */
  async bytes(row: ModelRow): Promise<Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.dir.modelFile(row.id));
    } catch (e) {
      throw this.unusable(row, e);
    }
    if (
      bytes.length !== row.bytes ||
      createHash('sha256').update(bytes).digest('hex') !== row.sha256
    )
      throw this.unusable(
        row,
        new Error(
          `its weights file is corrupt: ${bytes.length} bytes whose SHA-256 does not match the ${row.bytes} bytes registered`,
        ),
      );
    this.broken.delete(row.id);
    return bytes;
  }

  /** The 503 for a model whose weights cannot be read; logs the first time. */
  private unusable(row: ModelRow, e: unknown): ProblemError {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'its weights file is missing'
        : err.code
          ? `its weights file cannot be read (${err.code})`
          : err.message.startsWith('its ')
            ? err.message
            : `its weights file is corrupt: ${err.message}`;
    if (this.broken.get(row.id) !== why) {
      this.broken.set(row.id, why);
      this.logger.error('a model cannot serve', {
        model: row.id,
        name: row.name,
        version: row.version,
        file: this.dir.modelFile(row.id),
        reason: why,
      });
    }
    return new ProblemError(
      'not-ready',
      `model ${row.name} version ${row.version} (${row.id}) is not ready: ${why}; upload it again or delete it`,
      { fields: { ready: false } },
    );
  }

  /** Deletes a model (row first, then file); false if there was none. */
  async delete(id: string): Promise<boolean> {
    if (!MODEL_ID.test(id) || !this.table.delete(id)) return false;
    this.cache.delete(id);
    this.broken.delete(id);
    this.latest.clear();
    await rm(this.dir.modelFile(id), { force: true });
    this.logger.info('model deleted', { model: id });
    return true;
  }

  size(): number {
    return this.table.size();
  }

  private remember(id: string, model: Promise<Model>): void {
    this.cache.delete(id);
    this.cache.set(id, model);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}

const finiteOrNull = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);
