import { describe, expect, it } from 'vitest';
import type { StorageKind } from '../database.js';
import { migrate } from '../migrate.js';
import { MIGRATIONS } from '../migrations/index.js';
import { useDatabase } from './use-database.js';

export function migrationsContract(kind: StorageKind): void {
  describe('migrations', () => {
    const database = useDatabase(kind);

    async function appliedVersions(): Promise<string[]> {
      const rows = await database()
        .db.selectFrom('schema_migrations')
        .select('version')
        .orderBy('version')
        .execute();
      return rows.map((r) => r.version);
    }

    it('lists every migration once in schema_migrations', async () => {
      const rows = await database()
        .db.selectFrom('schema_migrations')
        .selectAll()
        .orderBy('version')
        .execute();
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      for (const row of rows) expect(row.applied_at).toBeInstanceOf(Date);
    });

    it('applies nothing when migrate runs again', async () => {
      expect(await migrate(database())).toEqual([]);
      expect(await appliedVersions()).toEqual(MIGRATIONS.map((m) => m.version));
    });

    it('applies only the migrations that have not run yet', async () => {
      const probe = {
        version: '999-contract-probe',
        sql: 'CREATE TABLE contract_probe (id integer PRIMARY KEY);',
      };
      expect(await migrate(database(), [...MIGRATIONS, probe])).toEqual([probe.version]);
      expect(await migrate(database(), [...MIGRATIONS, probe])).toEqual([]);
      expect(await appliedVersions()).toEqual([...MIGRATIONS.map((m) => m.version), probe.version]);
    });
  });
}
