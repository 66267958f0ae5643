import { Type, type Static } from 'typebox';
import { Channel, Id, MessageKind, Nullable, Role } from './common.js';
import { AttachmentIds } from './attachments.js';
import { FeedEntry } from './feed.js';
import { AgentStatus, Offer } from './routing.js';
import { LiveModel, LiveUpdate } from './live-view.js';

const Ref = Type.Optional(
  Type.String({ maxLength: 64, description: 'Echoed back in the reply frame' }),
);
const ClientMessageId = Type.String({ minLength: 1, maxLength: 64 });

/** Frames a client sends over the WebSocket. Unknown types or fields are refused with an error frame. */
export const ClientFrame = Type.Union([
  Type.Object(
    {
      type: Type.Literal('subscribe'),
      ref: Ref,
      conversationId: Id,
      afterSeq: Type.Integer({ minimum: 0 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('unsubscribe'), ref: Ref, conversationId: Id },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('message.send'),
      ref: Ref,
      conversationId: Id,
      clientMessageId: ClientMessageId,
      body: Type.String({ maxLength: 10_000 }),
      kind: Type.Optional(MessageKind),
      channel: Type.Optional(Channel),
      attachmentIds: Type.Optional(AttachmentIds),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('ping'), ref: Ref }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('offer.accept'), ref: Ref, offerId: Id },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('offer.decline'), ref: Ref, offerId: Id },
    { additionalProperties: false },
  ),
  /**
   * The sender is typing (true, repeated at most every 3 s) or stopped (false). Ephemeral: never
   * stored, no seq. `kind` (staff only): "internal" while writing an internal note.
   */
  Type.Object(
    {
      type: Type.Literal('typing'),
      ref: Ref,
      conversationId: Id,
      typing: Type.Boolean(),
      kind: Type.Optional(MessageKind),
    },
    { additionalProperties: false },
  ),
  /** The sender has seen everything up to `seq` (stored; a lower seq never lowers it). */
  Type.Object(
    {
      type: Type.Literal('read'),
      ref: Ref,
      conversationId: Id,
      seq: Type.Integer({ minimum: 0 }),
    },
    { additionalProperties: false },
  ),
  /** Supervisors and admins: the live view (a snapshot, then updates) scoped to their groups. */
  Type.Object({ type: Type.Literal('live.subscribe'), ref: Ref }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('live.unsubscribe'), ref: Ref },
    { additionalProperties: false },
  ),
]);
export type ClientFrame = Static<typeof ClientFrame>;
export type ClientFrameType = ClientFrame['type'];
export const CLIENT_FRAME_TYPES: readonly ClientFrameType[] = [
  'offer.accept',
  'offer.decline',
  'subscribe',
  'unsubscribe',
  'message.send',
  'ping',
  'typing',
  'read',
  'live.subscribe',
  'live.unsubscribe',
];

export const Principal = Type.Union([
  Type.Object({ kind: Type.Literal('user'), id: Id, role: Role }),
  Type.Object({ kind: Type.Literal('end_user'), id: Id }),
]);
export type Principal = Static<typeof Principal>;

/** Who typed or read: a staff member or the customer. */
const ActivityActor = Type.Union([Type.Literal('end_user'), Type.Literal('user')]);

/** The highest seq the end user has read, and the highest any staff member has read (0: none). */
export const ReadMarks = Type.Object({
  endUser: Type.Integer({ minimum: 0 }),
  staff: Type.Integer({ minimum: 0 }),
});
export type ReadMarks = Static<typeof ReadMarks>;

/** Frames the server sends. */
export const ServerFrame = Type.Union([
  Type.Object({
    type: Type.Literal('welcome'),
    protocol: Type.Integer(),
    principal: Principal,
    heartbeatMs: Type.Integer(),
  }),
  Type.Object({ type: Type.Literal('event'), entry: FeedEntry }),
  Type.Object({
    type: Type.Literal('subscribed'),
    ref: Ref,
    conversationId: Id,
    lastSeq: Type.Integer(),
    reads: ReadMarks,
  }),
  Type.Object({ type: Type.Literal('unsubscribed'), ref: Ref, conversationId: Id }),
  Type.Object({
    type: Type.Literal('ack'),
    ref: Ref,
    conversationId: Id,
    clientMessageId: Type.String(),
    messageId: Id,
    seq: Type.Integer(),
    duplicate: Type.Boolean(),
  }),
  Type.Object({
    type: Type.Literal('error'),
    ref: Ref,
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    /** With `rate/limited`: seconds until frames are taken again. */
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  Type.Object({ type: Type.Literal('pong'), ref: Ref }),
  /** A request frame that has no other reply (offer.accept, offer.decline) was done. */
  Type.Object({ type: Type.Literal('ok'), ref: Ref }),
  /** Routing, to one agent: a ticket is offered; an offer ended (accepted, declined, expired, withdrawn); their status changed. */
  Type.Object({ type: Type.Literal('offer'), offer: Offer }),
  Type.Object({
    type: Type.Literal('offer.closed'),
    offerId: Id,
    ticketId: Id,
    outcome: Type.Union([
      Type.Literal('accepted'),
      Type.Literal('declined'),
      Type.Literal('expired'),
      Type.Literal('withdrawn'),
    ]),
  }),
  Type.Object({
    type: Type.Literal('agent.status'),
    status: AgentStatus,
    idleReasonId: Type.Union([Id, Type.Null()]),
    cause: Type.String(),
  }),
  Type.Object({
    type: Type.Literal('conference.invited'),
    conversationId: Id,
    ticketId: Id,
    invitedBy: Id,
  }),
  /** Someone else in the conversation is typing; clients expire `typing: true` after 6 s. */
  Type.Object({
    type: Type.Literal('typing'),
    conversationId: Id,
    actor: Type.Object({ type: ActivityActor, id: Id, name: Nullable(Type.String()) }),
    typing: Type.Boolean(),
  }),
  /** Someone else read the conversation up to `seq`. */
  Type.Object({
    type: Type.Literal('read'),
    conversationId: Id,
    reader: Type.Object({ type: ActivityActor, id: Id }),
    seq: Type.Integer({ minimum: 0 }),
  }),
  /** The live view: the whole model on live.subscribe, then rows that changed. */
  Type.Object({ type: Type.Literal('live.snapshot'), ref: Ref, model: LiveModel }),
  Type.Object({ type: Type.Literal('live.update'), update: LiveUpdate }),
  Type.Object({ type: Type.Literal('live.unsubscribed'), ref: Ref }),
]);
export type ServerFrame = Static<typeof ServerFrame>;
