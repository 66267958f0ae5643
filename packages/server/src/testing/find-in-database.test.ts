import type { Database } from '@parlour/storage';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  availableStorageKinds,
  createTestDatabase,
} from '../../../storage/src/testing/test-database.js';
import { findInDatabase } from './find-in-database.js';

describe.each(availableStorageKinds())('finding strings anywhere in the database on %s', (kind) => {
  let database: Database;
  const db = () => database.db;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const at = new Date('2026-01-05T09:00:00Z');
    await db()
      .insertInto('end_users')
      .values({
        id: '019b8d62-7a80-76f0-a2ca-000000000001',
        external_id: 'crm-42',
        email: 'Pat.Probe@customer.example',
        name: 'Pat "the probe" Probe',
        verified: true,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db()
      .insertInto('settings')
      .values({
        key: 'probe',
        value: JSON.stringify({ nested: { card: '4111 1111 1111 1111' } }),
        updated_at: at,
      })
      .execute();
    // A table no migration knows, with a column type that reads as hex: searched all the same.
    await sql`CREATE TABLE probe_bytes (b bytea NOT NULL)`.execute(db());
    await sql`INSERT INTO probe_bytes VALUES (convert_to('raw 5500005555555559 bytes', 'UTF8'))`.execute(
      db(),
    );
  });
  afterAll(async () => database.close());

  it('finds a string in a text column and names the table', async () => {
    const hits = await findInDatabase(db(), ['crm-42']);
    expect(hits).toEqual([expect.objectContaining({ table: 'end_users', needle: 'crm-42' })]);
    expect(hits[0]!.sample).toContain('crm-42');
  });

  it('finds a string nested inside a JSON value', async () => {
    const hits = await findInDatabase(db(), ['4111 1111 1111 1111']);
    expect(hits.map((h) => h.table)).toEqual(['settings']);
  });

  it('finds a string with quotes, which JSON escapes', async () => {
    const hits = await findInDatabase(db(), ['Pat "the probe" Probe']);
    expect(hits.map((h) => h.table)).toEqual(['end_users']);
  });

  it('finds a string in a bytea column of any table', async () => {
    const hits = await findInDatabase(db(), ['5500005555555559']);
    expect(hits.map((h) => h.table)).toEqual(['probe_bytes']);
  });

  it('matches case exactly unless asked not to', async () => {
    expect(await findInDatabase(db(), ['pat.probe@customer.example'])).toEqual([]);
    const hits = await findInDatabase(db(), ['pat.probe@customer.example'], {
      caseInsensitive: true,
    });
    expect(hits.map((h) => h.table)).toEqual(['end_users']);
  });

  it('takes LIKE wildcards in a needle literally', async () => {
    expect(await findInDatabase(db(), ['crm_4%', 'Pat.Probe@customer_example'])).toEqual([]);
  });

  it('reports each needle found, once per row', async () => {
    const hits = await findInDatabase(db(), ['crm-42', 'Pat.Probe', 'nowhere-at-all']);
    expect(hits.map((h) => h.needle).sort()).toEqual(['Pat.Probe', 'crm-42']);
  });

  it('skips the tables it is told to', async () => {
    expect(await findInDatabase(db(), ['crm-42'], { exceptTables: ['end_users'] })).toEqual([]);
  });
});
