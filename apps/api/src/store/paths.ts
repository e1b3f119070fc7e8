/**
 * The data directory and the names that may touch it. Ids are generated here and checked against
 * one pattern before any path is built from them, and every path is verified to stay inside the
 * directory: a model id or name can never reach outside it.
 *
 *   <dataDir>/
 *     .gitignore          `*`: the folder never ends up in a commit
 *     mnist-api.lock      held (an OS lock) by the one server that owns the folder
 *     mnist-api.owner.json  that server's pid, host and port
 *     mnist-api.db        SQLite (plus -wal and -shm beside it)
 *     models/<id>.safetensors
 *     snapshots/<job id>.safetensors   the last weights of a job the server interrupted
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** Model names: lower-case letters, digits and dashes, starting with a letter or digit. */
export const MODEL_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const MODEL_NAME_RULE =
  'a name of 1–63 lower-case letters, digits or dashes, starting with a letter or digit';

/** Ids: a prefix, an underscore, 20 base-32 characters (time, then randomness). Names have no `_`. */
export const JOB_ID = /^job_[0-9a-z]{20}$/;
export const MODEL_ID = /^mdl_[0-9a-z]{20}$/;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A new id: 10 characters of milliseconds (so ids sort by creation), 10 of randomness. */
export function newId(prefix: 'job' | 'mdl', now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b % 32]!;
  return `${prefix}_${time}${rand}`;
}

/** Where things live in a data directory. */
export class DataDir {
  readonly root: string;
  readonly models: string;
  readonly snapshots: string;
  readonly database: string;
  readonly lock: string;
  readonly owner: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.lock = join(this.root, 'mnist-api.lock');
    this.owner = join(this.root, 'mnist-api.owner.json');
    this.models = join(this.root, 'models');
    this.snapshots = join(this.root, 'snapshots');
    this.database = join(this.root, 'mnist-api.db');
  }

  /** Creates the folders (and a `.gitignore` of `*`) if missing. */
  ensure(): void {
    mkdirSync(this.models, { recursive: true });
    mkdirSync(this.snapshots, { recursive: true });
    const ignore = join(this.root, '.gitignore');
    if (!existsSync(ignore))
      writeFileSync(ignore, '# created by mnist-api: keep this data out of git\n*\n');
  }

  /** The weights file of model `id`; throws if `id` is not a model id (never builds a path from one). */
  modelFile(id: string): string {
    if (!MODEL_ID.test(id))
      throw new RangeError(`modelFile: expected a model id like mdl_…, got ${JSON.stringify(id)}`);
    const path = join(this.models, `${id}.safetensors`);
    if (!path.startsWith(this.models + sep))
      throw new RangeError(`modelFile: ${JSON.stringify(id)} leaves the models folder`);
    return path;
  }

  /** The saved last weights of job `id`; throws if `id` is not a job id. */
  snapshotFile(id: string): string {
    if (!JOB_ID.test(id))
      throw new RangeError(`snapshotFile: expected a job id like job_…, got ${JSON.stringify(id)}`);
    return join(this.snapshots, `${id}.safetensors`);
  }
}
