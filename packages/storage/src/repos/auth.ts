import type { Db } from '../database.js';

export async function insertAuthSession(
  db: Db,
  s: { tokenHash: string; userId: string; at: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('auth_sessions')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      created_at: s.at,
      expires_at: s.expiresAt,
    })
    .execute();
}

export async function findAuthSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('auth_sessions')
    .innerJoin('users', 'users.id', 'auth_sessions.user_id')
    .select([
      'users.id as userId',
      'users.role',
      'users.active',
      'auth_sessions.expires_at as expiresAt',
    ])
    .where('auth_sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function deleteAuthSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredAuthSessions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('auth_sessions').where('expires_at', '<', now).execute();
}

export async function insertApiToken(
  db: Db,
  t: { id: string; name: string; tokenHash: string; userId: string; at: Date },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: t.id,
      name: t.name,
      token_hash: t.tokenHash,
      user_id: t.userId,
      created_at: t.at,
    })
    .execute();
}

export async function findApiToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'users.id as userId',
      'users.role',
      'users.active',
      'api_tokens.revoked_at as revokedAt',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function listApiTokens(db: Db) {
  return db
    .selectFrom('api_tokens')
    .select([
      'id',
      'name',
      'user_id as userId',
      'created_at as createdAt',
      'last_used_at as lastUsedAt',
      'revoked_at as revokedAt',
    ])
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiToken(db: Db, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
