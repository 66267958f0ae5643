import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TicketPriority } from '../ticket/ticket.js';
import type { AgentSnapshot, GroupRouting } from './agent-snapshot.js';
import type { CapacityChannel } from './capacity.js';
import { planOffers } from './plan-offers.js';
import type { QueuedTicket } from './queued-ticket.js';
import { agentsArb, groupsArb, queueArb } from './testing/arbitraries.js';

/**
 * The rules restated plainly, independently of the core: who may take a ticket, whom each strategy
 * prefers, and the queue order. The plan is replayed ticket by ticket against them.
 */
const NOW = 1_000;
const RANK: Record<TicketPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

function queueOrder(queue: readonly QueuedTicket[]): QueuedTicket[] {
  return [...queue].sort((a, b) =>
    RANK[a.priority] !== RANK[b.priority]
      ? RANK[a.priority] - RANK[b.priority]
      : a.eligibleAt !== b.eligibleAt
        ? a.eligibleAt - b.eligibleAt
        : Number(a.id > b.id) - Number(a.id < b.id),
  );
}

function groupOf(ticket: QueuedTicket, groups: Map<string, GroupRouting>): GroupRouting | null {
  return ticket.groupId === null ? null : (groups.get(ticket.groupId) ?? null);
}

function canTake(agent: AgentSnapshot, ticket: QueuedTicket, group: GroupRouting | null): boolean {
  const member =
    ticket.directAgentId !== null
      ? agent.id === ticket.directAgentId
      : group !== null && agent.groupIds.includes(group.id);
  return (
    member &&
    agent.status === 'available' &&
    (!group?.onlyOnline || agent.online) &&
    agent.capacity[ticket.channel] > agent.load[ticket.channel] &&
    ticket.requiredSkills.every((s) => agent.skills.includes(s)) &&
    !ticket.excludedAgentIds.includes(agent.id)
  );
}

function preference(agent: AgentSnapshot, group: GroupRouting | null, channel: CapacityChannel) {
  const since = agent.lastOfferedAt ?? -Infinity;
  const turn = agent.offerSeq ?? 0;
  switch (group?.strategy ?? 'most_spare_capacity') {
    case 'most_spare_capacity':
      return [agent.load[channel] - agent.capacity[channel], since, turn];
    case 'round_robin':
      return [since, turn];
    case 'least_open':
      return [agent.openCount, since, turn];
  }
}

function best(agents: AgentSnapshot[], group: GroupRouting | null, channel: CapacityChannel) {
  const key = (a: AgentSnapshot) => preference(a, group, channel);
  return [...agents].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return a.id < b.id ? -1 : 1;
  })[0];
}

/** Replays the plan in queue order, calling `check` with the agents as they were at each turn. */
function replay(
  agents: AgentSnapshot[],
  groups: Map<string, GroupRouting>,
  queue: QueuedTicket[],
  check: (ticket: QueuedTicket, agentId: string | null, before: AgentSnapshot[]) => void,
): void {
  const { offers } = planOffers(queue, groups, agents, NOW);
  const offered = new Map(offers.map((o) => [o.ticketId, o.agentId]));
  const state = new Map(agents.map((a) => [a.id, a]));
  let turn = 0;
  for (const ticket of queueOrder(queue)) {
    const agentId = offered.get(ticket.id) ?? null;
    check(ticket, agentId, [...state.values()]);
    const agent = agentId === null ? undefined : state.get(agentId);
    if (agent === undefined) continue;
    const c = ticket.channel;
    state.set(agent.id, {
      ...agent,
      load: { ...agent.load, [c]: agent.load[c] + 1 },
      openCount: agent.openCount + 1,
      lastOfferedAt: NOW,
      offerSeq: ++turn,
    });
  }
}

const cases = fc.tuple(agentsArb, groupsArb, queueArb);
const RUNS = { numRuns: 500 };

describe('planOffers, for any agents, groups and queue', () => {
  it('never plans more offers for an agent than their spare capacity in a channel', () => {
    fc.assert(
      fc.property(cases, ([agents, groups, queue]) => {
        const { offers } = planOffers(queue, groups, agents, NOW);
        const channelOf = new Map(queue.map((t) => [t.id, t.channel]));
        for (const agent of agents) {
          for (const channel of ['messaging', 'email'] as const) {
            const planned = offers.filter(
              (o) => o.agentId === agent.id && channelOf.get(o.ticketId) === channel,
            ).length;
            expect(planned).toBeLessThanOrEqual(
              Math.max(0, agent.capacity[channel] - agent.load[channel]),
            );
          }
        }
      }),
      RUNS,
    );
  });

  it('plans every ticket exactly once, as an offer or as waiting', () => {
    fc.assert(
      fc.property(cases, ([agents, groups, queue]) => {
        const { offers, waiting } = planOffers(queue, groups, agents, NOW);
        const planned = [...offers.map((o) => o.ticketId), ...waiting.map((d) => d.ticketId)];
        expect([...planned].sort()).toEqual(queue.map((t) => t.id).sort());
      }),
      RUNS,
    );
  });

  it('leaves a ticket waiting only when no eligible agent had room at its turn', () => {
    fc.assert(
      fc.property(cases, ([agents, groups, queue]) => {
        replay(agents, groups, queue, (ticket, agentId, before) => {
          if (agentId !== null) return;
          const group = groupOf(ticket, groups);
          expect(before.filter((a) => canTake(a, ticket, group))).toEqual([]);
        });
      }),
      RUNS,
    );
  });

  it('offers each ticket to the eligible agent its group strategy prefers at its turn', () => {
    fc.assert(
      fc.property(cases, ([agents, groups, queue]) => {
        replay(agents, groups, queue, (ticket, agentId, before) => {
          if (agentId === null) return;
          const group = groupOf(ticket, groups);
          const eligible = before.filter((a) => canTake(a, ticket, group));
          expect(agentId).toBe(best(eligible, group, ticket.channel)?.id);
        });
      }),
      RUNS,
    );
  });
});
