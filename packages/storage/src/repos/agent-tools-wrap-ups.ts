import { sql } from 'kysely';
import type { Db } from '../database.js';

export interface StoredWrapUpReason {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  readonly position: number;
}

export async function insertWrapUpReason(
  db: Db,
  reason: { id: string; name: string; position: number; at: Date },
): Promise<void> {
  await db
    .insertInto('wrap_up_reasons')
    .values({ id: reason.id, name: reason.name, position: reason.position, created_at: reason.at })
    .execute();
}

export async function updateWrapUpReason(
  db: Db,
  id: string,
  patch: { name?: string; active?: boolean; position?: number },
): Promise<boolean> {
  if (patch.name === undefined && patch.active === undefined && patch.position === undefined)
    return (await getWrapUpReasons(db, [id])).length > 0;
  const r = await db
    .updateTable('wrap_up_reasons')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteWrapUpReason(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('wrap_up_reasons').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Reasons by position then name; only the active ones when asked. */
export async function listWrapUpReasons(
  db: Db,
  filter: { readonly activeOnly?: boolean } = {},
): Promise<StoredWrapUpReason[]> {
  let query = db.selectFrom('wrap_up_reasons').select(['id', 'name', 'active', 'position']);
  if (filter.activeOnly) query = query.where('active', '=', true);
  return query
    .orderBy('position')
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
}

export async function getWrapUpReasons(
  db: Db,
  ids: readonly string[],
): Promise<StoredWrapUpReason[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('wrap_up_reasons')
    .select(['id', 'name', 'active', 'position'])
    .where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`)
    .execute();
}

export async function wrapUpReasonNameTaken(
  db: Db,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  let query = db
    .selectFrom('wrap_up_reasons')
    .select('id')
    .where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function wrapUpReasonInUse(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('ticket_wrap_ups')
    .select('ticket_id')
    .where('reason_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Stores the reasons on the ticket; a reason it already has is kept as first recorded. */
export async function insertTicketWrapUps(
  db: Db,
  wrapUp: { ticketId: string; reasonIds: readonly string[]; createdBy: string | null; at: Date },
): Promise<void> {
  const unique = [...new Set(wrapUp.reasonIds)];
  if (unique.length === 0) return;
  await db
    .insertInto('ticket_wrap_ups')
    .values(
      unique.map((reason_id) => ({
        ticket_id: wrapUp.ticketId,
        reason_id,
        created_by: wrapUp.createdBy,
        created_at: wrapUp.at,
      })),
    )
    .onConflict((oc) => oc.columns(['ticket_id', 'reason_id']).doNothing())
    .execute();
}

export interface StoredTicketWrapUp {
  readonly reasonId: string;
  readonly name: string;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

/** A ticket's wrap-up reasons in the order they were recorded. */
export async function listTicketWrapUps(db: Db, ticketId: string): Promise<StoredTicketWrapUp[]> {
  const rows = await db
    .selectFrom('ticket_wrap_ups as w')
    .innerJoin('wrap_up_reasons as r', 'r.id', 'w.reason_id')
    .select(['w.reason_id', 'r.name', 'w.created_by', 'w.created_at'])
    .where('w.ticket_id', '=', ticketId)
    .orderBy('w.created_at')
    .orderBy('r.position')
    .orderBy(sql`lower(r.name)`)
    .execute();
  return rows.map((r) => ({
    reasonId: r.reason_id,
    name: r.name,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}
