import { join } from 'node:path';
import { createPgliteDatabase } from './adapters/pglite.js';
import { createPostgresDatabase } from './adapters/postgres.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';

export interface OpenDatabaseOptions {
  /** postgres:// or postgresql:// selects PostgreSQL; none selects embedded PGlite. */
  readonly databaseUrl?: string | undefined;
  /** Where PGlite keeps its files (default ./data). */
  readonly dataDir?: string | undefined;
  readonly maxConnections?: number | undefined;
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const url = options.databaseUrl;
  let database: Database;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(
        `DATABASE_URL must start with postgres:// or postgresql:// (got ${url.split(':')[0]}:)`,
      );
    }
    database = createPostgresDatabase({ url, maxConnections: options.maxConnections ?? 10 });
  } else {
    database = await createPgliteDatabase({ dataDir: join(options.dataDir ?? './data', 'pglite') });
  }
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
