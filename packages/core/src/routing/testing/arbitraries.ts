/** Test-only fast-check arbitraries for routing: small pools, so ties and collisions are common. */
import fc from 'fast-check';
import { AGENT_STATUSES } from '../agent-status.js';
import { STRATEGIES, type AgentSnapshot, type GroupRouting } from '../agent-snapshot.js';
import type { QueuedTicket } from '../queued-ticket.js';
import { TICKET_PRIORITIES } from '../../ticket/ticket.js';

export const GROUP_IDS = ['g1', 'g2', 'g3'] as const;
export const SKILLS = ['billing', 'french', 'vip'] as const;
export const AGENT_IDS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'] as const;

export const agentArb = (id: string): fc.Arbitrary<AgentSnapshot> =>
  fc.record({
    id: fc.constant(id),
    status: fc.oneof(
      { arbitrary: fc.constant('available' as const), weight: 3 },
      { arbitrary: fc.constantFrom(...AGENT_STATUSES), weight: 1 },
    ),
    online: fc.boolean(),
    groupIds: fc.subarray([...GROUP_IDS]),
    skills: fc.subarray([...SKILLS]),
    capacity: fc.record({
      messaging: fc.integer({ min: 0, max: 5 }),
      email: fc.integer({ min: 0, max: 5 }),
    }),
    load: fc.record({
      messaging: fc.integer({ min: 0, max: 3 }),
      email: fc.integer({ min: 0, max: 3 }),
    }),
    openCount: fc.integer({ min: 0, max: 3 }),
    lastOfferedAt: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  });

/** Agents with distinct ids. */
export const agentsArb: fc.Arbitrary<AgentSnapshot[]> = fc
  .subarray([...AGENT_IDS], { minLength: 2 })
  .chain((ids) => fc.tuple(...ids.map(agentArb)));

/** Enough agents (up to `max`) that a group outgrows MAX_EXPLAINED. */
export const manyAgentsArb = (max: number): fc.Arbitrary<AgentSnapshot[]> =>
  fc
    .integer({ min: 0, max })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => agentArb(`m${i}`))));

export const groupsArb: fc.Arbitrary<Map<string, GroupRouting>> = fc
  .tuple(
    ...GROUP_IDS.map((id) =>
      fc.record({
        id: fc.constant(id),
        strategy: fc.constantFrom(...STRATEGIES),
        onlyOnline: fc.boolean(),
      }),
    ),
  )
  .map((groups) => new Map(groups.map((g) => [g.id, g])));

export const ticketArb = (id: string): fc.Arbitrary<QueuedTicket> =>
  fc.record({
    id: fc.constant(id),
    groupId: fc.constantFrom<string | null>(...GROUP_IDS, null, 'g-unknown'),
    channel: fc.constantFrom('messaging' as const, 'email' as const),
    priority: fc.constantFrom(...TICKET_PRIORITIES),
    eligibleAt: fc.integer({ min: 0, max: 3 }),
    requiredSkills: fc.oneof(
      { arbitrary: fc.constant([]), weight: 2 },
      // 'klingon' is a skill no agent has.
      { arbitrary: fc.subarray([...SKILLS, 'klingon'], { maxLength: 2 }), weight: 1 },
    ),
    excludedAgentIds: fc.oneof(
      { arbitrary: fc.constant([]), weight: 2 },
      { arbitrary: fc.subarray([...AGENT_IDS], { maxLength: 3 }), weight: 1 },
    ),
    directAgentId: fc.oneof(
      { arbitrary: fc.constant(null), weight: 8 },
      { arbitrary: fc.constantFrom<string>(...AGENT_IDS, 'ghost'), weight: 1 },
    ),
  });

/** A queue of tickets with distinct ids. */
export const queueArb: fc.Arbitrary<QueuedTicket[]> = fc
  .integer({ min: 0, max: 25 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ticketArb(`t${i}`))));
