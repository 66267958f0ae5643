import {
  capacityChannelOf,
  type AgentSnapshot,
  type GroupRouting,
  type QueuedTicket,
} from '@parlour/core';
import {
  agentLoads,
  exclusionsFor,
  groupRoutingSettings,
  listAgentStates,
  membersOfGroups,
  onlineUserIds,
  skillsOfAgents,
  type Db,
  type QueueRow,
  type StoredAgentState,
  type StoredGroupRouting,
} from '@parlour/storage';
import { readRoutingSettings } from './routing-settings.js';

export interface RoutingSnapshot {
  readonly queue: QueuedTicket[];
  readonly rows: ReadonlyMap<string, QueueRow>;
  readonly groups: ReadonlyMap<string, GroupRouting>;
  readonly groupSettings: ReadonlyMap<string, StoredGroupRouting>;
  readonly agents: AgentSnapshot[];
}

/** Reads what a routing decision needs for these queued tickets, as the core's plain data. */
/** How long a decline keeps a ticket away from the agent who declined it. */
export const DECLINE_MEMORY_MS = 5 * 60 * 1000;

export async function loadRoutingSnapshot(
  db: Db,
  rows: readonly QueueRow[],
  now: Date,
): Promise<RoutingSnapshot> {
  const groupIds = [...new Set(rows.flatMap((r) => (r.groupId ? [r.groupId] : [])))];
  const [groupSettings, members, exclusions, settings] = await Promise.all([
    groupRoutingSettings(db, groupIds),
    membersOfGroups(db, groupIds),
    exclusionsFor(
      db,
      rows.map((r) => ({ ticketId: r.ticketId, since: r.eligibleAt })),
      new Date(now.getTime() - DECLINE_MEMORY_MS),
    ),
    readRoutingSettings(db),
  ]);
  const agentIds = [
    ...new Set([
      ...members.keys(),
      ...rows.flatMap((r) => (r.directAgentId ? [r.directAgentId] : [])),
    ]),
  ];
  const [states, skills, loads, online] = await Promise.all([
    listAgentStates(db, agentIds),
    skillsOfAgents(db, agentIds),
    agentLoads(db, agentIds),
    onlineUserIds(db, agentIds),
  ]);
  // A member who never set a status or connected has no state row yet: they are Offline (and
  // still a member, so a ticket of their group waits for "nobody available", not "nobody in it").
  const stated = new Set(states.map((s) => s.userId));
  const everyone: StoredAgentState[] = [
    ...states,
    ...[...members.keys()]
      .filter((id) => !stated.has(id))
      .map((userId) => ({
        userId,
        status: 'offline' as const,
        idleReasonId: null,
        statusSince: now,
        lastOfferedAt: null,
        messagingCapacity: null,
        emailCapacity: null,
      })),
  ];
  const agents: AgentSnapshot[] = everyone.map((s) => {
    const load = loads.get(s.userId) ?? { messaging: 0, email: 0, open: 0 };
    return {
      id: s.userId,
      status: s.status,
      online: online.has(s.userId),
      groupIds: members.get(s.userId) ?? [],
      skills: skills.get(s.userId) ?? [],
      capacity: {
        messaging: s.messagingCapacity ?? settings.messagingCapacity,
        email: s.emailCapacity ?? settings.emailCapacity,
      },
      load: { messaging: load.messaging, email: load.email },
      openCount: load.open,
      lastOfferedAt: s.lastOfferedAt ? s.lastOfferedAt.getTime() : null,
    };
  });
  const groups = new Map<string, GroupRouting>(
    [...groupSettings.values()].map((g) => [
      g.id,
      { id: g.id, strategy: g.strategy, onlyOnline: g.onlyOnline },
    ]),
  );
  const queue: QueuedTicket[] = rows.map((r) => ({
    id: r.ticketId,
    groupId: r.groupId,
    channel: capacityChannelOf(r.channel),
    priority: r.priority,
    eligibleAt: r.eligibleAt.getTime(),
    requiredSkills: r.skillsRelaxed ? [] : r.requiredSkills,
    excludedAgentIds: exclusions.get(r.ticketId) ?? [],
    directAgentId: r.directAgentId,
  }));
  return { queue, rows: new Map(rows.map((r) => [r.ticketId, r])), groups, groupSettings, agents };
}
