import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** fsync a directory so a rename in it is durable. Best effort: not every platform allows it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open directories; some file systems refuse fsync on them.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes `bytes` to `path` so that readers see either the old file or the whole new one:
 * write a temp file `.<name>.<pid>.<random>.tmp` beside the target, fsync it, rename it over the
 * target, then fsync the directory. Creates the parent directory if missing. On failure the temp
 * file is removed, the target is left as it was, and the error is rethrown.
 *
 * @example
 * await writeFileAtomic('models/mnist.safetensors', encodeSafetensors(tensors));
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(dir, { recursive: true });
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir);
}
