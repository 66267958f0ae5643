import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';

const strict = { additionalProperties: false } as const;

/** A template an inbox may send outside its reply window: `{{name}}` placeholders in its body. */
export const ApiTemplate = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9_]{1,64}$' }),
    body: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  strict,
);
export type ApiTemplate = Static<typeof ApiTemplate>;

const InboxName = Type.String({ minLength: 1, maxLength: 120 });
const WebhookUrl = Type.String({ minLength: 1, maxLength: 2000 });
const ReplyWindowHours = Type.Integer({ minimum: 1, maximum: 24 * 365 });
const Templates = Type.Array(ApiTemplate, { maxItems: 100 });

export const CreateApiInboxBody = Type.Object(
  {
    name: InboxName,
    webhookUrl: WebhookUrl,
    defaultGroupId: Type.Optional(Nullable(Id)),
    replyWindowHours: Type.Optional(Nullable(ReplyWindowHours)),
    templates: Type.Optional(Templates),
  },
  strict,
);
export type CreateApiInboxBody = Static<typeof CreateApiInboxBody>;

export const UpdateApiInboxBody = Type.Object(
  {
    name: Type.Optional(InboxName),
    webhookUrl: Type.Optional(WebhookUrl),
    defaultGroupId: Type.Optional(Nullable(Id)),
    replyWindowHours: Type.Optional(Nullable(ReplyWindowHours)),
    templates: Type.Optional(Templates),
  },
  strict,
);
export type UpdateApiInboxBody = Static<typeof UpdateApiInboxBody>;

/** An inbox as admins see it: never its secret (shown once, on creation and rotation). */
export const ApiInbox = Type.Object({
  id: Id,
  name: Type.String(),
  webhookUrl: Type.String(),
  defaultGroupId: Nullable(Id),
  replyWindowHours: Nullable(Type.Integer()),
  templates: Type.Array(ApiTemplate),
  inboundUrl: Type.String({ description: 'Where the integration POSTs inbound messages' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ApiInbox = Static<typeof ApiInbox>;

/** The inbox with its signing secret: the only time the secret is shown. */
export const ApiInboxWithSecret = Type.Object({ inbox: ApiInbox, secret: Type.String() });
export type ApiInboxWithSecret = Static<typeof ApiInboxWithSecret>;

/** One inbound message from the integration (signed; see POST /api/channels/api/:inboxId/messages). */
export const ApiInboundMessageBody = Type.Object(
  {
    contact: Type.Object(
      {
        id: Type.String({ minLength: 1, maxLength: 200 }),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
      },
      strict,
    ),
    text: Type.String({ minLength: 1, maxLength: 10_000 }),
    externalMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  strict,
);
export type ApiInboundMessageBody = Static<typeof ApiInboundMessageBody>;

export const ApiInboundResult = Type.Object({
  conversationId: Id,
  ticketId: Nullable(Id),
  messageId: Id,
  /** True when this Idempotency-Key was stored before: nothing new was stored. */
  duplicate: Type.Boolean(),
});
export type ApiInboundResult = Static<typeof ApiInboundResult>;

/** An agent sends a template (allowed outside the reply window). */
export const SendApiTemplateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    parameters: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z0-9_]{1,64}$' }), Type.String({ maxLength: 1000 })),
    ),
  },
  strict,
);
export type SendApiTemplateBody = Static<typeof SendApiTemplateBody>;

export const ApiDeliveryStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
]);
export type ApiDeliveryStatus = Static<typeof ApiDeliveryStatus>;

export const ApiDeliveryQuery = Type.Object(
  {
    status: Type.Optional(ApiDeliveryStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  strict,
);
export type ApiDeliveryQuery = Static<typeof ApiDeliveryQuery>;

export const ApiDelivery = Type.Object({
  id: Id,
  inboxId: Id,
  conversationId: Id,
  messageId: Id,
  payload: Type.Unknown(),
  status: ApiDeliveryStatus,
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ApiDelivery = Static<typeof ApiDelivery>;
