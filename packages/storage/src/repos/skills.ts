import { sql } from 'kysely';
import type { Db } from '../database.js';

export interface StoredSkill {
  readonly id: string;
  readonly name: string;
}

export async function insertSkill(
  db: Db,
  skill: { id: string; name: string; at: Date },
): Promise<void> {
  await db
    .insertInto('skills')
    .values({ id: skill.id, name: skill.name, created_at: skill.at })
    .execute();
}

export async function listSkills(db: Db, ids?: readonly string[]): Promise<StoredSkill[]> {
  let query = db.selectFrom('skills').select(['id', 'name']).orderBy('name');
  if (ids) {
    if (ids.length === 0) return [];
    query = query.where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`);
  }
  return query.execute();
}

export async function setAgentSkills(
  db: Db,
  userId: string,
  skillIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('agent_skills').where('user_id', '=', userId).execute();
  const unique = [...new Set(skillIds)];
  if (unique.length > 0) {
    await db
      .insertInto('agent_skills')
      .values(unique.map((skill_id) => ({ user_id: userId, skill_id })))
      .execute();
  }
}

export async function skillsOfAgents(
  db: Db,
  userIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('agent_skills')
    .select(['user_id', 'skill_id'])
    .where('user_id', '=', sql<string>`ANY(${[...userIds]}::uuid[])`)
    .execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.skill_id]);
  return out;
}

export interface StoredIdleReason {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}

export async function insertIdleReason(
  db: Db,
  reason: { id: string; name: string; at: Date },
): Promise<void> {
  await db
    .insertInto('idle_reasons')
    .values({ id: reason.id, name: reason.name, created_at: reason.at })
    .execute();
}

export async function updateIdleReason(
  db: Db,
  id: string,
  patch: { name?: string; active?: boolean },
): Promise<boolean> {
  const r = await db
    .updateTable('idle_reasons')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listIdleReasons(db: Db): Promise<StoredIdleReason[]> {
  return db.selectFrom('idle_reasons').select(['id', 'name', 'active']).orderBy('name').execute();
}
