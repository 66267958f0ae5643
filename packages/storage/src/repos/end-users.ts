import type { Db } from '../database.js';

export interface StoredEndUser {
  readonly id: string;
  readonly externalId: string | null;
  readonly email: string | null;
  readonly name: string | null;
  readonly verified: boolean;
  readonly createdAt: Date;
}

type Row = {
  id: string;
  external_id: string | null;
  email: string | null;
  name: string | null;
  verified: boolean;
  created_at: Date;
};

function toEndUser(r: Row): StoredEndUser {
  return {
    id: r.id,
    externalId: r.external_id,
    email: r.email,
    name: r.name,
    verified: r.verified,
    createdAt: r.created_at,
  };
}

export async function insertAnonymousEndUser(db: Db, id: string, at: Date): Promise<StoredEndUser> {
  const row = await db
    .insertInto('end_users')
    .values({
      id,
      external_id: null,
      email: null,
      name: null,
      verified: false,
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toEndUser(row);
}

/**
 * A verified end user is found by the company's external id; their email and name follow what the
 * company's backend says most recently.
 */
export async function upsertVerifiedEndUser(
  db: Db,
  input: { id: string; externalId: string; email: string | null; name: string | null; at: Date },
): Promise<StoredEndUser> {
  const row = await db
    .insertInto('end_users')
    .values({
      id: input.id,
      external_id: input.externalId,
      email: input.email,
      name: input.name,
      verified: true,
      created_at: input.at,
      updated_at: input.at,
    })
    .onConflict((oc) =>
      oc.column('external_id').where('external_id', 'is not', null).doUpdateSet({
        email: input.email,
        name: input.name,
        verified: true,
        updated_at: input.at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toEndUser(row);
}

export async function getEndUser(db: Db, id: string): Promise<StoredEndUser | null> {
  const row = await db.selectFrom('end_users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEndUser(row) : null;
}

export async function getEndUsers(db: Db, ids: readonly string[]): Promise<StoredEndUser[]> {
  if (ids.length === 0) return [];
  return (
    await db
      .selectFrom('end_users')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute()
  ).map(toEndUser);
}
