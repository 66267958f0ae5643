import { Type, type Static } from 'typebox';
import { Id, Nullable, TicketPriority, Timestamp } from './common.js';

const strict = { additionalProperties: false } as const;
const loose = { additionalProperties: true } as const;
const NodeId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Label = Type.String({ minLength: 1, maxLength: 80 });
const BotText = Type.String({ minLength: 1, maxLength: 2_000 });

/** A button under a bot message; the widget sends its label as an ordinary customer message. */
export const QuickReply = Type.Object(
  { label: Label, value: Type.String({ maxLength: 80 }) },
  strict,
);
export type QuickReply = Static<typeof QuickReply>;

/** Where a handoff sends the conversation: the ticket the bot creates. */
export const BotHandoff = Type.Object(
  {
    groupId: Nullable(Id),
    skillIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
    priority: Type.Optional(TicketPriority),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
    subject: Type.Optional(Nullable(Type.String({ maxLength: 250 }))),
  },
  strict,
);
export type BotHandoff = Static<typeof BotHandoff>;

export const BotButton = Type.Object({ label: Label, next: NodeId }, strict);
export type BotButton = Static<typeof BotButton>;

/**
 * The nodes of a flow, tagged by `type`:
 * - `message`: says `text`, offers `buttons` (each leads to a node); without buttons it goes on to
 *   `next`, or waits for the customer's words (answered from the articles);
 * - `collect`: asks for `field` (`name`, `email`, `phone` or an own key) with `prompt`, checks the
 *   answer by `validate` (default: email for `email`, name for `name`, else text), re-asks with
 *   `invalidText` when it does not fit, then goes on to `next`;
 * - `handoff`: says `text` (optional) and hands the conversation to people (`handoff`).
 */
export const BotNode = Type.Union([
  Type.Object(
    {
      type: Type.Literal('message'),
      text: BotText,
      buttons: Type.Optional(Type.Array(BotButton, { maxItems: 10 })),
      next: Type.Optional(NodeId),
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('collect'),
      field: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
      prompt: BotText,
      validate: Type.Optional(
        Type.Union([
          Type.Literal('email'),
          Type.Literal('name'),
          Type.Literal('phone'),
          Type.Literal('text'),
        ]),
      ),
      invalidText: Type.Optional(BotText),
      next: NodeId,
    },
    strict,
  ),
  Type.Object(
    { type: Type.Literal('handoff'), text: Type.Optional(BotText), handoff: BotHandoff },
    strict,
  ),
]);
export type BotNode = Static<typeof BotNode>;

/**
 * An admin-defined conversation flow. `start` is the greeting node. "Talk to a person" (a quick
 * reply on every bot message with choices, or typed) leads to `personNode` when set, else straight
 * to `defaultHandoff`. When `enabled` is false the bot says nothing and hands each new conversation
 * to `defaultHandoff` at the customer's first message.
 */
export const BotFlow = Type.Object(
  {
    enabled: Type.Boolean(),
    start: NodeId,
    nodes: Type.Record(NodeId, BotNode),
    defaultHandoff: BotHandoff,
    personNode: Type.Optional(NodeId),
    /** What the bot says when it understood nothing (then it offers the menu). */
    fallbackText: Type.Optional(BotText),
    /** The label of the always-present "Talk to a person" quick reply. */
    personLabel: Type.Optional(Label),
  },
  strict,
);
export type BotFlow = Static<typeof BotFlow>;

/**
 * The body of PUT /api/bot/flow: the flow's outline only; the server's flow validator checks the
 * rest and names the field at fault (`nodes.menu.buttons.0.next`), including what no schema can
 * say (a button to a node that does not exist, a group or skill that does not exist).
 */
export const SaveBotFlowBody = Type.Object(
  {
    enabled: Type.Boolean(),
    start: Type.String({ maxLength: 64 }),
    nodes: Type.Record(
      Type.String({ maxLength: 64 }),
      Type.Object({ type: Type.String({ maxLength: 20 }) }, loose),
      { maxProperties: 200 },
    ),
    defaultHandoff: Type.Object({}, loose),
    personNode: Type.Optional(Type.String({ maxLength: 64 })),
    fallbackText: Type.Optional(Type.String({ maxLength: 2_000 })),
    personLabel: Type.Optional(Type.String({ maxLength: 80 })),
  },
  strict,
);
export type SaveBotFlowBody = Static<typeof SaveBotFlowBody>;

/** The stored flow: null until an admin saves one (no flow: the bot stays out of conversations). */
export const BotFlowRecord = Type.Object({
  flow: Nullable(BotFlow),
  version: Type.Integer(),
  updatedAt: Nullable(Timestamp),
});
export type BotFlowRecord = Static<typeof BotFlowRecord>;

const Keywords = Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 50 });

/** An article the bot answers from when the customer's words match its keywords, title or text. */
export const BotArticle = Type.Object({
  id: Id,
  title: Type.String(),
  keywords: Type.Array(Type.String()),
  body: Type.String(),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type BotArticle = Static<typeof BotArticle>;

export const CreateBotArticleBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    keywords: Type.Optional(Keywords),
    body: Type.String({ minLength: 1, maxLength: 4_000 }),
    active: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type CreateBotArticleBody = Static<typeof CreateBotArticleBody>;

export const UpdateBotArticleBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    keywords: Type.Optional(Keywords),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 4_000 })),
    active: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type UpdateBotArticleBody = Static<typeof UpdateBotArticleBody>;
