import { randomBytes } from 'node:crypto';

/**
 * The file-storage port: bytes under keys the server made. Attachments are stored here, never in
 * the database and never anywhere served statically. Adapters refuse any key that is not
 * server-generated (`isStorageKey`), so no client-chosen name ever becomes a path.
 */
export interface FileStorage {
  /** Stores (or replaces) the bytes under this key; a reader never sees a partly written file. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when nothing is stored under this key. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes the bytes; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every stored key (proof and erasure tests search the whole store). */
  keys(): AsyncIterable<string>;
}

/** A storage key: 32 lowercase hex digits, random, made by the server. */
const STORAGE_KEY = /^[0-9a-f]{32}$/;

export function newStorageKey(): string {
  return randomBytes(16).toString('hex');
}

export function isStorageKey(key: string): boolean {
  return STORAGE_KEY.test(key);
}

export class InvalidStorageKeyError extends Error {
  constructor() {
    super('not a server-generated storage key');
    this.name = 'InvalidStorageKeyError';
  }
}

export function assertStorageKey(key: string): void {
  if (!isStorageKey(key)) throw new InvalidStorageKeyError();
}
