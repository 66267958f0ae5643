import { describe, expect, it } from 'vitest';
import type { AgentSnapshot, GroupRouting } from './agent-snapshot.js';
import { MAX_EXPLAINED, type Decision } from './decision.js';
import { pickAgent } from './pick-agent.js';
import type { QueuedTicket } from './queued-ticket.js';
import { RoutingIndex } from './routing-index.js';
import { NOW, buildAgent, buildGroup, buildQueued } from './testing/build.js';

const SOURCES = [
  { source: 'a RoutingIndex', indexed: true },
  { source: 'an array of agents', indexed: false },
];

describe.each(SOURCES)('pickAgent over $source', ({ indexed }) => {
  const pick = (
    agents: readonly AgentSnapshot[],
    ticket: QueuedTicket = buildQueued(),
    group: GroupRouting | null = buildGroup(),
  ): Decision => pickAgent(ticket, group, indexed ? new RoutingIndex(agents) : agents);
  const outcomeOf = (decision: Decision, agentId: string) =>
    decision.considered.find((c) => c.agentId === agentId);

  describe('most spare capacity', () => {
    it('offers the ticket to the agent with the most room in its channel', () => {
      const decision = pick([
        buildAgent('a', { load: { messaging: 2, email: 0 } }),
        buildAgent('b', { load: { messaging: 1, email: 4 } }),
        buildAgent('c', { load: { messaging: 2, email: 0 } }),
      ]);
      expect(decision.agentId).toBe('b');
    });

    it('breaks ties by longest since the last offer, never-offered first', () => {
      const decision = pick([
        buildAgent('a', { lastOfferedAt: NOW - 1_000 }),
        buildAgent('b', { lastOfferedAt: NOW - 5_000 }),
      ]);
      expect(decision.agentId).toBe('b');
      expect(pick([buildAgent('a', { lastOfferedAt: NOW - 5_000 }), buildAgent('b')]).agentId).toBe(
        'b',
      );
    });

    it('breaks the remaining ties by agent id', () => {
      expect(pick([buildAgent('b'), buildAgent('a')]).agentId).toBe('a');
    });
  });

  describe('round robin', () => {
    const group = buildGroup({ strategy: 'round_robin' });

    it('offers the ticket to the agent offered work longest ago, whatever their load', () => {
      const decision = pick(
        [
          buildAgent('a', { lastOfferedAt: NOW - 1_000 }),
          buildAgent('b', { lastOfferedAt: NOW - 9_000, load: { messaging: 2, email: 0 } }),
        ],
        buildQueued(),
        group,
      );
      expect(decision.agentId).toBe('b');
    });

    it('offers to agents never offered work first, then by agent id', () => {
      const decision = pick(
        [buildAgent('a', { lastOfferedAt: NOW - 9_000 }), buildAgent('c'), buildAgent('b')],
        buildQueued(),
        group,
      );
      expect(decision.agentId).toBe('b');
    });
  });

  describe('least open', () => {
    const group = buildGroup({ strategy: 'least_open' });

    it('offers the ticket to the agent with the fewest open conversations', () => {
      const decision = pick(
        [buildAgent('a', { openCount: 4 }), buildAgent('b', { openCount: 2 })],
        buildQueued(),
        group,
      );
      expect(decision.agentId).toBe('b');
    });

    it('breaks ties by longest since the last offer, then by agent id', () => {
      const decision = pick(
        [
          buildAgent('a', { openCount: 1, lastOfferedAt: NOW - 1_000 }),
          buildAgent('b', { openCount: 1, lastOfferedAt: NOW - 2_000 }),
          buildAgent('c', { openCount: 1, lastOfferedAt: NOW - 2_000 }),
        ],
        buildQueued(),
        group,
      );
      expect(decision.agentId).toBe('b');
    });
  });

  describe('capacity', () => {
    it('skips agents whose messaging capacity is full', () => {
      const decision = pick([
        buildAgent('a', { load: { messaging: 3, email: 0 } }),
        buildAgent('b', { load: { messaging: 2, email: 0 } }),
      ]);
      expect(decision.agentId).toBe('b');
      expect(outcomeOf(decision, 'a')).toEqual({
        agentId: 'a',
        outcome: 'capacity',
        detail: 'messaging capacity 3 of 3 in use',
      });
    });

    it('offers an email ticket to an agent whose messaging is full but email has room', () => {
      const full = buildAgent('a', { load: { messaging: 3, email: 1 } });
      expect(pick([full], buildQueued({ channel: 'email' })).agentId).toBe('a');
      expect(pick([full], buildQueued({ channel: 'messaging' })).agentId).toBeNull();
    });

    it('treats a capacity of zero as no room at all', () => {
      const decision = pick([buildAgent('a', { capacity: { messaging: 0, email: 5 } })]);
      expect(decision.agentId).toBeNull();
      expect(decision.waitingReason).toBe('all available agents are at messaging capacity');
    });
  });

  describe('skills', () => {
    it('passes an agent missing a required skill, naming the skill', () => {
      const decision = pick(
        [
          buildAgent('a', { skills: ['french'] }),
          buildAgent('b', { skills: ['billing', 'french'] }),
        ],
        buildQueued({ requiredSkills: ['billing', 'french'] }),
      );
      expect(decision.agentId).toBe('b');
      expect(outcomeOf(decision, 'a')).toEqual({
        agentId: 'a',
        outcome: 'skill',
        detail: 'missing skill billing',
      });
    });

    it('says which skill no available agent has while the ticket waits', () => {
      const decision = pick(
        [buildAgent('a', { skills: ['french'] }), buildAgent('b')],
        buildQueued({ requiredSkills: ['french', 'billing'] }),
      );
      expect(decision.agentId).toBeNull();
      expect(decision.passedCounts).toEqual({ skill: 2 });
      expect(decision.waitingReason).toBe(
        'no available agent with spare messaging capacity has skill billing',
      );
    });

    it('says the skills are never found together when each is held by someone', () => {
      const decision = pick(
        [buildAgent('a', { skills: ['french'] }), buildAgent('b', { skills: ['billing'] })],
        buildQueued({ requiredSkills: ['french', 'billing'] }),
      );
      expect(decision.waitingReason).toBe(
        'no available agent with spare messaging capacity has all of the skills french, billing',
      );
    });
  });

  describe('status', () => {
    it('passes idle, offline and RONA agents for their status', () => {
      const decision = pick([
        buildAgent('idle', { status: 'idle' }),
        buildAgent('offline', { status: 'offline' }),
        buildAgent('rona', { status: 'rona' }),
        buildAgent('ready'),
      ]);
      expect(decision.agentId).toBe('ready');
      expect(decision.passedCounts).toEqual({ status: 3 });
      expect(outcomeOf(decision, 'rona')).toEqual({
        agentId: 'rona',
        outcome: 'status',
        detail: 'status is rona',
      });
    });

    it('says no agent in the group is available when every member is away', () => {
      const decision = pick([
        buildAgent('a', { status: 'idle' }),
        buildAgent('b', { status: 'rona' }),
      ]);
      expect(decision.agentId).toBeNull();
      expect(decision.waitingReason).toBe('no agent in the group is available');
    });
  });

  describe('only online agents', () => {
    const disconnected = buildAgent('a', { online: false });

    it('passes agents without a live connection in groups that route only to online agents', () => {
      const decision = pick([disconnected], buildQueued(), buildGroup({ onlyOnline: true }));
      expect(decision.agentId).toBeNull();
      expect(decision.passedCounts).toEqual({ offline: 1 });
      expect(decision.waitingReason).toBe('no available agent in the group is online');
    });

    it('still offers to available agents within their presence grace period in other groups', () => {
      expect(pick([disconnected]).agentId).toBe('a');
    });
  });

  describe('excluded agents', () => {
    it('never offers a ticket to an agent who declined, missed or failed to answer it', () => {
      const decision = pick(
        [buildAgent('a'), buildAgent('b', { load: { messaging: 1, email: 0 } })],
        buildQueued({ excludedAgentIds: ['a'] }),
      );
      expect(decision.agentId).toBe('b');
      expect(outcomeOf(decision, 'a')?.outcome).toBe('excluded');
    });

    it('says every agent with room declined it when all are excluded', () => {
      const decision = pick([buildAgent('a')], buildQueued({ excludedAgentIds: ['a'] }));
      expect(decision.agentId).toBeNull();
      expect(decision.waitingReason).toBe(
        'every available agent with spare messaging capacity declined, missed or failed to answer this ticket',
      );
    });
  });

  describe('direct assignment', () => {
    it('offers a direct ticket only to the named agent, even when others have more room', () => {
      const decision = pick(
        [buildAgent('a'), buildAgent('b', { load: { messaging: 2, email: 0 } })],
        buildQueued({ directAgentId: 'b' }),
      );
      expect(decision.agentId).toBe('b');
      expect(decision.considered).toEqual([{ agentId: 'b', outcome: 'chosen' }]);
    });

    it('offers a direct ticket to the named agent outside the ticket group', () => {
      const outsider = buildAgent('x', { groupIds: ['group-2'] });
      expect(pick([outsider], buildQueued({ directAgentId: 'x' })).agentId).toBe('x');
    });

    it('keeps a direct ticket waiting, saying why, while the named agent cannot take it', () => {
      const decision = pick(
        [buildAgent('a'), buildAgent('b', { status: 'idle' })],
        buildQueued({ directAgentId: 'b' }),
      );
      expect(decision.agentId).toBeNull();
      expect(decision.passedCounts).toEqual({ status: 1 });
      expect(decision.waitingReason).toBe('agent b is not available (status is idle)');
    });

    it('keeps a direct ticket for an unknown agent waiting', () => {
      const decision = pick([buildAgent('a')], buildQueued({ directAgentId: 'ghost' }));
      expect(decision.agentId).toBeNull();
      expect(decision.waitingReason).toBe('agent ghost is unknown');
    });
  });

  describe('group membership', () => {
    it('considers only members of the ticket group', () => {
      const decision = pick([
        buildAgent('a', { groupIds: ['group-2'] }),
        buildAgent('b', { groupIds: ['group-2', 'group-1'], load: { messaging: 2, email: 0 } }),
      ]);
      expect(decision.agentId).toBe('b');
      expect(decision.considered.map((c) => c.agentId)).toEqual(['b']);
    });

    it('keeps a ticket in no group waiting', () => {
      const decision = pick([buildAgent('a')], buildQueued({ groupId: null }), null);
      expect(decision.waitingReason).toBe('the ticket is in no group');
    });

    it('keeps a ticket waiting while its group has no agents', () => {
      const decision = pick([buildAgent('a', { groupIds: ['group-2'] })]);
      expect(decision.waitingReason).toBe('no agent is in group group-1');
    });
  });

  describe('explanation', () => {
    it('lists the chosen agent first, then why each other member was passed', () => {
      const decision = pick(
        [
          buildAgent('busy', { load: { messaging: 3, email: 0 } }),
          buildAgent('idle', { status: 'idle' }),
          buildAgent('alex'),
          buildAgent('second', { skills: ['french'], load: { messaging: 1, email: 0 } }),
          buildAgent('best', { skills: ['french'] }),
        ],
        buildQueued({ requiredSkills: ['french'] }),
      );
      expect(decision.considered).toEqual([
        { agentId: 'best', outcome: 'chosen' },
        { agentId: 'alex', outcome: 'skill', detail: 'missing skill french' },
        {
          agentId: 'second',
          outcome: 'strategy',
          detail: 'ranked below best by most spare capacity',
        },
        { agentId: 'busy', outcome: 'capacity', detail: 'messaging capacity 3 of 3 in use' },
        { agentId: 'idle', outcome: 'status', detail: 'status is idle' },
      ]);
      expect(decision.passedCounts).toEqual({ skill: 1, strategy: 1, capacity: 1, status: 1 });
      expect(decision.waitingReason).toBeNull();
    });

    it('lists at most MAX_EXPLAINED agents and counts every member of the group', () => {
      const agents = Array.from({ length: 300 }, (_, i) =>
        buildAgent(`agent-${String(i).padStart(3, '0')}`, {
          status: i % 3 === 0 ? 'idle' : 'available',
        }),
      );
      const decision = pick(agents);
      expect(decision.agentId).toBe('agent-001');
      expect(decision.considered).toHaveLength(MAX_EXPLAINED);
      expect(decision.passedCounts).toEqual({ status: 100, strategy: 199 });
    });

    it('lists MAX_EXPLAINED agents and counts them all when nobody has a required skill', () => {
      const agents = Array.from({ length: 300 }, (_, i) => buildAgent(`agent-${i}`));
      const decision = pick(agents, buildQueued({ requiredSkills: ['klingon'] }));
      expect(decision.considered).toHaveLength(MAX_EXPLAINED);
      expect(decision.considered.every((c) => c.detail === 'missing skill klingon')).toBe(true);
      expect(decision.passedCounts).toEqual({ skill: 300 });
    });
  });
});
