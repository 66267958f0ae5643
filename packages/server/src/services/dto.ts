import type { Conversation, Message, Session } from '@parlour/core';
import type * as P from '@parlour/protocol';
import type {
  FeedItem,
  HistoryEntry,
  StoredAttachment,
  StoredEndUser,
  StoredGroup,
  StoredTicket,
  StoredUser,
} from '@parlour/storage';

/** Domain objects to wire shapes: dates become ISO strings, nothing secret leaves. */
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function userDto(u: StoredUser): P.User {
  return {
    id: u.id,
    role: u.role,
    email: u.email,
    name: u.name,
    active: u.active,
    groupIds: [...u.groupIds],
    createdAt: iso(u.createdAt),
  };
}

export function groupDto(g: StoredGroup): P.Group {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    memberIds: [...g.memberIds],
    createdAt: iso(g.createdAt),
  };
}

export function endUserDto(e: StoredEndUser): P.EndUser {
  return { id: e.id, externalId: e.externalId, email: e.email, name: e.name, verified: e.verified };
}

export function sessionDto(s: Session): P.Session {
  return {
    id: s.id,
    state: s.state,
    endReason: s.endReason,
    startedAt: iso(s.startedAt),
    endedAt: isoOrNull(s.endedAt),
  };
}

export function conversationDto(
  c: Conversation,
  session: Session | null,
  lastSeq: number,
): P.Conversation {
  return {
    id: c.id,
    endUserId: c.endUserId,
    channel: c.channel,
    state: c.state,
    ticketId: c.ticketId,
    lastSeq,
    session: session ? sessionDto(session) : null,
    createdAt: iso(c.createdAt),
    closedAt: isoOrNull(c.closedAt),
  };
}

export function attachmentDto(a: StoredAttachment): P.Attachment {
  return {
    id: a.id,
    conversationId: a.conversationId,
    messageId: a.messageId,
    fileName: a.fileName,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    createdAt: iso(a.createdAt),
    url: `/api/attachments/${a.id}`,
  };
}

/** A message without attachments (or whose attachments the caller did not load). */
export function messageDto(m: Message): P.Message {
  return messageWithAttachmentsDto(m, []);
}

export function messageWithAttachmentsDto(
  m: Message,
  attachments: readonly P.Attachment[],
): P.Message {
  return {
    id: m.id,
    conversationId: m.conversationId,
    ticketId: m.ticketId,
    seq: m.seq,
    kind: m.kind,
    authorType: m.authorType,
    authorId: m.authorId,
    channel: m.channel,
    body: m.body,
    clientMessageId: m.clientMessageId,
    createdAt: iso(m.createdAt),
    attachments: [...attachments],
    ...(m.quickReplies ? { quickReplies: m.quickReplies.map((q) => ({ ...q })) } : {}),
  };
}

export function ticketDto(t: StoredTicket): P.Ticket {
  return {
    id: t.id,
    number: t.number,
    conversationId: t.conversationId,
    requesterId: t.requesterId,
    channel: t.channel,
    status: t.status,
    priority: t.priority,
    groupId: t.groupId,
    assigneeId: t.assigneeId,
    tags: [...t.tags],
    subject: t.subject,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    solvedAt: isoOrNull(t.solvedAt),
    closedAt: isoOrNull(t.closedAt),
    version: t.version,
  };
}

export function historyDto(h: HistoryEntry): P.TicketEvent {
  return {
    id: h.id,
    ticketId: h.ticketId,
    type: h.type,
    actor: { type: h.actorType as P.TicketEvent['actor']['type'], id: h.actorId },
    data: h.data,
    at: iso(h.at),
  };
}

/** A stored feed item as the wire entry clients receive. */
export function feedEntryOf(conversationId: string, item: FeedItem): P.FeedEntry {
  if (item.kind === 'message') {
    return {
      conversationId,
      seq: item.seq,
      at: iso(item.message.createdAt),
      event: {
        type: 'message.created',
        message: messageWithAttachmentsDto(item.message, item.attachments.map(attachmentDto)),
      },
    };
  }
  return {
    conversationId,
    seq: item.seq,
    at: iso(item.event.at),
    event: item.event.data as P.FeedEvent,
  };
}
