import { Type, type Static } from 'typebox';
import {
  ActorType,
  Channel,
  Id,
  MessageKind,
  Nullable,
  Role,
  SessionEndReason,
  TicketPriority,
  TicketStatus,
  Timestamp,
} from './common.js';
import { Attachment } from './attachments.js';
import { QuickReply } from './bot.js';

export const User = Type.Object({
  id: Id,
  role: Role,
  email: Type.String(),
  name: Type.String(),
  active: Type.Boolean(),
  groupIds: Type.Array(Id),
  createdAt: Timestamp,
});
export type User = Static<typeof User>;

export const Group = Type.Object({
  id: Id,
  name: Type.String(),
  description: Nullable(Type.String()),
  memberIds: Type.Array(Id),
  createdAt: Timestamp,
});
export type Group = Static<typeof Group>;

export const EndUser = Type.Object({
  id: Id,
  externalId: Nullable(Type.String()),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  verified: Type.Boolean(),
});
export type EndUser = Static<typeof EndUser>;

export const Session = Type.Object({
  id: Id,
  state: Type.Union([Type.Literal('active'), Type.Literal('ended')]),
  endReason: Nullable(SessionEndReason),
  startedAt: Timestamp,
  endedAt: Nullable(Timestamp),
});
export type Session = Static<typeof Session>;

const ComposerChannel = Type.Union([
  Type.Literal('messaging'),
  Type.Literal('email'),
  Type.Literal('api'),
  Type.Literal('internal'),
]);

export const Conversation = Type.Object({
  id: Id,
  endUserId: Id,
  channel: Channel,
  state: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  ticketId: Nullable(Id),
  lastSeq: Type.Integer(),
  session: Nullable(Session),
  createdAt: Timestamp,
  closedAt: Nullable(Timestamp),
  /** Staff only: what the agent's composer offers and starts on (seeds 000, 002). */
  composer: Type.Optional(
    Type.Object({
      available: Type.Array(ComposerChannel),
      default: ComposerChannel,
    }),
  ),
});
export type Conversation = Static<typeof Conversation>;

export const Message = Type.Object({
  id: Id,
  conversationId: Id,
  ticketId: Nullable(Id),
  seq: Type.Integer(),
  kind: MessageKind,
  authorType: ActorType,
  authorId: Nullable(Id),
  channel: Channel,
  body: Type.String(),
  clientMessageId: Nullable(Type.String()),
  createdAt: Timestamp,
  /** Files sent with the message (empty when none). */
  attachments: Type.Array(Attachment),
  /** A bot message's buttons; the widget sends the pressed one's label as a customer message. */
  quickReplies: Type.Optional(Type.Array(QuickReply)),
});
export type Message = Static<typeof Message>;

export const Ticket = Type.Object({
  id: Id,
  number: Type.Integer(),
  conversationId: Id,
  requesterId: Id,
  channel: Channel,
  status: TicketStatus,
  priority: TicketPriority,
  groupId: Nullable(Id),
  assigneeId: Nullable(Id),
  tags: Type.Array(Type.String()),
  subject: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  solvedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  version: Type.Integer(),
});
export type Ticket = Static<typeof Ticket>;

export const Actor = Type.Object({ type: ActorType, id: Nullable(Id) });
export type Actor = Static<typeof Actor>;

/** One line of a ticket's history: a change, or a message (public reply or internal note). */
export const TicketEvent = Type.Object({
  id: Type.String(),
  ticketId: Id,
  type: Type.String({
    description:
      'ticket.created, ticket.status_changed, message.public_reply, message.internal_note, session.ended, …',
  }),
  actor: Actor,
  data: Type.Record(Type.String(), Type.Unknown()),
  at: Timestamp,
});
export type TicketEvent = Static<typeof TicketEvent>;

export const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
