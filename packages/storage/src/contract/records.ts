import type { Conversation, Message, Session, Ticket } from '@parlour/core';
import type { Db } from '../database.js';
import { insertConversation } from '../repos/conversations.js';
import { insertAnonymousEndUser, upsertVerifiedEndUser } from '../repos/end-users.js';
import type { StoredTicket } from '../repos/map-rows.js';
import { insertTicket } from '../repos/tickets.js';

/** Contract tests use fixed instants, so expected orderings never depend on the clock. */
export const T0 = new Date('2025-03-01T09:00:00.000Z');

export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

export function newConversation(
  endUserId: string,
  overrides: Partial<Conversation> = {},
): Conversation {
  return {
    id: crypto.randomUUID(),
    endUserId,
    channel: 'messaging',
    state: 'open',
    ticketId: null,
    createdAt: T0,
    closedAt: null,
    ...overrides,
  };
}

export function newSession(conversationId: string, overrides: Partial<Session> = {}): Session {
  return {
    id: crypto.randomUUID(),
    conversationId,
    state: 'active',
    endReason: null,
    startedAt: T0,
    endedAt: null,
    ...overrides,
  };
}

export function newTicket(conversation: Conversation, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: conversation.ticketId ?? crypto.randomUUID(),
    conversationId: conversation.id,
    requesterId: conversation.endUserId,
    channel: conversation.channel,
    status: 'new',
    priority: 'normal',
    groupId: null,
    assigneeId: null,
    tags: [],
    subject: null,
    createdAt: T0,
    updatedAt: T0,
    solvedAt: null,
    closedAt: null,
    version: 1,
    ...overrides,
  };
}

export function newMessage(
  conversationId: string,
  seq: number,
  overrides: Partial<Message> = {},
): Message {
  return {
    id: crypto.randomUUID(),
    conversationId,
    ticketId: null,
    seq,
    kind: 'public',
    authorType: 'end_user',
    authorId: null,
    channel: 'messaging',
    body: `message ${seq}`,
    clientMessageId: null,
    createdAt: at(seq),
    ...overrides,
  };
}

export interface SeededConversation {
  readonly endUserId: string;
  readonly conversation: Conversation;
  readonly session: Session | null;
  readonly ticket: StoredTicket | null;
}

/**
 * An end user (verified with an email, or anonymous) and a conversation with its session and,
 * when `ticket` is given, the ticket it was handed off to.
 */
export async function seedConversation(
  db: Db,
  options: {
    email?: string;
    channel?: Conversation['channel'];
    session?: boolean;
    ticket?: Partial<Ticket>;
    requesterId?: string;
  } = {},
): Promise<SeededConversation> {
  let endUserId = options.requesterId;
  if (!endUserId) {
    const id = crypto.randomUUID();
    const endUser = options.email
      ? await upsertVerifiedEndUser(db, {
          id,
          externalId: `ext-${id}`,
          email: options.email,
          name: 'Grace',
          at: T0,
        })
      : await insertAnonymousEndUser(db, id, T0);
    endUserId = endUser.id;
  }
  const channel = options.channel ?? 'messaging';
  const conversation = newConversation(endUserId, {
    channel,
    ticketId: options.ticket ? (options.ticket.id ?? crypto.randomUUID()) : null,
  });
  const session =
    options.session === false || channel !== 'messaging' ? null : newSession(conversation.id);
  await insertConversation(db, conversation, session, T0);
  const ticket = options.ticket
    ? await insertTicket(db, newTicket(conversation, options.ticket))
    : null;
  return { endUserId, conversation, session, ticket };
}
