import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPgliteDatabase } from '../adapters/pglite.js';
import { createPostgresDatabase } from '../adapters/postgres.js';
import type { Database, StorageKind } from '../database.js';
import { pgTemplateDb, PGLITE_TEMPLATE_FILE_ENV } from './template-names.js';

/**
 * A fresh, migrated database for one test file: PGlite loads the dumped template (~0.6 s instead
 * of initdb's ~2 s), PostgreSQL copies a template database into a database of its own.
 */
export async function createTestDatabase(kind: StorageKind): Promise<Database> {
  if (kind === 'pglite') {
    const file = process.env[PGLITE_TEMPLATE_FILE_ENV];
    if (!file)
      throw new Error('the PGlite template is missing: is the vitest globalSetup configured?');
    return createPgliteDatabase({ loadDataDir: new Blob([readFileSync(file)]) });
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const name = `parlour_t_${randomBytes(6).toString('hex')}`;
  await withAdmin(url, (client) =>
    client.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplateDb()}`),
  );
  const database = createPostgresDatabase({ url: withDatabase(url, name), maxConnections: 5 });
  return {
    ...database,
    async close() {
      await database.close();
      await withAdmin(url, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/** Both adapters this run can reach: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function bothStorageKinds(): StorageKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * The storage kinds the use-case suites run on: PGlite always, PostgreSQL too when DATABASE_URL
 * is set. PARLOUR_TEST_STORAGE=postgres (with DATABASE_URL; CI sets it to stay within its time)
 * runs them on PostgreSQL only; the storage contract suite still runs on both adapters and a
 * plain `npm test` covers PGlite.
 */
export function availableStorageKinds(): StorageKind[] {
  if (process.env.DATABASE_URL && process.env.PARLOUR_TEST_STORAGE === 'postgres')
    return ['postgres'];
  return bothStorageKinds();
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
