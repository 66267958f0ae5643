import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { assertStorageKey, isStorageKey, type FileStorage } from './file-storage.js';

const TEMP = '.incoming';
const FAN_OUT = /^[0-9a-f]{2}$/;

/**
 * File storage in a local directory (ATTACHMENTS_DIR, by default <DATA_DIR>/attachments), which
 * nothing serves statically. Keys fan out into two levels of subdirectories by their first four
 * hex digits (ab/cd/abcd…) so no directory grows huge. A file is written to a temporary name in the
 * same directory tree, flushed, then renamed into place: a reader sees all of it or nothing.
 */
export class LocalFileStorage implements FileStorage {
  constructor(private readonly root: string) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const tempDir = join(this.root, TEMP);
    await mkdir(tempDir, { recursive: true, mode: 0o700 });
    await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
    const temp = join(tempDir, `${key}.${randomBytes(6).toString('hex')}`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *keys(): AsyncIterable<string> {
    for (const first of await subdirectories(this.root)) {
      for (const second of await subdirectories(join(this.root, first))) {
        const entries = await readdir(join(this.root, first, second), { withFileTypes: true });
        for (const entry of entries) {
          if (entry.isFile() && isStorageKey(entry.name) && entry.name.startsWith(first + second))
            yield entry.name;
        }
      }
    }
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }
}

async function subdirectories(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && FAN_OUT.test(e.name)).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
