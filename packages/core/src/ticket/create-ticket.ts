import type { Channel } from '../channel.js';
import { DomainError } from '../errors.js';
import type { Actor } from '../identity/actor.js';
import { normalizeTags } from './tags.js';
import type { Ticket, TicketPriority } from './ticket.js';
import type { TicketChange } from './update-ticket.js';

export interface NewTicket {
  readonly id: string;
  readonly conversationId: string;
  readonly requesterId: string;
  readonly channel: Channel;
  readonly groupId?: string | null;
  readonly priority?: TicketPriority;
  readonly tags?: readonly string[];
  readonly subject?: string | null;
}

/** A ticket is born New, when a bot hands a conversation over or a channel opens one. */
export function createTicket(input: NewTicket, actor: Actor, at: Date): TicketChange {
  if (input.subject && input.subject.trim().length > 250) {
    throw new DomainError('validation/invalid', 'A subject is at most 250 characters', 'subject');
  }
  const ticket: Ticket = {
    id: input.id,
    conversationId: input.conversationId,
    requesterId: input.requesterId,
    channel: input.channel,
    status: 'new',
    priority: input.priority ?? 'normal',
    groupId: input.groupId ?? null,
    assigneeId: null,
    tags: normalizeTags(input.tags ?? []),
    subject: input.subject?.trim() || null,
    createdAt: at,
    updatedAt: at,
    solvedAt: null,
    closedAt: null,
    version: 1,
  };
  return {
    ticket,
    events: [
      {
        type: 'ticket.created',
        status: 'new',
        channel: ticket.channel,
        groupId: ticket.groupId,
        priority: ticket.priority,
        actor,
        at,
      },
    ],
  };
}
