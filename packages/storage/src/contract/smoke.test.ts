import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { availableStorageKinds, createTestDatabase } from '../testing/test-database.js';

describe.each(availableStorageKinds())('storage on %s', (kind) => {
  it('starts from the migrated template', async () => {
    const database = await createTestDatabase(kind);
    const rows = await database.db.selectFrom('schema_migrations').select('version').execute();
    expect(rows.map((r) => r.version)).toContain('001-foundation');
    const r = await sql<{ n: number }>`select 9007199254740::int8 as n`.execute(database.db);
    expect(r.rows[0]?.n).toBe(9007199254740);
    await database.close();
  });
});
