import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { T0 } from '../contract/records.js';
import { useDatabase } from '../contract/use-database.js';
import { availableStorageKinds } from '../testing/test-database.js';
import { insertAuditEntry, listAuditEntries, type NewAuditEntry } from './audit-log.js';

describe.each(availableStorageKinds())('audit log storage on %s', (kind) => {
  const database = useDatabase(kind);
  const entry = (over: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
    at: T0,
    actorType: 'user',
    actorId: crypto.randomUUID(),
    actorRole: 'admin',
    action: 'PATCH /api/settings',
    resource: 'settings',
    changes: { allowedOrigins: ['https://shop.example'] },
    ip: '127.0.0.1',
    userAgent: 'test',
    status: 200,
    ...over,
  });

  async function errorOf(query: Promise<unknown>): Promise<string> {
    return query.then(
      () => 'no error',
      (error: unknown) => String((error as Error).message),
    );
  }

  it('refuses to update an entry', async () => {
    const db = database().db;
    const actorId = crypto.randomUUID();
    await insertAuditEntry(db, entry({ actorId }));
    expect(
      await errorOf(
        db.updateTable('audit_log').set({ status: 500 }).where('actor_id', '=', actorId).execute(),
      ),
    ).toMatch(/append-only/);
    const [stored] = await listAuditEntries(db, { actorId, limit: 10 });
    expect(stored?.status).toBe(200);
  });

  it('refuses to delete an entry', async () => {
    const db = database().db;
    const actorId = crypto.randomUUID();
    await insertAuditEntry(db, entry({ actorId }));
    expect(
      await errorOf(db.deleteFrom('audit_log').where('actor_id', '=', actorId).execute()),
    ).toMatch(/append-only/);
    expect(await listAuditEntries(db, { actorId, limit: 10 })).toHaveLength(1);
  });

  it('refuses to truncate the log', async () => {
    const db = database().db;
    const actorId = crypto.randomUUID();
    await insertAuditEntry(db, entry({ actorId }));
    expect(await errorOf(sql`TRUNCATE audit_log`.execute(db))).toMatch(/append-only/);
    expect(await listAuditEntries(db, { actorId, limit: 10 })).toHaveLength(1);
  });

  it('lists entries newest first, filtered by actor, action and time, a page at a time', async () => {
    const db = database().db;
    const actorId = crypto.randomUUID();
    for (let i = 0; i < 5; i++)
      await insertAuditEntry(
        db,
        entry({
          actorId,
          at: new Date(T0.getTime() + i * 1000),
          action: i % 2 ? 'POST /api/triggers' : 'PATCH /api/settings',
          status: 200 + i,
        }),
      );
    const all = await listAuditEntries(db, { actorId, limit: 10 });
    expect(all.map((e) => e.status)).toEqual([204, 203, 202, 201, 200]);
    const firstPage = await listAuditEntries(db, { actorId, limit: 2 });
    const nextPage = await listAuditEntries(db, { actorId, limit: 2, beforeId: firstPage[1]!.id });
    expect(nextPage.map((e) => e.status)).toEqual([202, 201]);
    const triggers = await listAuditEntries(db, {
      actorId,
      action: 'POST /api/triggers',
      limit: 10,
    });
    expect(triggers.map((e) => e.status)).toEqual([203, 201]);
    const window = await listAuditEntries(db, {
      actorId,
      since: new Date(T0.getTime() + 1000),
      until: new Date(T0.getTime() + 3000),
      limit: 10,
    });
    expect(window.map((e) => e.status)).toEqual([202, 201]);
  });
});
