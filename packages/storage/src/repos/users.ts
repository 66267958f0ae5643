import type { Role } from '@parlour/core';
import { sql } from 'kysely';
import type { Db } from '../database.js';

export interface StoredUser {
  readonly id: string;
  readonly role: Role;
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string | null;
  readonly active: boolean;
  readonly groupIds: readonly string[];
  readonly createdAt: Date;
}

type UserRow = {
  id: string;
  role: Role;
  email: string;
  name: string;
  password_hash: string | null;
  active: boolean;
  created_at: Date;
};

async function withGroups(db: Db, rows: readonly UserRow[]): Promise<StoredUser[]> {
  if (rows.length === 0) return [];
  const memberships = await db
    .selectFrom('group_members')
    .select(['user_id', 'group_id'])
    .where(
      'user_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('group_id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    email: r.email,
    name: r.name,
    passwordHash: r.password_hash,
    active: r.active,
    groupIds: memberships.filter((m) => m.user_id === r.id).map((m) => m.group_id),
    createdAt: r.created_at,
  }));
}

export async function insertUser(
  db: Db,
  user: {
    id: string;
    role: Role;
    email: string;
    name: string;
    passwordHash: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      role: user.role,
      email: user.email,
      name: user.name,
      password_hash: user.passwordHash,
      created_at: user.at,
      updated_at: user.at,
    })
    .execute();
}

export async function updateUser(
  db: Db,
  id: string,
  patch: { role?: Role; email?: string; name?: string; active?: boolean; passwordHash?: string },
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function getUser(db: Db, id: string): Promise<StoredUser | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ((await withGroups(db, [row]))[0] ?? null) : null;
}

export async function getUserByEmail(db: Db, email: string): Promise<StoredUser | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return row ? ((await withGroups(db, [row]))[0] ?? null) : null;
}

export async function listUsers(
  db: Db,
  filter: { role?: Role; groupId?: string } = {},
): Promise<StoredUser[]> {
  let query = db.selectFrom('users').selectAll().orderBy('name').orderBy('id');
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.groupId) {
    const groupId = filter.groupId;
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('group_members').select('user_id').where('group_id', '=', groupId),
    );
  }
  return withGroups(db, await query.execute());
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
