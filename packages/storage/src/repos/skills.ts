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

export async function renameSkill(db: Db, id: string, name: string): Promise<boolean> {
  const r = await db.updateTable('skills').set({ name }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Removes a skill (agents lose it with it); false when there is none. */
export async function deleteSkill(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('skills').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * What still names a skill, so deleting it would strand work: a ticket not yet Closed that
 * requires it, a trigger or automation, a workflow (draft or any version) or the bot flow.
 * Rules and flows keep ids inside JSON, so their text is searched for the id.
 */
export async function skillReferences(db: Db, id: string): Promise<string[]> {
  const pattern = `%${id}%`;
  const { rows } = await sql<{
    tickets: boolean;
    triggers: boolean;
    automations: boolean;
    workflows: boolean;
    bot: boolean;
  }>`SELECT
      EXISTS (SELECT 1 FROM tickets WHERE status <> 'closed' AND ${id}::uuid = ANY(required_skills)) AS tickets,
      EXISTS (SELECT 1 FROM triggers WHERE (conditions::text || actions::text) LIKE ${pattern}) AS triggers,
      EXISTS (SELECT 1 FROM automations WHERE (conditions::text || actions::text) LIKE ${pattern}) AS automations,
      (EXISTS (SELECT 1 FROM workflows WHERE draft::text LIKE ${pattern})
        OR EXISTS (SELECT 1 FROM workflow_versions WHERE definition::text LIKE ${pattern})) AS workflows,
      EXISTS (SELECT 1 FROM bot_flows WHERE flow::text LIKE ${pattern}) AS bot`.execute(db);
  const found = rows[0];
  if (!found) return [];
  return [
    found.tickets ? 'tickets' : '',
    found.triggers ? 'triggers' : '',
    found.automations ? 'automations' : '',
    found.workflows ? 'workflows' : '',
    found.bot ? 'the bot flow' : '',
  ].filter(Boolean);
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
