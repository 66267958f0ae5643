import {
  STRATEGIES,
  TICKET_PRIORITIES,
  type AgentSnapshot,
  type AgentStatus,
  type GroupRouting,
  type QueuedTicket,
  type TicketPriority,
} from '@parlour/core';

/**
 * The routing benchmark's population, the same for a given seed: agents in teams of 200 (each
 * team with its own strategy, one in four routing only to online agents) who all also belong to
 * one group of everyone, with skills, capacities and some work in hand; and a queue of tickets,
 * mostly for a team, a quarter for everyone, a few for a named agent, some needing skills.
 */
export interface RoutingFixture {
  readonly agents: readonly AgentSnapshot[];
  readonly groups: ReadonlyMap<string, GroupRouting>;
  readonly queue: readonly QueuedTicket[];
  /** The fixed "now" of the run, epoch ms. */
  readonly now: number;
}

export const TEAM_SIZE = 200;
export const EVERYONE = 'everyone';
const SKILLS = Array.from({ length: 12 }, (_, i) => `skill-${i}`);
const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);

/** mulberry32: a small seeded generator, so every run routes the same population. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildRoutingFixture(
  agentCount: number,
  ticketCount: number,
  seed = 1,
): RoutingFixture {
  const rand = random(seed);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const teamCount = Math.max(1, Math.round(agentCount / TEAM_SIZE));
  const teamOf = (i: number) => `team-${i % teamCount}`;

  const groups = new Map<string, GroupRouting>();
  for (let k = 0; k < teamCount; k++) {
    const id = `team-${k}`;
    groups.set(id, { id, strategy: STRATEGIES[k % STRATEGIES.length]!, onlyOnline: k % 4 === 0 });
  }
  groups.set(EVERYONE, { id: EVERYONE, strategy: 'most_spare_capacity', onlyOnline: false });

  const agents: AgentSnapshot[] = [];
  for (let i = 0; i < agentCount; i++) {
    const r = rand();
    const status: AgentStatus =
      r < 0.85 ? 'available' : r < 0.92 ? 'idle' : r < 0.97 ? 'offline' : 'rona';
    const skills = new Set<string>();
    while (skills.size < 3) skills.add(pick(SKILLS));
    const capacity = { messaging: int(3, 6), email: int(5, 10) };
    const load = { messaging: int(0, 1), email: int(0, 1) };
    agents.push({
      id: `agent-${String(i).padStart(5, '0')}`,
      status,
      online: status !== 'offline' && rand() < 0.97,
      groupIds: [teamOf(i), EVERYONE],
      skills: [...skills],
      capacity,
      load,
      openCount: load.messaging + load.email,
      lastOfferedAt: rand() < 0.2 ? null : NOW - int(1_000, 3_600_000),
    });
  }

  const priorities: readonly TicketPriority[] = TICKET_PRIORITIES;
  const queue: QueuedTicket[] = [];
  for (let i = 0; i < ticketCount; i++) {
    const member = int(0, agentCount - 1);
    const route = rand();
    const groupId = route < 0.25 ? EVERYONE : teamOf(member);
    const s = rand();
    const requiredSkills = s < 0.05 ? [pick(SKILLS), pick(SKILLS)] : s < 0.25 ? [pick(SKILLS)] : [];
    const p = rand();
    queue.push({
      id: `ticket-${String(i).padStart(6, '0')}`,
      groupId,
      channel: rand() < 0.7 ? 'messaging' : 'email',
      priority: p < 0.05 ? 'urgent' : p < 0.2 ? 'high' : p < 0.8 ? 'normal' : pick(priorities),
      eligibleAt: NOW - 3_600_000 + i * 10 + int(0, 9),
      requiredSkills: [...new Set(requiredSkills)],
      excludedAgentIds: rand() < 0.1 ? [`agent-${String(member).padStart(5, '0')}`] : [],
      directAgentId: route > 0.95 ? `agent-${String(member).padStart(5, '0')}` : null,
    });
  }
  return { agents, groups, queue, now: NOW };
}
