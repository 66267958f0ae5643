import type { TicketPriority } from '../ticket/ticket.js';
import type { CapacityChannel } from './capacity.js';

/** A ticket waiting for an agent, as routing sees it. */
export interface QueuedTicket {
  readonly id: string;
  readonly groupId: string | null;
  readonly channel: CapacityChannel;
  readonly priority: TicketPriority;
  /** When it became eligible (its place in the queue), epoch ms. */
  readonly eligibleAt: number;
  readonly requiredSkills: readonly string[];
  /** Agents who must not get this ticket now (declined it, missed it, or failed to answer it). */
  readonly excludedAgentIds: readonly string[];
  /** Direct assignment/transfer to a named agent: only they may get it. */
  readonly directAgentId: string | null;
}

const PRIORITY_RANK: Readonly<Record<TicketPriority, number>> = {
  urgent: 0,
  high: 1,
  normal: 2,
  low: 3,
};

/** Queue order: priority (urgent first), then longest waiting, then id so the order is total. */
export function compareQueueOrder(a: QueuedTicket, b: QueuedTicket): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    a.eligibleAt - b.eligibleAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
