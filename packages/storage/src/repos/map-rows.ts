import type { Conversation, Message, Session, Ticket } from '@parlour/core';
import type { Selectable } from 'kysely';
import type { ConversationsTable, MessagesTable, SessionsTable, TicketsTable } from '../schema.js';

/** The ticket columns the core's Ticket is made of (routing columns are read separately). */
export type TicketRow = Pick<
  Selectable<TicketsTable>,
  | 'id'
  | 'number'
  | 'conversation_id'
  | 'requester_id'
  | 'channel'
  | 'status'
  | 'priority'
  | 'group_id'
  | 'assignee_id'
  | 'tags'
  | 'subject'
  | 'created_at'
  | 'updated_at'
  | 'solved_at'
  | 'closed_at'
  | 'version'
>;

export function toConversation(row: Selectable<ConversationsTable>): Conversation {
  return {
    id: row.id,
    endUserId: row.end_user_id,
    channel: row.channel,
    state: row.state,
    ticketId: row.ticket_id,
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}

export function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    state: row.state,
    endReason: row.end_reason,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

/** A ticket as the core sees it, plus its human-facing number. */
export type StoredTicket = Ticket & { readonly number: number };

export function toTicket(row: TicketRow): StoredTicket {
  return {
    id: row.id,
    number: row.number,
    conversationId: row.conversation_id,
    requesterId: row.requester_id,
    channel: row.channel,
    status: row.status,
    priority: row.priority,
    groupId: row.group_id,
    assigneeId: row.assignee_id,
    tags: row.tags,
    subject: row.subject,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    solvedAt: row.solved_at,
    closedAt: row.closed_at,
    version: row.version,
  };
}

export function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    ticketId: row.ticket_id,
    seq: row.seq,
    kind: row.kind,
    authorType: row.author_type,
    authorId: row.author_id,
    channel: row.channel,
    body: row.body,
    clientMessageId: row.client_message_id,
    createdAt: row.created_at,
    ...(row.quick_replies ? { quickReplies: row.quick_replies } : {}),
  };
}

export function messageRow(message: Message): Selectable<MessagesTable> {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    seq: message.seq,
    ticket_id: message.ticketId,
    kind: message.kind,
    author_type: message.authorType,
    author_id: message.authorId,
    channel: message.channel,
    body: message.body,
    client_message_id: message.clientMessageId,
    created_at: message.createdAt,
    quick_replies: message.quickReplies ? message.quickReplies.map((q) => ({ ...q })) : null,
  };
}
