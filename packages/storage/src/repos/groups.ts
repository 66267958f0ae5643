import type { Db } from '../database.js';

export interface StoredGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly memberIds: readonly string[];
  readonly createdAt: Date;
}

export async function insertGroup(
  db: Db,
  group: { id: string; name: string; description: string | null; at: Date },
): Promise<void> {
  await db
    .insertInto('groups')
    .values({
      id: group.id,
      name: group.name,
      description: group.description,
      created_at: group.at,
      updated_at: group.at,
    })
    .execute();
}

export async function updateGroup(
  db: Db,
  id: string,
  patch: { name?: string; description?: string | null },
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('groups')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setGroupMembers(
  db: Db,
  groupId: string,
  userIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('group_members').where('group_id', '=', groupId).execute();
  const unique = [...new Set(userIds)];
  if (unique.length > 0) {
    await db
      .insertInto('group_members')
      .values(unique.map((user_id) => ({ group_id: groupId, user_id })))
      .execute();
  }
}

export async function listGroups(db: Db, ids?: readonly string[]): Promise<StoredGroup[]> {
  let query = db.selectFrom('groups').selectAll().orderBy('name').orderBy('id');
  if (ids) {
    if (ids.length === 0) return [];
    query = query.where('id', 'in', [...ids]);
  }
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const members = await db
    .selectFrom('group_members')
    .select(['group_id', 'user_id'])
    .where(
      'group_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('user_id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    memberIds: members.filter((m) => m.group_id === r.id).map((m) => m.user_id),
    createdAt: r.created_at,
  }));
}

export async function getGroup(db: Db, id: string): Promise<StoredGroup | null> {
  return (await listGroups(db, [id]))[0] ?? null;
}
