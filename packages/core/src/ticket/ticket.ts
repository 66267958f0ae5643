import type { Channel } from '../channel.js';

export type TicketStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export const TICKET_STATUSES: readonly TicketStatus[] = [
  'new',
  'open',
  'pending',
  'on_hold',
  'solved',
  'closed',
];

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

export interface Ticket {
  readonly id: string;
  readonly conversationId: string;
  readonly requesterId: string;
  readonly channel: Channel;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  readonly groupId: string | null;
  readonly assigneeId: string | null;
  readonly tags: readonly string[];
  readonly subject: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly solvedAt: Date | null;
  readonly closedAt: Date | null;
  /** Bumped on every change; storage uses it to refuse lost updates. */
  readonly version: number;
}
