import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newStorageKey, type FileStorage } from '../file-storage.js';

/** A store to test, and how to throw it away afterwards. */
export interface StoreUnderTest {
  readonly storage: FileStorage;
  close(): Promise<void>;
}

async function allKeys(storage: FileStorage): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of storage.keys()) keys.push(key);
  return keys.sort();
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** What every file-storage adapter promises; each adapter's test calls it with its own factory. */
export function fileStorageContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(name, () => {
    let store: StoreUnderTest;
    let storage: FileStorage;

    beforeEach(async () => {
      store = await make();
      storage = store.storage;
    });

    afterEach(async () => {
      await store.close();
    });

    it('returns the bytes that were put under a key', async () => {
      const key = newStorageKey();
      const data = new Uint8Array([0, 1, 2, 255, 10, 13, 0]);
      await storage.put(key, data);
      expect(await storage.get(key)).toEqual(data);
    });

    it('answers null for a key that holds nothing', async () => {
      expect(await storage.get(newStorageKey())).toBeNull();
    });

    it('replaces the bytes when a key is put again', async () => {
      const key = newStorageKey();
      await storage.put(key, bytes('first version, longer'));
      await storage.put(key, bytes('second'));
      expect(await storage.get(key)).toEqual(bytes('second'));
    });

    it('forgets deleted bytes, and deleting a missing key is not an error', async () => {
      const key = newStorageKey();
      await storage.put(key, bytes('to be erased'));
      await storage.delete(key);
      expect(await storage.get(key)).toBeNull();
      await expect(storage.delete(key)).resolves.toBeUndefined();
    });

    it('lists every stored key and only those', async () => {
      expect(await allKeys(storage)).toEqual([]);
      const kept = [newStorageKey(), newStorageKey(), newStorageKey()];
      const removed = newStorageKey();
      for (const key of [...kept, removed]) await storage.put(key, bytes(key));
      await storage.delete(removed);
      expect(await allKeys(storage)).toEqual([...kept].sort());
    });

    it('stores an empty file and a large one alike', async () => {
      const empty = newStorageKey();
      const large = newStorageKey();
      const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
      await storage.put(empty, new Uint8Array());
      await storage.put(large, big);
      expect(await storage.get(empty)).toEqual(new Uint8Array());
      const got = await storage.get(large);
      // Compared as one buffer: a deep equality over three million elements takes seconds.
      expect(got && Buffer.from(got).equals(big)).toBe(true);
    });

    it.each([
      '../../etc/passwd',
      '..',
      'a/b',
      'a\\b',
      '/tmp/x',
      '',
      'ABCDEF0123456789ABCDEF0123456789',
      `${'0'.repeat(31)}\u0000`,
      `${'0'.repeat(32)}/`,
      'invoice.pdf',
    ])('refuses a key the server did not generate: %j', async (key) => {
      await expect(storage.put(key, bytes('x'))).rejects.toThrow(/storage key/);
      await expect(storage.get(key)).rejects.toThrow(/storage key/);
      await expect(storage.delete(key)).rejects.toThrow(/storage key/);
      expect(await allKeys(storage)).toEqual([]);
    });

    it('keeps concurrent puts of different keys apart', async () => {
      const keys = Array.from({ length: 20 }, () => newStorageKey());
      await Promise.all(keys.map((key) => storage.put(key, bytes(`content of ${key}`))));
      for (const key of keys) expect(await storage.get(key)).toEqual(bytes(`content of ${key}`));
    });
  });
}
