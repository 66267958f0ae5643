import { Type, type Static } from 'typebox';
import {
  Channel,
  Id,
  MessageKind,
  Nullable,
  Role,
  TicketPriority,
  TicketStatus,
  Timestamp,
} from './common.js';
import { EndUser, User } from './resources.js';
import { AttachmentIds } from './attachments.js';

const strict = { additionalProperties: false } as const;
const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({ minLength: 8, maxLength: 256 });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Tag = Type.String({ minLength: 1, maxLength: 64 });

export const LoginBody = Type.Object(
  { email: Email, password: Type.String({ maxLength: 256 }) },
  strict,
);
export type LoginBody = Static<typeof LoginBody>;
export const LoginReply = Type.Object({ token: Type.String(), expiresAt: Timestamp, user: User });
export type LoginReply = Static<typeof LoginReply>;

export const CreateApiTokenBody = Type.Object({ name: Name }, strict);
export const ApiTokenInfo = Type.Object({
  id: Id,
  name: Type.String(),
  userId: Id,
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});
export const CreatedApiToken = Type.Object({ ...ApiTokenInfo.properties, token: Type.String() });
export type CreatedApiToken = Static<typeof CreatedApiToken>;

export const WidgetSessionBody = Type.Object(
  {
    jwt: Type.Optional(
      Type.String({
        maxLength: 8192,
        description: 'Identity token signed by the company backend (HS256)',
      }),
    ),
    token: Type.Optional(
      Type.String({
        maxLength: 1024,
        description: 'A widget token from an earlier visit, to stay the same visitor',
      }),
    ),
  },
  strict,
);
export type WidgetSessionBody = Static<typeof WidgetSessionBody>;
export const WidgetSessionReply = Type.Object({
  token: Type.String(),
  expiresAt: Timestamp,
  endUser: EndUser,
});
export type WidgetSessionReply = Static<typeof WidgetSessionReply>;

export const CreateUserBody = Type.Object(
  { role: Role, email: Email, name: Name, password: Password },
  strict,
);
export type CreateUserBody = Static<typeof CreateUserBody>;
export const UpdateUserBody = Type.Object(
  {
    role: Type.Optional(Role),
    email: Type.Optional(Email),
    name: Type.Optional(Name),
    active: Type.Optional(Type.Boolean()),
    password: Type.Optional(Password),
  },
  strict,
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const CreateGroupBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    memberIds: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
  },
  strict,
);
export type CreateGroupBody = Static<typeof CreateGroupBody>;
export const UpdateGroupBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    memberIds: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
  },
  strict,
);
export type UpdateGroupBody = Static<typeof UpdateGroupBody>;

const ClientMessageId = Type.String({ minLength: 1, maxLength: 64 });
const Body = Type.String({ maxLength: 10_000 });

export const StartConversationBody = Type.Object(
  {
    body: Type.Optional(Body),
    clientMessageId: Type.Optional(ClientMessageId),
  },
  strict,
);
export type StartConversationBody = Static<typeof StartConversationBody>;

export const PostMessageBody = Type.Object(
  {
    /** May be empty only when attachmentIds are given. */
    body: Body,
    kind: Type.Optional(MessageKind),
    channel: Type.Optional(Channel),
    clientMessageId: Type.Optional(ClientMessageId),
    attachmentIds: Type.Optional(AttachmentIds),
  },
  strict,
);
export type PostMessageBody = Static<typeof PostMessageBody>;

export const HandoffBody = Type.Object(
  {
    groupId: Type.Optional(Nullable(Id)),
    priority: Type.Optional(TicketPriority),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
    subject: Type.Optional(Nullable(Type.String({ maxLength: 250 }))),
  },
  strict,
);
export type HandoffBody = Static<typeof HandoffBody>;

export const EndSessionBody = Type.Object(
  {
    reason: Type.Union([Type.Literal('ended_by_agent'), Type.Literal('customer_left')]),
    /** Ending the chat as the agent: one or more wrap-up reasons, stored on the ticket (seed 004). */
    wrapUpReasonIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 10 })),
  },
  strict,
);
export type EndSessionBody = Static<typeof EndSessionBody>;

export const UpdateTicketBody = Type.Object(
  {
    status: Type.Optional(TicketStatus),
    priority: Type.Optional(TicketPriority),
    groupId: Type.Optional(Nullable(Id)),
    assigneeId: Type.Optional(Nullable(Id)),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
    addTags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
    removeTags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
    subject: Type.Optional(Nullable(Type.String({ maxLength: 250 }))),
    expectedVersion: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Refuse the update (409) if the ticket changed since this version',
      }),
    ),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateTicketBody = Static<typeof UpdateTicketBody>;

export const TicketListQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ description: 'One status or several, comma-separated' })),
    groupId: Type.Optional(Id),
    assigneeId: Type.Optional(Type.String({ description: 'A user id, "me" or "none"' })),
    conferenceParticipant: Type.Optional(
      Type.Literal('me', {
        description: 'Only the chats you joined as a conference guest (and have not left)',
      }),
    ),
    requesterId: Type.Optional(Id),
    tag: Type.Optional(Tag),
    channel: Type.Optional(Channel),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  },
  strict,
);
export type TicketListQuery = Static<typeof TicketListQuery>;

export const PciMode = Type.Union([Type.Literal('redact'), Type.Literal('drop')]);
export type PciMode = Static<typeof PciMode>;
/** last4: only the last four digits stay visible; first6_last4: the issuer prefix too (the PCI maximum). */
export const PciMask = Type.Union([Type.Literal('last4'), Type.Literal('first6_last4')]);
export type PciMask = Static<typeof PciMask>;
export const UnscannableAttachments = Type.Union([Type.Literal('allow'), Type.Literal('reject')]);
export type UnscannableAttachments = Static<typeof UnscannableAttachments>;

export const Settings = Type.Object({
  requireVerifiedIdentity: Type.Boolean(),
  endUserJwtSecretSet: Type.Boolean(),
  allowedOrigins: Type.Array(Type.String()),
  agentsMayEndSessions: Type.Boolean(),
  csatExpiryDays: Type.Integer(),
  pciMode: PciMode,
  pciMask: PciMask,
  pciDetectIban: Type.Boolean(),
  pciDetectSsn: Type.Boolean(),
  attachmentMaxBytes: Type.Integer(),
  unscannableAttachments: UnscannableAttachments,
  /** The group new email tickets go to (null: the first group by name). */
  emailGroupId: Nullable(Type.String()),
  /** The widget's accent colour (#rrggbb): its header, buttons and launcher. */
  widgetColor: Type.String(),
  /** Shown in the widget above an empty chat; '' for none. */
  widgetGreeting: Type.String(),
  /** IANA time zone reports cut hours, days and weeks in (default UTC). */
  reportTimeZone: Type.Optional(Type.String()),
});
export type Settings = Static<typeof Settings>;
export const UpdateSettingsBody = Type.Object(
  {
    requireVerifiedIdentity: Type.Optional(Type.Boolean()),
    endUserJwtSecret: Type.Optional(Nullable(Type.String({ minLength: 32, maxLength: 512 }))),
    allowedOrigins: Type.Optional(
      Type.Array(Type.String({ pattern: '^https?://[^/]+$', maxLength: 300 }), { maxItems: 100 }),
    ),
    agentsMayEndSessions: Type.Optional(Type.Boolean()),
    /** How long a CSAT survey link stays answerable. */
    csatExpiryDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    /** PCI DSS: mask card data in a message (redact) or refuse the whole message (drop). */
    pciMode: Type.Optional(PciMode),
    /** How much of a masked card number stays visible. */
    pciMask: Type.Optional(PciMask),
    /** Optional detectors, off by default. */
    pciDetectIban: Type.Optional(Type.Boolean()),
    pciDetectSsn: Type.Optional(Type.Boolean()),
    attachmentMaxBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 50 * 1024 * 1024 })),
    /** What happens to an attachment whose type cannot be scanned for card data (images, archives…). */
    unscannableAttachments: Type.Optional(UnscannableAttachments),
    /** The group new email tickets are routed to; null: the first group by name. */
    emailGroupId: Type.Optional(Nullable(Id)),
    /** The widget's accent colour, #rrggbb (white text on it must stay readable). */
    widgetColor: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })),
    /** The widget's greeting above an empty chat; '' for none. */
    widgetGreeting: Type.Optional(Type.String({ maxLength: 500 })),
    /** IANA time zone reports use by default ('Europe/Berlin'); unknown zones are refused. */
    reportTimeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateSettingsBody = Static<typeof UpdateSettingsBody>;

/** What the widget shows before anyone is signed in (GET /api/widget/config, public). */
export const WidgetConfig = Type.Object({
  color: Type.String(),
  greeting: Type.String(),
});
export type WidgetConfig = Static<typeof WidgetConfig>;
