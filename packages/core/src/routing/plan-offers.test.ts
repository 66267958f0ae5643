import { describe, expect, it } from 'vitest';
import { planOffers } from './plan-offers.js';
import { RoutingIndex } from './routing-index.js';
import { NOW, buildAgent, buildGroup, buildQueued } from './testing/build.js';

const groups = (...list: ReturnType<typeof buildGroup>[]) => new Map(list.map((g) => [g.id, g]));

describe('planOffers', () => {
  it('gives the last free slot to the ticket first in queue order', () => {
    const agent = buildAgent('a', { load: { messaging: 2, email: 0 } });
    const { offers, waiting } = planOffers(
      [
        buildQueued({ id: 'normal', eligibleAt: NOW - 60_000 }),
        buildQueued({ id: 'urgent', priority: 'urgent', eligibleAt: NOW }),
      ],
      groups(buildGroup()),
      [agent],
      NOW,
    );
    expect(offers.map((o) => [o.ticketId, o.agentId])).toEqual([['urgent', 'a']]);
    expect(waiting.map((d) => [d.ticketId, d.waitingReason])).toEqual([
      ['normal', 'all available agents are at messaging capacity'],
    ]);
  });

  it('never plans an agent over capacity within a batch', () => {
    const queue = Array.from({ length: 5 }, (_, i) => buildQueued({ id: `t${i}` }));
    const { offers, waiting } = planOffers(queue, groups(buildGroup()), [buildAgent('a')], NOW);
    expect(offers).toHaveLength(3);
    expect(waiting).toHaveLength(2);
  });

  it('rotates round robin within a batch', () => {
    const queue = Array.from({ length: 4 }, (_, i) => buildQueued({ id: `t${i}` }));
    const { offers } = planOffers(
      queue,
      groups(buildGroup({ strategy: 'round_robin' })),
      [buildAgent('a', { lastOfferedAt: NOW - 1_000 }), buildAgent('b')],
      NOW,
    );
    expect(offers.map((o) => o.agentId)).toEqual(['b', 'a', 'b', 'a']);
  });

  it('spreads least open within a batch by counting each planned offer as open', () => {
    const queue = Array.from({ length: 3 }, (_, i) => buildQueued({ id: `t${i}` }));
    const { offers } = planOffers(
      queue,
      groups(buildGroup({ strategy: 'least_open' })),
      [buildAgent('a'), buildAgent('b', { openCount: 1 })],
      NOW,
    );
    expect(offers.map((o) => o.agentId)).toEqual(['a', 'b', 'a']);
  });

  it('returns a ticket with no eligible agent as waiting with its decision', () => {
    const { offers, waiting } = planOffers(
      [buildQueued({ requiredSkills: ['french'] })],
      groups(buildGroup()),
      [buildAgent('a')],
      NOW,
    );
    expect(offers).toEqual([]);
    expect(waiting).toEqual([
      {
        ticketId: 'ticket-1',
        agentId: null,
        considered: [{ agentId: 'a', outcome: 'skill', detail: 'missing skill french' }],
        passedCounts: { skill: 1 },
        waitingReason: 'no available agent with spare messaging capacity has skill french',
      },
    ]);
  });

  it('plans a ticket listed twice only once', () => {
    const ticket = buildQueued();
    const { offers, waiting } = planOffers(
      [ticket, ticket],
      groups(buildGroup()),
      [buildAgent('a')],
      NOW,
    );
    expect(offers).toHaveLength(1);
    expect(waiting).toHaveLength(0);
  });

  it('leaves a given index updated with the planned offers', () => {
    const index = new RoutingIndex([buildAgent('a')]);
    planOffers([buildQueued()], groups(buildGroup()), index, NOW);
    expect(index.get('a')).toMatchObject({ load: { messaging: 1, email: 0 }, lastOfferedAt: NOW });
  });
});
