/**
 * One server per data folder. The owner holds an OS lock on `<data-dir>/mnist-api.lock` for its
 * whole life: a POSIX record lock (fcntl) that SQLite's unix VFS takes when a connection in
 * `locking_mode = EXCLUSIVE` writes. The kernel arbitrates it, so two servers can never both hold
 * it, and it releases it when the owner's process ends in any way (even SIGKILL): a dead owner
 * leaves no lock to clean up, and its successor cannot race another one for it. (Lock files made
 * with O_EXCL, or proper-lockfile's mkdir and mtime, need a staleness guess and a takeover that
 * can race; a lock the kernel drops with the process needs neither.)
 *
 * Beside it, `mnist-api.owner.json` names the owner (pid, host, port, since) so that a refused
 * second server can say who has the folder. It is written only while the lock is held.
 */

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { type Db, openSqlite } from '../db/database.js';
import type { DataDir } from './paths.js';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** null until the server listens. */
  readonly port: number | null;
  readonly since: string;
}

/** The data folder is owned by another running server. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | null,
  ) {
    const who = owner
      ? `pid ${owner.pid} on ${owner.host}${owner.port === null ? ', starting' : `, port ${owner.port}`}, since ${owner.since}`
      : 'a process that has not yet written its pid';
    super(
      `the data folder ${dataDir} is in use by another mnist-api (${who}); stop that server, or pass --data-dir <another folder>`,
    );
  }
}

const readOwner = (path: string): LockOwner | null => {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string'
      ? { pid: o.pid, host: o.host, port: o.port ?? null, since: String(o.since) }
      : null;
  } catch {
    return null;
  }
};

/** Whether process `pid` runs on this host (EPERM: it runs as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirLock {
  private owner: LockOwner;
  private released = false;

  private constructor(
    private readonly dir: DataDir,
    private readonly db: Db,
    /** The owner before us, when it died without releasing (only its owner file remained). */
    readonly previous: LockOwner | null,
  ) {
    this.owner = {
      pid: process.pid,
      host: hostname(),
      port: null,
      since: new Date().toISOString(),
    };
    this.write();
  }

  /** Takes the folder, or throws DataDirInUseError (having changed nothing in it). */
  static acquire(dir: DataDir): DataDirLock {
    mkdirSync(dir.root, { recursive: true });
    const db = openSqlite(dir.lock, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      // The first write takes the exclusive lock; in this locking mode it is kept until close.
      db.exec(
        'BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (held INTEGER); DELETE FROM lock; INSERT INTO lock VALUES (1); COMMIT;',
      );
    } catch (e) {
      db.close();
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY'))
        throw new DataDirInUseError(dir.root, readOwner(dir.owner));
      throw e;
    }
    return new DataDirLock(dir, db, readOwner(dir.owner));
  }

  /** Records the port once the server listens. */
  setPort(port: number): void {
    this.owner = { ...this.owner, port };
    this.write();
  }

  /** Gives the folder up (the kernel would at exit anyway). */
  release(): void {
    if (this.released) return;
    this.released = true;
    rmSync(this.dir.owner, { force: true }); // left behind, it tells the next owner we crashed
    this.db.close();
  }

  private write(): void {
    const tmp = `${this.dir.owner}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.owner)}\n`);
    renameSync(tmp, this.dir.owner);
  }
}
