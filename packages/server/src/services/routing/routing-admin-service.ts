import { DomainError } from '@parlour/core';
import type { AgentPresence, GroupRoutingBody } from '@parlour/protocol';
import {
  agentLoads,
  deleteSkill,
  ensureAgentStates,
  groupRoutingSettings,
  insertIdleReason,
  insertSkill,
  listAgentStates,
  listAgentStatusEvents,
  listIdleReasons,
  listSkills,
  listUsers,
  onlineUserIds,
  renameSkill,
  setAgentCapacity,
  setAgentSkills,
  skillReferences,
  skillsOfAgents,
  updateGroupRouting,
  updateIdleReason,
  type Db,
} from '@parlour/storage';
import type { ServiceContext } from '../context.js';
import {
  readRoutingSettings,
  writeRoutingSettings,
  type RoutingSettings,
} from './routing-settings.js';

/** What admins configure for routing, and the agent list with statuses that transfer dialogs show. */
export class RoutingAdminService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly kick: () => void,
  ) {}

  async agents(): Promise<AgentPresence[]> {
    const db = this.ctx.database.db;
    const users = (await listUsers(db)).filter((u) => u.active);
    const ids = users.map((u) => u.id);
    await ensureAgentStates(db, ids, this.ctx.clock.now());
    const [states, skills, loads, online, settings] = await Promise.all([
      listAgentStates(db, ids),
      skillsOfAgents(db, ids),
      agentLoads(db, ids),
      onlineUserIds(db, ids),
      readRoutingSettings(db),
    ]);
    const stateOf = new Map(states.map((s) => [s.userId, s]));
    return users.map((u) => {
      const s = stateOf.get(u.id);
      const load = loads.get(u.id) ?? { messaging: 0, email: 0, open: 0 };
      return {
        id: u.id,
        name: u.name,
        email: u.email,
        role: u.role,
        status: s?.status ?? 'offline',
        idleReasonId: s?.idleReasonId ?? null,
        statusSince: (s?.statusSince ?? u.createdAt).toISOString(),
        online: online.has(u.id),
        groupIds: [...u.groupIds],
        skillIds: skills.get(u.id) ?? [],
        capacity: {
          messaging: s?.messagingCapacity ?? settings.messagingCapacity,
          email: s?.emailCapacity ?? settings.emailCapacity,
        },
        capacityOverride: {
          messaging: s?.messagingCapacity ?? null,
          email: s?.emailCapacity ?? null,
        },
        load: { messaging: load.messaging, email: load.email },
      };
    });
  }

  async statusEvents(userId: string) {
    const rows = await listAgentStatusEvents(this.ctx.database.db, userId);
    return rows.map((r) => ({ ...r, id: String(r.id), at: r.at.toISOString() }));
  }

  async setCapacity(
    userId: string,
    capacity: { messaging?: number | null; email?: number | null },
  ) {
    await this.assertUser(this.ctx.database.db, userId);
    await ensureAgentStates(this.ctx.database.db, [userId], this.ctx.clock.now());
    await setAgentCapacity(this.ctx.database.db, userId, capacity);
    this.kick();
  }

  async setSkills(userId: string, skillIds: readonly string[]) {
    await this.ctx.database.db.transaction().execute(async (trx) => {
      await this.assertUser(trx, userId);
      const known = await listSkills(trx, skillIds);
      const unknown = skillIds.find((id) => !known.some((k) => k.id === id));
      if (unknown) throw new DomainError('not-found', `No such skill ${unknown}`, 'skillIds');
      await setAgentSkills(trx, userId, skillIds);
    });
    this.kick();
  }

  skills() {
    return listSkills(this.ctx.database.db);
  }

  async createSkill(name: string) {
    const id = this.ctx.newId();
    const clean = name.trim();
    if (
      (await listSkills(this.ctx.database.db)).some(
        (s) => s.name.toLowerCase() === clean.toLowerCase(),
      )
    ) {
      throw new DomainError('conflict', 'A skill with this name exists', 'name');
    }
    await insertSkill(this.ctx.database.db, { id, name: clean, at: this.ctx.clock.now() });
    return { id, name: clean };
  }

  async renameSkill(id: string, name: string) {
    const clean = name.trim();
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const skills = await listSkills(trx);
      if (!skills.some((s) => s.id === id))
        throw new DomainError('not-found', 'No such skill', 'skillId');
      if (skills.some((s) => s.id !== id && s.name.toLowerCase() === clean.toLowerCase()))
        throw new DomainError('conflict', 'A skill with this name exists', 'name');
      await renameSkill(trx, id, clean);
    });
    return { id, name: clean };
  }

  /** Refused while anything still requires the skill: the work would wait for nobody. */
  async deleteSkill(id: string) {
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const used = await skillReferences(trx, id);
      if (used.length > 0)
        throw new DomainError(
          'conflict',
          `The skill is still used by ${used.join(', ')}; remove it there first`,
          'skillId',
        );
      if (!(await deleteSkill(trx, id)))
        throw new DomainError('not-found', 'No such skill', 'skillId');
    });
    this.kick();
  }

  idleReasons() {
    return listIdleReasons(this.ctx.database.db);
  }

  async createIdleReason(name: string) {
    const id = this.ctx.newId();
    const clean = name.trim();
    if (
      (await listIdleReasons(this.ctx.database.db)).some(
        (r) => r.name.toLowerCase() === clean.toLowerCase(),
      )
    ) {
      throw new DomainError('conflict', 'An idle reason with this name exists', 'name');
    }
    await insertIdleReason(this.ctx.database.db, { id, name: clean, at: this.ctx.clock.now() });
    return { id, name: clean, active: true };
  }

  async updateIdleReason(id: string, patch: { name?: string; active?: boolean }) {
    if (!(await updateIdleReason(this.ctx.database.db, id, patch)))
      throw new DomainError('not-found', 'No such idle reason', 'idleReasonId');
    const reason = (await listIdleReasons(this.ctx.database.db)).find((r) => r.id === id)!;
    return reason;
  }

  async groupRouting(groupId: string) {
    const g = (await groupRoutingSettings(this.ctx.database.db, [groupId])).get(groupId);
    if (!g) throw new DomainError('not-found', 'No such group', 'groupId');
    const { id, name: _name, ...rest } = g;
    return { groupId: id, ...rest };
  }

  async updateGroupRouting(groupId: string, body: GroupRoutingBody) {
    await this.ctx.database.db.transaction().execute(async (trx) => {
      if (!(await groupRoutingSettings(trx, [groupId])).has(groupId))
        throw new DomainError('not-found', 'No such group', 'groupId');
      if (body.overflowGroupId) {
        if (body.overflowGroupId === groupId)
          throw new DomainError(
            'validation/invalid',
            'A group cannot overflow to itself',
            'overflowGroupId',
          );
        if (!(await groupRoutingSettings(trx, [body.overflowGroupId])).has(body.overflowGroupId)) {
          throw new DomainError('not-found', 'No such overflow group', 'overflowGroupId');
        }
      }
      await updateGroupRouting(trx, groupId, body);
    });
    this.kick();
    return this.groupRouting(groupId);
  }

  settings(): Promise<RoutingSettings> {
    return readRoutingSettings(this.ctx.database.db);
  }

  async updateSettings(patch: Partial<RoutingSettings>): Promise<RoutingSettings> {
    const next = await writeRoutingSettings(this.ctx.database.db, patch, this.ctx.clock.now());
    this.kick();
    return next;
  }

  private async assertUser(db: Db, userId: string) {
    const u = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!u) throw new DomainError('not-found', 'No such user', 'userId');
  }
}
