import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentSnapshot } from './agent-snapshot.js';
import { pickAgent } from './pick-agent.js';
import { RoutingIndex } from './routing-index.js';
import {
  AGENT_IDS,
  agentArb,
  agentsArb,
  groupsArb,
  manyAgentsArb,
  queueArb,
} from './testing/arbitraries.js';
import { NOW, buildAgent, buildGroup, buildQueued } from './testing/build.js';

const ids = (agents: Iterable<AgentSnapshot>) => [...agents].map((a) => a.id);

describe('RoutingIndex', () => {
  it('keeps a group candidates in strategy order as loads change', () => {
    const index = new RoutingIndex([buildAgent('a'), buildAgent('b'), buildAgent('c')]);
    const group = buildGroup();
    expect(ids(index.candidates(group, 'messaging'))).toEqual(['a', 'b', 'c']);
    index.update(buildAgent('a', { load: { messaging: 2, email: 0 } }));
    index.recordOffer('b', 'messaging', NOW);
    expect(ids(index.candidates(group, 'messaging'))).toEqual(['c', 'b', 'a']);
  });

  it('leaves out agents who cannot take work and brings them back when they can', () => {
    const index = new RoutingIndex([buildAgent('a'), buildAgent('b')]);
    const group = buildGroup();
    index.update(buildAgent('a', { status: 'rona' }));
    index.update(buildAgent('b', { load: { messaging: 3, email: 0 } }));
    expect(ids(index.candidates(group, 'messaging'))).toEqual([]);
    expect(ids(index.candidates(group, 'email'))).toEqual(['b']);
    index.update(buildAgent('a'));
    expect(ids(index.candidates(group, 'messaging'))).toEqual(['a']);
  });

  it('moves an agent between groups when their groups change', () => {
    const index = new RoutingIndex([buildAgent('a')]);
    const one = buildGroup();
    const two = buildGroup({ id: 'group-2' });
    expect(ids(index.candidates(one, 'messaging'))).toEqual(['a']);
    index.update(buildAgent('a', { groupIds: ['group-2'] }));
    expect(ids(index.candidates(one, 'messaging'))).toEqual([]);
    expect(ids(index.candidates(two, 'messaging'))).toEqual(['a']);
    expect(index.memberCount('group-1')).toBe(0);
  });

  it('forgets a removed agent', () => {
    const index = new RoutingIndex([buildAgent('a'), buildAgent('b')]);
    expect(index.remove('a')).toBe(true);
    expect(index.get('a')).toBeUndefined();
    expect(pickAgent(buildQueued(), buildGroup(), index).passedCounts).toEqual({});
  });

  it('gives the same decisions as a scan of the agents after any sequence of updates', () => {
    const updates = fc.array(
      fc.constantFrom(...AGENT_IDS).chain((id) => agentArb(id)),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(agentsArb, groupsArb, queueArb, updates, (agents, groups, queue, changes) => {
        const index = new RoutingIndex(agents);
        // Ask for every group view first, so that the updates below must keep them right.
        for (const ticket of queue) {
          pickAgent(ticket, groups.get(ticket.groupId ?? '') ?? null, index);
        }
        const current = new Map(agents.map((a) => [a.id, a]));
        for (const change of changes) {
          index.update(change);
          current.set(change.id, change);
        }
        const array = [...current.values()];
        for (const ticket of queue) {
          const group = groups.get(ticket.groupId ?? '') ?? null;
          expect(pickAgent(ticket, group, index)).toEqual(pickAgent(ticket, group, array));
          expect(pickAgent(ticket, group, new RoutingIndex(array))).toEqual(
            pickAgent(ticket, group, array),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists and counts like a scan of the agents when groups outgrow MAX_EXPLAINED', () => {
    fc.assert(
      fc.property(manyAgentsArb(400), groupsArb, queueArb, (agents, groups, queue) => {
        const index = new RoutingIndex(agents);
        let current = agents;
        for (const ticket of queue) {
          const group = groups.get(ticket.groupId ?? '') ?? null;
          const expected = pickAgent(ticket, group, current);
          expect(pickAgent(ticket, group, index)).toEqual(expected);
          if (expected.agentId !== null) index.recordOffer(expected.agentId, ticket.channel, NOW);
          current = [...index.values()];
        }
      }),
      { numRuns: 40 },
    );
  });
});
