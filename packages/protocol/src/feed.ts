import { Type, type Static } from 'typebox';
import { Id, Nullable, SessionEndReason, Timestamp } from './common.js';
import { Message, Ticket, TicketEvent } from './resources.js';

/**
 * What happens in a conversation, in its own numbered sequence. Clients keep the last seq they saw
 * and, after a reconnect, ask for what came after it. Internal notes and ticket changes are for
 * staff only; end users never receive them.
 */
export const FeedEvent = Type.Union([
  Type.Object({ type: Type.Literal('message.created'), message: Message }),
  Type.Object({
    type: Type.Literal('conversation.handed_off'),
    ticketId: Id,
    groupId: Nullable(Id),
  }),
  Type.Object({
    type: Type.Literal('ticket.updated'),
    ticket: Ticket,
    changes: Type.Array(TicketEvent),
  }),
  Type.Object({ type: Type.Literal('session.ended'), reason: SessionEndReason }),
  Type.Object({ type: Type.Literal('conversation.closed') }),
  /** A second agent joined the chat (a conference): the customer sees who. */
  Type.Object({ type: Type.Literal('agent.joined'), agentId: Id, agentName: Type.String() }),
  Type.Object({ type: Type.Literal('agent.left'), agentId: Id, agentName: Type.String() }),
  /** A satisfaction survey: the widget shows the rating (answer with POST …/csat). */
  Type.Object({ type: Type.Literal('csat.requested'), surveyId: Id, question: Type.String() }),
  /**
   * Staff only: sensitive data (PCI DSS) was kept out of the conversation — masked in a message,
   * a whole message dropped, or an attachment discarded. Counts per kind, never the data.
   */
  Type.Object({
    type: Type.Literal('content.redacted'),
    source: Type.String({ description: 'message, internal_note, attachment, attachment_name, …' }),
    action: Type.Union([
      Type.Literal('masked'),
      Type.Literal('dropped'),
      Type.Literal('discarded'),
    ]),
    counts: Type.Record(Type.String(), Type.Integer()),
    authorType: Type.String(),
  }),
]);
export type FeedEvent = Static<typeof FeedEvent>;

export const FeedEntry = Type.Object({
  conversationId: Id,
  seq: Type.Integer(),
  at: Timestamp,
  event: FeedEvent,
});
export type FeedEntry = Static<typeof FeedEntry>;
