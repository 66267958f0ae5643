import type { TicketStatus } from '../ticket/ticket.js';

/** Capacity is counted per channel: messaging (with API conversations) and email apart. */
export type CapacityChannel = 'messaging' | 'email';
export const CAPACITY_CHANNELS: readonly CapacityChannel[] = ['messaging', 'email'];

/** API conversations are live conversations: they count as messaging. */
export function capacityChannelOf(channel: 'messaging' | 'email' | 'api'): CapacityChannel {
  return channel === 'email' ? 'email' : 'messaging';
}

/** Statuses in which a ticket is work in hand; Pending, On-hold, Solved and Closed free it. */
const WORKING: readonly TicketStatus[] = ['new', 'open'];

/**
 * Which capacity a ticket uses for its assignee, or null when it frees it (seeds 000/001):
 * messaging/api tickets count while New or Open AND the session is active; email tickets count
 * while New or Open; Pending, On-hold, Solved, Closed free it; an ended session frees messaging
 * capacity (and does not start using email capacity).
 */
export function capacityUsedBy(
  ticket: { readonly channel: 'messaging' | 'email' | 'api'; readonly status: TicketStatus },
  sessionActive: boolean,
): CapacityChannel | null {
  if (!WORKING.includes(ticket.status)) return null;
  const channel = capacityChannelOf(ticket.channel);
  if (channel === 'messaging' && !sessionActive) return null;
  return channel;
}
