import { sql } from 'kysely';
import type { Database } from './database.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

const LOCK_KEY = 4_242_424_242;

/**
 * Applies the migrations that have not run yet, each in its own transaction. On PostgreSQL an
 * advisory lock lets several processes start at once without racing each other.
 */
export async function migrate(
  database: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  const applied: string[] = [];
  await database.db.transaction().execute(async (trx) => {
    // Taken before anything else: two processes starting together must not both create tables.
    if (database.kind === 'postgres')
      await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL)`.execute(
      trx,
    );
    const done = new Set(
      (await trx.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version),
    );
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await sql.raw(migration.sql).execute(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ version: migration.version, applied_at: new Date() })
        .execute();
      applied.push(migration.version);
    }
  });
  return applied;
}
