import { afterAll, beforeAll } from 'vitest';
import type { Database, StorageKind } from '../database.js';
import { createTestDatabase } from '../testing/test-database.js';

/**
 * A fresh migrated database shared by the tests of the calling describe block, closed after them.
 * Tests that share it use fresh ids, so they never see each other's rows.
 */
export function useDatabase(kind: StorageKind): () => Database {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
    database = undefined;
  });
  return () => {
    if (!database) throw new Error('the test database is not open');
    return database;
  };
}
