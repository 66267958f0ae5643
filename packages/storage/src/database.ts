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
  /** Connections of the pool now (the metrics endpoint reports them). */
  poolStats(): PoolStats;
}

export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  /** Callers waiting for a connection. */
  readonly waiting: number;
}

/** A connection or an open transaction: repositories take either. */
export type Db = Kysely<Schema> | Transaction<Schema>;
