import type { AgentSnapshot, Strategy } from './agent-snapshot.js';
import type { CapacityChannel } from './capacity.js';

export type AgentOrder = (a: AgentSnapshot, b: AgentSnapshot) => number;

/** Code-unit order, never locale order: the same everywhere. */
export function compareAgentIds(a: AgentSnapshot, b: AgentSnapshot): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Longest since the last offer first; never offered before anyone. */
function compareLastOffered(a: AgentSnapshot, b: AgentSnapshot): number {
  const x = a.lastOfferedAt;
  const y = b.lastOfferedAt;
  if (x === y) return (a.offerSeq ?? 0) - (b.offerSeq ?? 0);
  if (x === null) return -1;
  if (y === null) return 1;
  return x - y;
}

function mostSpare(channel: CapacityChannel): AgentOrder {
  return (a, b) =>
    b.capacity[channel] - b.load[channel] - (a.capacity[channel] - a.load[channel]) ||
    compareLastOffered(a, b) ||
    compareAgentIds(a, b);
}

const roundRobin: AgentOrder = (a, b) => compareLastOffered(a, b) || compareAgentIds(a, b);

const leastOpen: AgentOrder = (a, b) =>
  a.openCount - b.openCount || compareLastOffered(a, b) || compareAgentIds(a, b);

const ORDERS: Readonly<Record<Strategy, Readonly<Record<CapacityChannel, AgentOrder>>>> = {
  most_spare_capacity: { messaging: mostSpare('messaging'), email: mostSpare('email') },
  round_robin: { messaging: roundRobin, email: roundRobin },
  least_open: { messaging: leastOpen, email: leastOpen },
};

/**
 * The order in which a group's strategy prefers agents for a ticket of `channel`: best first,
 * total (the agent id breaks the last tie), so every decision is reproducible.
 */
export function strategyOrder(strategy: Strategy, channel: CapacityChannel): AgentOrder {
  return ORDERS[strategy][channel];
}

export const STRATEGY_NAMES: Readonly<Record<Strategy, string>> = {
  most_spare_capacity: 'most spare capacity',
  round_robin: 'round robin',
  least_open: 'least open conversations',
};

/**
 * An agent with their place in a strategy's order as plain numbers, so that an index can keep
 * thousands of agents sorted with cheap, monomorphic comparisons. `compareRanked` orders ranked
 * agents exactly as `strategyOrder` orders the agents themselves.
 */
export interface RankedAgent {
  readonly agent: AgentSnapshot;
  /** Lower first: minus the spare capacity, the open count, or 0 for round robin. */
  readonly primary: number;
  /** The last offer, -Infinity when never offered. */
  readonly since: number;
  readonly seq: number;
  readonly id: string;
}

export function rankAgent(
  agent: AgentSnapshot,
  strategy: Strategy,
  channel: CapacityChannel,
): RankedAgent {
  return {
    agent,
    primary:
      strategy === 'most_spare_capacity'
        ? agent.load[channel] - agent.capacity[channel]
        : strategy === 'least_open'
          ? agent.openCount
          : 0,
    since: agent.lastOfferedAt ?? -Infinity,
    seq: agent.offerSeq ?? 0,
    id: agent.id,
  };
}

export function compareRanked(a: RankedAgent, b: RankedAgent): number {
  if (a.primary !== b.primary) return a.primary < b.primary ? -1 : 1;
  if (a.since !== b.since) return a.since < b.since ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
