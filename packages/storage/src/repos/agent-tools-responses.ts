import { sql, type Selectable } from 'kysely';
import type { Db } from '../database.js';
import type { PredefinedResponsesTable } from '../schema.js';

export interface StoredResponse {
  readonly id: string;
  readonly title: string;
  readonly shortcut: string | null;
  readonly body: string;
  /** Offered on this group's tickets only; null: on every ticket. */
  readonly groupId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ResponseFields {
  readonly title: string;
  readonly shortcut: string | null;
  readonly body: string;
  readonly groupId: string | null;
}

export async function insertResponse(
  db: Db,
  response: ResponseFields & { id: string; at: Date },
): Promise<void> {
  await db
    .insertInto('predefined_responses')
    .values({
      id: response.id,
      title: response.title,
      shortcut: response.shortcut,
      body: response.body,
      group_id: response.groupId,
      created_at: response.at,
      updated_at: response.at,
    })
    .execute();
}

export async function updateResponse(
  db: Db,
  id: string,
  patch: Partial<ResponseFields>,
  at: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('predefined_responses')
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.shortcut !== undefined ? { shortcut: patch.shortcut } : {}),
      ...(patch.body !== undefined ? { body: patch.body } : {}),
      ...(patch.groupId !== undefined ? { group_id: patch.groupId } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteResponse(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('predefined_responses').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function getResponse(db: Db, id: string): Promise<StoredResponse | undefined> {
  const row = await db
    .selectFrom('predefined_responses')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toResponse(row) : undefined;
}

export async function responseShortcutTaken(
  db: Db,
  shortcut: string,
  exceptId?: string,
): Promise<boolean> {
  let query = db
    .selectFrom('predefined_responses')
    .select('id')
    .where(sql`lower(shortcut)`, '=', shortcut.toLowerCase());
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

/**
 * Responses whose title, shortcut or text contains `q` (case-insensitive; every response without
 * `q`), limited to those for every group and those for `groupId` when one is given (a ticket's
 * group). An exact shortcut comes first, then shortcuts starting with `q`, then by title.
 */
export async function searchResponses(
  db: Db,
  filter: {
    readonly q?: string;
    readonly groupId?: string | null;
    readonly limit: number;
  },
): Promise<StoredResponse[]> {
  let query = db.selectFrom('predefined_responses').selectAll();
  if (filter.groupId !== undefined) {
    const groupId = filter.groupId;
    query = query.where((eb) =>
      groupId === null
        ? eb('group_id', 'is', null)
        : eb.or([eb('group_id', 'is', null), eb('group_id', '=', groupId)]),
    );
  }
  const q = filter.q?.trim().toLowerCase();
  if (q) {
    const contains = `%${escapeLike(q)}%`;
    const prefix = `${escapeLike(q)}%`;
    query = query
      .where((eb) =>
        eb.or([
          eb(sql`lower(title)`, 'like', contains),
          eb(sql`lower(shortcut)`, 'like', contains),
          eb(sql`lower(body)`, 'like', contains),
        ]),
      )
      .orderBy(sql`coalesce(lower(shortcut) = ${q}, false)`, 'desc')
      .orderBy(sql`coalesce(lower(shortcut) LIKE ${prefix}, false)`, 'desc');
  }
  const rows = await query
    .orderBy(sql`lower(title)`)
    .orderBy('id')
    .limit(filter.limit)
    .execute();
  return rows.map(toResponse);
}

/** `%`, `_` and `\` in what the agent typed are matched as themselves. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toResponse(row: Selectable<PredefinedResponsesTable>): StoredResponse {
  return {
    id: row.id,
    title: row.title,
    shortcut: row.shortcut,
    body: row.body,
    groupId: row.group_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
