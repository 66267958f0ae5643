import { Type, type Static } from 'typebox';
import { Id, Nullable } from './common.js';

/**
 * GET /api/where-used?kind=group|agent|tag|field&value=…: every trigger, automation, workflow
 * (its draft and its published version), macro and bot flow handoff that refers to a group, an
 * agent, a tag or a rule field, with where inside each (`conditions.any.1`, `actions.2`,
 * `steps.check.target.groupId`).
 */
export const WhereUsedQuery = Type.Object(
  {
    /** group, agent, tag or field (checked by the service, which names `kind` when it is none of them). */
    kind: Type.String({ maxLength: 20 }),
    /** A group id, a user id, a tag, or a rule field name (see GET /api/rules/fields). */
    value: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type WhereUsedQuery = Static<typeof WhereUsedQuery>;

export const UsagePlace = Type.Object({
  /** As the validators name fields, counted from 0. */
  path: Type.String(),
  /** For people, counted from 1 ("Condition 2 of any: group is"). */
  label: Type.String(),
});
export type UsagePlace = Static<typeof UsagePlace>;

export const UsageRuleType = Type.Union([
  Type.Literal('trigger'),
  Type.Literal('automation'),
  Type.Literal('workflow'),
  Type.Literal('macro'),
  Type.Literal('bot_flow'),
]);
export type UsageRuleType = Static<typeof UsageRuleType>;

/** One definition that refers to the value (a workflow's draft and published version are two). */
export const Usage = Type.Object({
  ruleType: UsageRuleType,
  /** The rule's id (null for the bot flow, of which there is one). */
  id: Nullable(Id),
  name: Type.String(),
  active: Type.Boolean(),
  /** Workflows: 'draft' or 'published' (the version new runs start on); null otherwise. */
  variant: Nullable(Type.Union([Type.Literal('draft'), Type.Literal('published')])),
  /** Workflows: the published version number; the bot flow: its version; null otherwise. */
  version: Nullable(Type.Integer()),
  places: Type.Array(UsagePlace),
});
export type Usage = Static<typeof Usage>;

export const WhereUsedResult = Type.Object({
  kind: Type.String(),
  value: Type.String(),
  uses: Type.Array(Usage),
});
export type WhereUsedResult = Static<typeof WhereUsedResult>;
