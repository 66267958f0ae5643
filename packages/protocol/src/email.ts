import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';

/** An outgoing email the sender gave up on (admins see it and may retry it). */
export const DeadEmail = Type.Object({
  id: Id,
  ticketId: Nullable(Id),
  to: Type.String(),
  subject: Type.String(),
  kind: Type.Union([Type.Literal('reply'), Type.Literal('csat'), Type.Literal('notification')]),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type DeadEmail = Static<typeof DeadEmail>;

/** What became of an email given to POST /api/email/inbound. */
export const InboundEmailOutcome = Type.Object({
  outcome: Type.Union([
    Type.Literal('created'),
    Type.Literal('replied'),
    Type.Literal('followed_up'),
    Type.Literal('duplicate'),
    Type.Literal('ignored'),
  ]),
  ticketId: Type.Optional(Id),
  conversationId: Type.Optional(Id),
  previousTicketId: Type.Optional(Id),
  reason: Type.Optional(Type.String()),
});
export type InboundEmailOutcome = Static<typeof InboundEmailOutcome>;
