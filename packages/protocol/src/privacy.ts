import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';
import { TicketWrapUp } from './agent-tools.js';
import { FeedEntry } from './feed.js';
import { CsatSurvey, WebhookDelivery } from './outbound.js';
import { Conversation, Message, Ticket, TicketEvent } from './resources.js';

const strict = { additionalProperties: false } as const;

/** Finding an end user (a customer) by what a data subject's request names: email or external id. */
export const EndUserSearchQuery = Type.Object(
  {
    email: Type.Optional(
      Type.String({ minLength: 1, maxLength: 254, description: 'Exact, case-insensitive' }),
    ),
    externalId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "The company's own id (exact)" }),
    ),
  },
  strict,
);
export type EndUserSearchQuery = Static<typeof EndUserSearchQuery>;

export const EndUserParams = Type.Object({ endUserId: Id }, strict);
export type EndUserParams = Static<typeof EndUserParams>;

export const EndUserSummary = Type.Object({
  id: Id,
  externalId: Nullable(Type.String()),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  verified: Type.Boolean(),
  createdAt: Timestamp,
  conversationCount: Type.Integer(),
});
export type EndUserSummary = Static<typeof EndUserSummary>;

/** An email Parlour queued to the person (a reply, a survey link, a notification). */
export const ExportedEmail = Type.Object({
  id: Id,
  ticketId: Nullable(Id),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  kind: Type.String({ description: 'reply, csat or notification' }),
  createdAt: Timestamp,
  sentAt: Nullable(Timestamp),
});
export type ExportedEmail = Static<typeof ExportedEmail>;

/** A file the person sent or received, with its content when the file store still has it. */
export const ExportedAttachment = Type.Object({
  id: Id,
  conversationId: Id,
  messageId: Nullable(Id),
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  createdAt: Timestamp,
  contentBase64: Nullable(Type.String({ description: 'null when the stored file is missing' })),
});
export type ExportedAttachment = Static<typeof ExportedAttachment>;

/**
 * Everything Parlour keeps about one end user (a GDPR access request, article 15), as one JSON
 * document. Conversations hold what the person saw (public messages and the events shown to them);
 * tickets hold the ticket's fields and history (changes and public replies); staff notes about the
 * person are personal data too and come apart, in `internalNotes`.
 */
export const EndUserExport = Type.Object({
  format: Type.Literal('parlour.end-user-export.v1'),
  exportedAt: Timestamp,
  profile: Type.Object({
    id: Id,
    externalId: Nullable(Type.String()),
    email: Nullable(Type.String()),
    name: Nullable(Type.String()),
    verified: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
  conversations: Type.Array(
    Type.Object({
      conversation: Conversation,
      /** Public messages and the events the person's widget showed, in order. */
      feed: Type.Array(FeedEntry),
      attachments: Type.Array(ExportedAttachment),
    }),
  ),
  tickets: Type.Array(
    Type.Object({
      ticket: Ticket,
      /** Changes (ticket_events) and public replies, oldest first; internal notes are apart. */
      history: Type.Array(TicketEvent),
      wrapUps: Type.Array(TicketWrapUp),
      /** Satisfaction surveys sent, with the person's rating and comment when answered. */
      satisfaction: Type.Array(CsatSurvey),
      /** What was sent about the ticket to the company's other systems, and where. */
      webhookDeliveries: Type.Array(WebhookDelivery),
    }),
  ),
  /** Staff-only notes in the person's conversations and tickets. */
  internalNotes: Type.Array(Message),
  emails: Type.Array(ExportedEmail),
});
export type EndUserExport = Static<typeof EndUserExport>;

/** What an erasure removed: rows per table, and files of the file store. */
export const ErasureSummary = Type.Object({
  endUserId: Id,
  erasedAt: Timestamp,
  deleted: Type.Record(Type.String(), Type.Integer()),
  files: Type.Object({
    deleted: Type.Integer(),
    /** Files whose rows are gone but whose deletion failed (logged for an operator). */
    failed: Type.Integer(),
  }),
});
export type ErasureSummary = Static<typeof ErasureSummary>;
