import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDatabase } from '../adapters/pglite.js';
import { createPostgresDatabase } from '../adapters/postgres.js';
import { migrate } from '../migrate.js';
import { randomBytes } from 'node:crypto';
import { PG_TEMPLATE_DB_ENV, PGLITE_TEMPLATE_FILE_ENV } from './template-names.js';
import { withAdmin, withDatabase } from './test-database.js';

/**
 * Runs once before the test files: migrates a PGlite template (dumped to a file) and, when
 * DATABASE_URL is set, a PostgreSQL template database. Test files copy these instead of migrating.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'parlour-template-'));
  const pglite = await createPgliteDatabase();
  await migrate(pglite);
  const file = join(dir, 'pglite-template.tar');
  writeFileSync(file, Buffer.from(await (await pglite.dump()).arrayBuffer()));
  await pglite.close();
  process.env[PGLITE_TEMPLATE_FILE_ENV] = file;

  const url = process.env.DATABASE_URL;
  const templateDb = `parlour_template_${randomBytes(4).toString('hex')}`;
  if (url) {
    await withAdmin(url, (client) => client.query(`CREATE DATABASE ${templateDb}`));
    process.env[PG_TEMPLATE_DB_ENV] = templateDb;
    const template = createPostgresDatabase({
      url: withDatabase(url, templateDb),
      maxConnections: 1,
    });
    await migrate(template);
    await template.close();
  }
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (url)
      await withAdmin(url, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${templateDb} WITH (FORCE)`),
      ).catch(() => undefined);
  };
}
