import { DomainError } from '../errors.js';
import type { Actor } from '../identity/actor.js';
import { createTicket } from '../ticket/create-ticket.js';
import type { TicketPriority } from '../ticket/ticket.js';
import type { TicketChange } from '../ticket/update-ticket.js';
import { messagingOpen, type ConversationState } from './conversation-state.js';
import type { Conversation } from './conversation.js';

export interface HandoffInput {
  readonly ticketId: string;
  readonly groupId?: string | null;
  readonly priority?: TicketPriority;
  readonly tags?: readonly string[];
  readonly subject?: string | null;
}

export interface Handoff extends TicketChange {
  readonly conversation: Conversation;
}

/**
 * The bot (or the customer asking for a person) hands the conversation to people: its one ticket
 * is created, New, in the chosen group. A messaging conversation can only be handed off while its
 * session is active.
 */
export function handOff(
  state: ConversationState,
  input: HandoffInput,
  actor: Actor,
  at: Date,
): Handoff {
  const { conversation } = state;
  if (conversation.state === 'closed') {
    throw new DomainError('conversation/closed', 'This conversation is closed', 'conversationId');
  }
  if (conversation.ticketId !== null) {
    throw new DomainError(
      'ticket/already-exists',
      'This conversation has already been handed to an agent',
      'conversationId',
    );
  }
  if (conversation.channel === 'messaging' && !messagingOpen(state)) {
    throw new DomainError('session/ended', 'This chat has ended', 'conversationId');
  }
  const change = createTicket(
    {
      id: input.ticketId,
      conversationId: conversation.id,
      requesterId: conversation.endUserId,
      channel: conversation.channel,
      groupId: input.groupId ?? null,
      priority: input.priority ?? 'normal',
      tags: input.tags ?? [],
      subject: input.subject ?? null,
    },
    actor,
    at,
  );
  return { ...change, conversation: { ...conversation, ticketId: input.ticketId } };
}
