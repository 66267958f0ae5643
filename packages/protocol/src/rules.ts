import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';

/**
 * Triggers, automations and conversation styles. Conditions and actions are checked in depth by
 * the core's rule validator (packages/core/src/rules/validate-rules.ts), which names the exact
 * condition or action at fault (`conditions.all.0.operator`); the schemas here give their shape.
 */
export const RuleCondition = Type.Object(
  {
    field: Type.String({ maxLength: 100 }),
    operator: Type.String({ maxLength: 50 }),
    value: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 1000 }),
        Type.Number(),
        Type.Boolean(),
        Type.Null(),
        Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 }),
      ]),
    ),
  },
  { additionalProperties: false },
);

export const RuleConditions = Type.Object(
  {
    all: Type.Array(RuleCondition, { maxItems: 50 }),
    any: Type.Array(RuleCondition, { maxItems: 50 }),
  },
  { additionalProperties: false },
);

/** One action: `{ "type": "set_status", "value": "solved" }`, `{ "type": "add_note", "body": "…" }`, … */
export const RuleAction = Type.Object(
  {
    type: Type.String({ maxLength: 50 }),
    value: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 1000 }),
        Type.Null(),
        Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 }),
      ]),
    ),
    body: Type.Optional(Type.String({ maxLength: 10000 })),
    url: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const TriggerBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    category: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    scope: Type.Optional(Type.Union([Type.Literal('ticket'), Type.Literal('messaging')])),
    active: Type.Optional(Type.Boolean()),
    conditions: RuleConditions,
    actions: Type.Array(RuleAction, { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type TriggerBody = Static<typeof TriggerBody>;

export const Trigger = Type.Object({
  id: Id,
  name: Type.String(),
  category: Nullable(Type.String()),
  scope: Type.Union([Type.Literal('ticket'), Type.Literal('messaging')]),
  active: Type.Boolean(),
  position: Type.Integer(),
  conditions: RuleConditions,
  actions: Type.Array(RuleAction),
  preset: Nullable(Type.String()),
});
export type Trigger = Static<typeof Trigger>;

export const AutomationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    active: Type.Optional(Type.Boolean()),
    conditions: RuleConditions,
    actions: Type.Array(RuleAction, { maxItems: 50 }),
    oncePerTicket: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AutomationBody = Static<typeof AutomationBody>;

export const Automation = Type.Object({
  id: Id,
  name: Type.String(),
  active: Type.Boolean(),
  position: Type.Integer(),
  conditions: RuleConditions,
  actions: Type.Array(RuleAction),
  oncePerTicket: Type.Boolean(),
  preset: Nullable(Type.String()),
});
export type Automation = Static<typeof Automation>;

export const ReorderBody = Type.Object(
  { ids: Type.Array(Id, { minItems: 1, maxItems: 5000 }) },
  { additionalProperties: false },
);
export type ReorderBody = Static<typeof ReorderBody>;

/** Seed 001: the three conversation styles an admin can apply. */
export const ConversationStyleName = Type.Union([
  Type.Literal('live_chat'),
  Type.Literal('live_chat_returning'),
  Type.Literal('social_messaging'),
]);
export type ConversationStyleName = Static<typeof ConversationStyleName>;

export const ApplyStyleBody = Type.Object(
  {
    style: ConversationStyleName,
    /** Live chat with a returning customer: hours after Solved before the ticket closes (default 1). Social messaging: default 96 (4 days), at most 672 (28 days). */
    closeAfterHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 672 })),
  },
  { additionalProperties: false },
);
export type ApplyStyleBody = Static<typeof ApplyStyleBody>;

export const ConversationStyle = Type.Object({
  style: Nullable(ConversationStyleName),
  closeAfterHours: Nullable(Type.Number()),
  appliedAt: Nullable(Timestamp),
  /** The rules the style created or updated, so an admin sees what it did. */
  rules: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('trigger'), Type.Literal('automation')]),
      id: Id,
      name: Type.String(),
      active: Type.Boolean(),
      change: Type.Union([
        Type.Literal('created'),
        Type.Literal('updated'),
        Type.Literal('deactivated'),
        Type.Literal('unchanged'),
      ]),
    }),
  ),
});
export type ConversationStyle = Static<typeof ConversationStyle>;

export const DryRunBody = Type.Object(
  {
    ticketId: Id,
    /** The change to imagine (as PATCH /api/tickets/:id takes it); nothing is written. */
    change: Type.Object(
      {
        status: Type.Optional(Type.String()),
        priority: Type.Optional(Type.String()),
        groupId: Type.Optional(Nullable(Id)),
        assigneeId: Type.Optional(Nullable(Id)),
        addTags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
        removeTags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
        comment: Type.Optional(
          Type.Object(
            {
              kind: Type.Union([Type.Literal('public'), Type.Literal('internal')]),
              text: Type.String({ maxLength: 10000 }),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type DryRunBody = Static<typeof DryRunBody>;

export const DryRunResult = Type.Object({
  triggers: Type.Array(
    Type.Object({
      triggerId: Id,
      name: Type.String(),
      outcome: Type.String(),
      pass: Type.Optional(Type.Integer()),
      detail: Type.Array(Type.String()),
    }),
  ),
});
export type DryRunResult = Static<typeof DryRunResult>;
