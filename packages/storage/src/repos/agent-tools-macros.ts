import type { RuleAction } from '@parlour/core';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../database.js';
import type { MacrosTable } from '../schema.js';

export interface StoredMacro {
  readonly id: string;
  readonly title: string;
  /** Standard text (placeholders not yet filled in), or null for a macro of actions only. */
  readonly body: string | null;
  readonly bodyKind: 'public' | 'internal';
  readonly actions: readonly RuleAction[];
  /** null: shared; else personal to that user. */
  readonly ownerId: string | null;
  readonly active: boolean;
  readonly position: number;
  readonly preset: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface MacroFields {
  readonly title: string;
  readonly body: string | null;
  readonly bodyKind: 'public' | 'internal';
  readonly actions: readonly RuleAction[];
  readonly active: boolean;
  readonly position: number;
}

export async function insertMacro(
  db: Db,
  macro: MacroFields & { id: string; ownerId: string | null; preset?: string; at: Date },
): Promise<void> {
  await db
    .insertInto('macros')
    .values({
      id: macro.id,
      title: macro.title,
      body: macro.body,
      body_kind: macro.bodyKind,
      actions: JSON.stringify(macro.actions),
      owner_id: macro.ownerId,
      active: macro.active,
      position: macro.position,
      preset: macro.preset ?? null,
      created_at: macro.at,
      updated_at: macro.at,
    })
    .execute();
}

export async function updateMacro(
  db: Db,
  id: string,
  patch: Partial<MacroFields>,
  at: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('macros')
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.body !== undefined ? { body: patch.body } : {}),
      ...(patch.bodyKind !== undefined ? { body_kind: patch.bodyKind } : {}),
      ...(patch.actions !== undefined ? { actions: JSON.stringify(patch.actions) } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteMacro(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('macros').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function getMacro(db: Db, id: string): Promise<StoredMacro | undefined> {
  const row = await db.selectFrom('macros').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toMacro(row) : undefined;
}

/** Shared macros and the user's own, shared first, then by position and title. */
export async function listMacros(
  db: Db,
  filter: { readonly ownerId: string; readonly activeOnly?: boolean },
): Promise<StoredMacro[]> {
  let query = db
    .selectFrom('macros')
    .selectAll()
    .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', filter.ownerId)]));
  if (filter.activeOnly) query = query.where('active', '=', true);
  const rows = await query
    .orderBy(sql`owner_id IS NOT NULL`)
    .orderBy('position')
    .orderBy(sql`lower(title)`)
    .orderBy('id')
    .execute();
  return rows.map(toMacro);
}

/** Another macro of the same owner (or another shared one) with this title, whatever its case. */
export async function macroTitleTaken(
  db: Db,
  title: string,
  ownerId: string | null,
  exceptId?: string,
): Promise<boolean> {
  let query = db
    .selectFrom('macros')
    .select('id')
    .where(sql`lower(title)`, '=', title.toLowerCase())
    .where('owner_id', ownerId === null ? 'is' : '=', ownerId);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

function toMacro(row: Selectable<MacrosTable>): StoredMacro {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    bodyKind: row.body_kind,
    actions: row.actions as RuleAction[],
    ownerId: row.owner_id,
    active: row.active,
    position: row.position,
    preset: row.preset,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A unique index refused the write (PostgreSQL and PGlite both report SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
