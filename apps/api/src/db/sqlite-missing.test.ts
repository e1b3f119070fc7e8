import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { loadSqlite, SQLITE_HELP, SqliteUnavailableError } from './database.js';

const SERVER_JS = fileURLToPath(new URL('../../dist/server.js', import.meta.url));
const WITHOUT_SQLITE = fileURLToPath(
  new URL('../../test/fixtures/without-sqlite.mjs', import.meta.url),
);

describe('without better-sqlite3', () => {
  it('says what is missing and how to get it, in one line', async () => {
    const e = await loadSqlite('better-sqlite3-that-is-not-installed');
    expect(e).toBeInstanceOf(SqliteUnavailableError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      /^the API needs better-sqlite3, which is not installed or did not build/,
    );
    expect(message).toContain("Cannot find package 'better-sqlite3-that-is-not-installed'");
    expect(message.endsWith(SQLITE_HELP)).toBe(true);
    expect(SQLITE_HELP).toContain('python3, make and g++');
  });

  it('loads it when it is there', async () => {
    expect(await loadSqlite()).not.toBeInstanceOf(Error);
  });

  it('`mnist-api` exits 1 with that one line on stderr and nothing else', () => {
    if (!existsSync(SERVER_JS))
      throw new Error(`${SERVER_JS} is missing: run \`pnpm --filter @mnist/api build\` first`);
    const dir = tempDir();
    try {
      const r = spawnSync(
        process.execPath,
        ['--import', WITHOUT_SQLITE, SERVER_JS, '--port', '0', '--data-dir', dir.path],
        { encoding: 'utf8', timeout: 150_000 },
      );
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n');
      expect(lines).toHaveLength(2); // one line and its newline
      expect(lines[0]).toMatch(
        /^mnist-api: the API needs better-sqlite3, which is not installed or did not build on this machine \(Cannot find package 'better-sqlite3'.*\); install python3, make and g\+\+/,
      );
      expect(lines[1]).toBe('');
    } finally {
      dir.remove();
    }
  }, 180_000);
});
