import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import type { Database } from '../database.js';
import type { Schema } from '../schema.js';

const INT8 = 20;

export interface PgliteOptions {
  /** A directory for the data, or undefined for an in-memory database. */
  readonly dataDir?: string;
  /** A dumped data directory (a migrated template) to start from. */
  readonly loadDataDir?: Blob;
}

/**
 * Embedded PostgreSQL (PGlite) behind the same Kysely dialect as the server: a small pool-shaped
 * bridge hands out the single PGlite connection to one holder at a time, so a transaction (BEGIN
 * .. COMMIT on one "client") is never interleaved with another caller's queries.
 */
export interface PgliteDatabase extends Database {
  /** The whole data directory as a tarball: a migrated template that tests start from. */
  dump(): Promise<Blob>;
}

export async function createPgliteDatabase(options: PgliteOptions = {}): Promise<PgliteDatabase> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [INT8]: (value: string) => Number(value) },
  });
  const bridge = new PgliteBridge(pglite);
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: bridge as unknown as PostgresPool }),
  });
  return {
    kind: 'pglite',
    db,
    async executeScript(sql) {
      const release = await bridge.lock();
      try {
        await pglite.exec(sql);
      } finally {
        release();
      }
    },
    async dump() {
      const release = await bridge.lock();
      try {
        return await pglite.dumpDataDir('none');
      } finally {
        release();
      }
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
    // One connection: idle unless someone holds it; the others wait in line.
    poolStats: () => ({
      total: 1,
      idle: bridge.holders > 0 ? 0 : 1,
      waiting: Math.max(0, bridge.holders - 1),
    }),
  };
}

type Command = 'UPDATE' | 'DELETE' | 'INSERT' | 'SELECT' | 'MERGE';

interface QueryResultLike {
  command: Command;
  rowCount: number;
  rows: unknown[];
}

class PgliteBridge {
  private tail: Promise<void> = Promise.resolve();
  /** Callers holding or waiting for the connection. */
  holders = 0;

  constructor(private readonly pglite: PGlite) {}

  /** Waits for the connection and returns the function that gives it back. */
  lock(): Promise<() => void> {
    let release!: () => void;
    this.holders++;
    const held = new Promise<void>((resolve) => (release = resolve)).then(() => {
      this.holders--;
    });
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return acquired;
  }

  async connect() {
    const release = await this.lock();
    const pglite = this.pglite;
    let released = false;
    return {
      async query(sql: string, parameters: readonly unknown[]): Promise<QueryResultLike> {
        // Like node-postgres: without parameters the simple protocol runs, so scripts may hold several
        // statements (migrations); the last statement's result is the answer.
        const result =
          parameters.length === 0
            ? ((await pglite.exec(sql)).at(-1) ?? { rows: [], affectedRows: 0 })
            : await pglite.query(sql, parameters as unknown[]);
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release() {
        if (!released) {
          released = true;
          release();
        }
      },
    };
  }

  async end(): Promise<void> {
    await this.tail;
  }
}

function commandOf(sql: string): Command {
  const match = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select)\b/i.exec(sql);
  return (match?.[1] ?? 'SELECT').toUpperCase() as Command;
}
