import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStorageContract } from './contract/file-storage-contract.js';
import { newStorageKey } from './file-storage.js';
import { LocalFileStorage } from './local-file-storage.js';

fileStorageContract('local file storage', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parlour-files-'));
  return {
    storage: new LocalFileStorage(join(dir, 'attachments')),
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'parlour-files-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every file under a directory, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('local file storage', () => {
  it('fans files out into subdirectories by the first four hex digits of their key', async () => {
    await withDir(async (dir) => {
      const storage = new LocalFileStorage(dir);
      const key = newStorageKey();
      await storage.put(key, new Uint8Array([1, 2, 3]));
      expect(await filesUnder(dir)).toEqual([join(key.slice(0, 2), key.slice(2, 4), key)]);
    });
  });

  it('leaves no temporary file behind after a put', async () => {
    await withDir(async (dir) => {
      const storage = new LocalFileStorage(dir);
      for (let i = 0; i < 5; i++) await storage.put(newStorageKey(), new Uint8Array([i]));
      expect(await readdir(join(dir, '.incoming'))).toEqual([]);
    });
  });

  it('creates nothing on disk until the first put', async () => {
    await withDir(async (dir) => {
      const storage = new LocalFileStorage(join(dir, 'attachments'));
      expect(await storage.get(newStorageKey())).toBeNull();
      const keys: string[] = [];
      for await (const key of storage.keys()) keys.push(key);
      expect(keys).toEqual([]);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('writes files readable by the server process only', async () => {
    await withDir(async (dir) => {
      const storage = new LocalFileStorage(dir);
      const key = newStorageKey();
      await storage.put(key, new Uint8Array([1]));
      const mode = (await stat(join(dir, key.slice(0, 2), key.slice(2, 4), key))).mode & 0o777;
      expect(mode & 0o077).toBe(0);
    });
  });

  it('lists no stray file that is not a stored key', async () => {
    await withDir(async (dir) => {
      const storage = new LocalFileStorage(dir);
      const key = newStorageKey();
      await storage.put(key, new Uint8Array([1]));
      const folder = join(dir, key.slice(0, 2), key.slice(2, 4));
      await writeFile(join(folder, 'notes.txt'), 'stray');
      await writeFile(join(folder, 'ffffffffffffffffffffffffffffffff'), 'misplaced');
      const keys: string[] = [];
      for await (const k of storage.keys()) keys.push(k);
      expect(keys).toEqual([key]);
    });
  });
});
