import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.js';

export type StorageKind = 'postgres' | 'pglite';

/** The storage port: a typed query builder over PostgreSQL or embedded PGlite, same SQL for both. */
export interface Database {
  readonly kind: StorageKind;
  readonly db: Kysely<Schema>;
  /** Runs a multi-statement script (migrations). */
  executeScript(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** A connection or an open transaction: repositories take either. */
export type Db = Kysely<Schema> | Transaction<Schema>;
