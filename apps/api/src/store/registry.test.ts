import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { randomModel, tempDir } from '../../test/helpers.js';
import { openDatabase } from '../db/database.js';
import { silentLogger } from '../log.js';
import { DataDir, MODEL_ID, newId } from './paths.js';
import { ModelRegistry } from './registry.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function registry() {
  const tmp = tempDir();
  dirs.push(tmp);
  const dir = new DataDir(tmp.path);
  dir.ensure();
  return { dir, registry: new ModelRegistry(openDatabase(dir.database), dir, silentLogger) };
}

describe('paths', () => {
  it('makes sortable ids that match the pattern', () => {
    const a = newId('mdl', 1_000);
    const b = newId('mdl', 2_000);
    expect(a).toMatch(MODEL_ID);
    expect(a.slice(0, 14) < b.slice(0, 14)).toBe(true);
  });

  it('never builds a path from something that is not an id', () => {
    const dir = new DataDir('/data');
    for (const bad of ['../etc/passwd', 'mdl_../../x', 'mnist', 'mdl_AAAAAAAAAAAAAAAAAAAA', ''])
      expect(() => dir.modelFile(bad)).toThrow(RangeError);
    expect(dir.modelFile('mdl_0123456789abcdefghjk')).toBe(
      '/data/models/mdl_0123456789abcdefghjk.safetensors',
    );
  });

  it('writes a .gitignore into the data directory', () => {
    const { dir } = registry();
    expect(existsSync(join(dir.root, '.gitignore'))).toBe(true);
  });
});

describe('ModelRegistry', () => {
  it('stores, resolves, loads and deletes models', async () => {
    const { registry: r, dir } = registry();
    const row = await r.register(randomModel(10, 1), {
      name: 'mnist',
      source: 'upload',
      jobId: null,
    });
    expect(row).toMatchObject({ name: 'mnist', version: 1, hidden: 10, trainAccuracy: 0.5 });
    expect(existsSync(dir.modelFile(row.id))).toBe(true);
    expect(r.resolve('mnist')!.id).toBe(row.id);
    expect(r.resolve(row.id)!.id).toBe(row.id);
    const model = await r.load(row);
    expect(Array.from(model.params.W1.data)).toEqual(Array.from(randomModel(10, 1).params.W1.data));
    expect(await r.delete(row.id)).toBe(true);
    expect(existsSync(dir.modelFile(row.id))).toBe(false);
    expect(r.resolve('mnist')).toBeNull();
    expect(await r.delete(row.id)).toBe(false);
  });

  it('serves an immutable snapshot: a new version does not change a loaded one', async () => {
    const { registry: r } = registry();
    const v1 = await r.register(randomModel(10, 1), {
      name: 'mnist',
      source: 'upload',
      jobId: null,
    });
    const snapshot = await r.load(v1);
    const before = Array.from(snapshot.params.W2.data);
    await r.register(randomModel(10, 2), { name: 'mnist', source: 'upload', jobId: null });
    expect(Array.from(snapshot.params.W2.data)).toEqual(before);
    expect(r.resolve('mnist')!.version).toBe(2);
  });

  it('sweeps files left without a row and reports rows without a file', async () => {
    const { registry: r, dir } = registry();
    const row = await r.register(randomModel(), { name: 'mnist', source: 'upload', jobId: null });
    writeFileSync(join(dir.models, '.x.safetensors.123.abc.tmp'), 'partial');
    writeFileSync(join(dir.models, `${newId('mdl')}.safetensors`), 'orphan');
    const found = r.reconcile();
    expect(found.removed).toHaveLength(2);
    expect(found.missing).toEqual([]);
    expect(readdirSync(dir.models)).toEqual([`${row.id}.safetensors`]);
  });
});
