import type { AgentStatus } from './agent-status.js';
import type { CapacityChannel } from './capacity.js';

/** How a group orders the agents who could take a ticket. */
export type Strategy = 'most_spare_capacity' | 'round_robin' | 'least_open';
export const STRATEGIES: readonly Strategy[] = ['most_spare_capacity', 'round_robin', 'least_open'];

/** An agent as routing sees them at one moment: plain data, never mutated. */
export interface AgentSnapshot {
  readonly id: string;
  readonly status: AgentStatus;
  /** Has a live connection now (not just within the presence grace period). */
  readonly online: boolean;
  readonly groupIds: readonly string[];
  readonly skills: readonly string[];
  readonly capacity: Readonly<Record<CapacityChannel, number>>;
  /** Work counting against capacity now, including pending offers. */
  readonly load: Readonly<Record<CapacityChannel, number>>;
  /** Open conversations assigned (for least_open). */
  readonly openCount: number;
  /** When the agent was last offered work, epoch ms (for round_robin), or null. */
  readonly lastOfferedAt: number | null;
  /**
   * Among agents last offered work in the same millisecond, who was offered first (lower first;
   * absent counts as 0). Set by planned offers, so round robin rotates within one batch.
   */
  readonly offerSeq?: number;
}

export interface GroupRouting {
  readonly id: string;
  readonly strategy: Strategy;
  readonly onlyOnline: boolean;
}

export function spareCapacity(agent: AgentSnapshot, channel: CapacityChannel): number {
  return agent.capacity[channel] - agent.load[channel];
}

/**
 * The agent once offered one more ticket: the offer counts against their capacity at once, and
 * as an open conversation, so that least open spreads a batch instead of filling one agent.
 * `seq` orders offers made in the same millisecond (a counter over the batch).
 */
export function withPlannedOffer(
  agent: AgentSnapshot,
  channel: CapacityChannel,
  now: number,
  seq = 0,
): AgentSnapshot {
  const { messaging, email } = agent.load;
  return {
    ...agent,
    load:
      channel === 'messaging'
        ? { messaging: messaging + 1, email }
        : { messaging, email: email + 1 },
    openCount: agent.openCount + 1,
    lastOfferedAt: now,
    offerSeq: seq,
  };
}
