import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDatabase } from '../adapters/pglite.js';
import { createPostgresDatabase } from '../adapters/postgres.js';
import { migrate } from '../migrate.js';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE_FILE_ENV } from './template-names.js';
import { withAdmin, withDatabase } from './test-database.js';

/**
 * Runs once before the test files: migrates a PGlite template (dumped to a file) and, when
 * DATABASE_URL is set, a PostgreSQL template database. Test files copy these instead of migrating.
 */
export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'parlour-template-'));
  const pglite = await createPgliteDatabase();
  await migrate(pglite);
  const file = join(dir, 'pglite-template.tar');
  writeFileSync(file, Buffer.from(await (await pglite.dump()).arrayBuffer()));
  await pglite.close();
  process.env[PGLITE_TEMPLATE_FILE_ENV] = file;

  const url = process.env.DATABASE_URL;
  if (url) {
    await withAdmin(url, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE_DB} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${PG_TEMPLATE_DB}`);
    });
    const template = createPostgresDatabase({
      url: withDatabase(url, PG_TEMPLATE_DB),
      maxConnections: 1,
    });
    await migrate(template);
    await template.close();
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
