import { Type, type Static } from 'typebox';
import { Id, MessageKind, Nullable, TicketPriority, TicketStatus, Timestamp } from './common.js';
import { Message, Ticket, TicketEvent } from './resources.js';

const strict = { additionalProperties: false } as const;
const Title = Type.String({ minLength: 1, maxLength: 200 });
const Text = Type.String({ maxLength: 10_000 });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 });
const Position = Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 });

/** The ticket-field actions a macro may carry (the rule actions that change fields). */
export const MacroAction = Type.Union([
  Type.Object({ type: Type.Literal('set_status'), value: TicketStatus }),
  Type.Object({ type: Type.Literal('set_priority'), value: TicketPriority }),
  Type.Object({ type: Type.Literal('set_group'), value: Nullable(Id) }),
  Type.Object({ type: Type.Literal('set_assignee'), value: Nullable(Id) }),
  Type.Object({ type: Type.Literal('add_tags'), value: Tags }),
  Type.Object({ type: Type.Literal('remove_tags'), value: Tags }),
]);
export type MacroAction = Static<typeof MacroAction>;

/**
 * Actions as sent: each is checked by the server's rule validator, which names the action and
 * the field at fault (actions.1.value) instead of a schema union's guess.
 */
const MacroActionsInput = Type.Array(
  Type.Object(
    { type: Type.String({ maxLength: 50 }) },
    {
      description:
        '{type: set_status|set_priority|set_group|set_assignee|add_tags|remove_tags, value}',
    },
  ),
  { maxItems: 50 },
);

export const Macro = Type.Object({
  id: Id,
  title: Type.String(),
  /** Standard text with placeholders such as {{requester.first_name}}; null: actions only. */
  body: Nullable(Type.String()),
  bodyKind: MessageKind,
  actions: Type.Array(MacroAction),
  /** Shared macros are for everyone (admins manage them); personal ones only for their owner. */
  shared: Type.Boolean(),
  ownerId: Nullable(Id),
  active: Type.Boolean(),
  position: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Macro = Static<typeof Macro>;

export const CreateMacroBody = Type.Object(
  {
    title: Title,
    body: Type.Optional(Nullable(Text)),
    bodyKind: Type.Optional(MessageKind),
    actions: Type.Optional(MacroActionsInput),
    /** Admins only: a macro for everyone. Default: a personal macro. */
    shared: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
    position: Type.Optional(Position),
  },
  strict,
);
export type CreateMacroBody = Static<typeof CreateMacroBody>;

export const UpdateMacroBody = Type.Object(
  {
    title: Type.Optional(Title),
    body: Type.Optional(Nullable(Text)),
    bodyKind: Type.Optional(MessageKind),
    actions: Type.Optional(MacroActionsInput),
    active: Type.Optional(Type.Boolean()),
    position: Type.Optional(Position),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateMacroBody = Static<typeof UpdateMacroBody>;

/** What applying a macro would do to a ticket, written nowhere. */
export const MacroPreview = Type.Object({
  /** The ticket as it would be after the macro's actions. */
  ticket: Ticket,
  changes: Type.Array(TicketEvent),
  /** The macro's text filled in for this ticket and agent (null: the macro has no text). */
  text: Nullable(Type.String()),
  kind: MessageKind,
});
export type MacroPreview = Static<typeof MacroPreview>;

export const ApplyMacroBody = Type.Object(
  {
    /** The text as the agent edited it (placeholders are filled in); default: the macro's text. */
    body: Type.Optional(Text),
    kind: Type.Optional(MessageKind),
  },
  strict,
);
export type ApplyMacroBody = Static<typeof ApplyMacroBody>;

export const AppliedMacro = Type.Object({
  ticket: Ticket,
  /** The message posted, or null when there was no text to send. */
  message: Nullable(Message),
});
export type AppliedMacro = Static<typeof AppliedMacro>;

const Shortcut = Type.String({ minLength: 1, maxLength: 50, pattern: '^\\S+$' });

export const PredefinedResponse = Type.Object({
  id: Id,
  title: Type.String(),
  /** What an agent types to find it quickly (unique, case-insensitive). */
  shortcut: Nullable(Type.String()),
  /** The text with placeholders. */
  body: Type.String(),
  /** Offered on this group's tickets only; null: on every ticket. */
  groupId: Nullable(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PredefinedResponse = Static<typeof PredefinedResponse>;

export const CreateResponseBody = Type.Object(
  {
    title: Title,
    shortcut: Type.Optional(Nullable(Shortcut)),
    body: Type.String({ minLength: 1, maxLength: 10_000 }),
    groupId: Type.Optional(Nullable(Id)),
  },
  strict,
);
export type CreateResponseBody = Static<typeof CreateResponseBody>;

export const UpdateResponseBody = Type.Object(
  {
    title: Type.Optional(Title),
    shortcut: Type.Optional(Nullable(Shortcut)),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
    groupId: Type.Optional(Nullable(Id)),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateResponseBody = Static<typeof UpdateResponseBody>;

export const ResponseSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    /** Fill the placeholders for this ticket (and offer only responses for its group). */
    ticketId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  strict,
);
export type ResponseSearchQuery = Static<typeof ResponseSearchQuery>;

export const RenderedResponse = Type.Object({
  ...PredefinedResponse.properties,
  /** The text ready to edit and send: placeholders filled for the ticket and the agent. */
  text: Type.String(),
});
export type RenderedResponse = Static<typeof RenderedResponse>;

export const WrapUpReason = Type.Object({
  id: Id,
  name: Type.String(),
  active: Type.Boolean(),
  position: Type.Integer(),
});
export type WrapUpReason = Static<typeof WrapUpReason>;

export const CreateWrapUpReasonBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), position: Type.Optional(Position) },
  strict,
);
export type CreateWrapUpReasonBody = Static<typeof CreateWrapUpReasonBody>;

export const UpdateWrapUpReasonBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    active: Type.Optional(Type.Boolean()),
    position: Type.Optional(Position),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateWrapUpReasonBody = Static<typeof UpdateWrapUpReasonBody>;

export const WrapUpBody = Type.Object(
  { reasonIds: Type.Array(Id, { minItems: 1, maxItems: 10 }) },
  strict,
);
export type WrapUpBody = Static<typeof WrapUpBody>;

export const TicketWrapUp = Type.Object({
  reasonId: Id,
  name: Type.String(),
  createdBy: Nullable(Id),
  createdAt: Timestamp,
});
export type TicketWrapUp = Static<typeof TicketWrapUp>;
