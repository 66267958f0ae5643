import type { Channel } from '../channel.js';

export type ConversationStatus = 'open' | 'closed';

/**
 * The whole lifecycle of one customer request, from the first message until its ticket is
 * Closed (or, before any handoff, until the customer leaves the bot).
 */
export interface Conversation {
  readonly id: string;
  readonly endUserId: string;
  readonly channel: Channel;
  readonly state: ConversationStatus;
  /** Set once the conversation has been handed to people. */
  readonly ticketId: string | null;
  readonly createdAt: Date;
  readonly closedAt: Date | null;
}
