import type { RuleField, RuleOperator } from './rule-types.js';

/** Where a condition is used: triggers see updates, automations and workflow branches see time. */
export type RuleUsage = 'trigger' | 'automation' | 'workflow';
export const RULE_USAGES: readonly RuleUsage[] = ['trigger', 'automation', 'workflow'];

/**
 * What a condition's value must be, per field:
 * - `status`, `channel`, `priority`, `session_state` ('active' | 'ended' | 'none'),
 *   `session_end_reason`, `update_type` ('created' | 'updated'), `comment_kind`
 *   ('public' | 'internal' | 'none'): one value of that list;
 * - `id`: a group or user id, or null for "none";
 * - `id_list`, `tag`: one id or tag, or a list of them ("contains" = at least one of them);
 * - `text`: a non-empty string, compared case-insensitively;
 * - `boolean`; `hours` and `minutes`: a number ≥ 0.
 */
export type RuleValueKind =
  | 'status'
  | 'channel'
  | 'priority'
  | 'id'
  | 'id_list'
  | 'tag'
  | 'text'
  | 'boolean'
  | 'session_state'
  | 'session_end_reason'
  | 'update_type'
  | 'comment_kind'
  | 'hours'
  | 'minutes';

export interface FieldSpec {
  readonly operators: readonly RuleOperator[];
  readonly value: RuleValueKind;
  readonly usage: readonly RuleUsage[];
}

/**
 * The operators that compare the ticket before an update with the ticket now. Only triggers run on
 * updates, so only triggers may use them.
 */
export const CHANGE_OPERATORS: readonly RuleOperator[] = [
  'changed',
  'not_changed',
  'changed_to',
  'changed_from',
];

/** Operators that take no value. */
export const VALUELESS_OPERATORS: readonly RuleOperator[] = [
  'changed',
  'not_changed',
  'exists',
  'not_exists',
];

const EVERYWHERE: readonly RuleUsage[] = ['trigger', 'automation', 'workflow'];
const ON_TIME: readonly RuleUsage[] = ['automation', 'workflow'];
const EQUALITY: readonly RuleOperator[] = ['is', 'is_not'];
const CHANGES: readonly RuleOperator[] = ['is', 'is_not', ...CHANGE_OPERATORS];
const HOURS: readonly RuleOperator[] = ['is', 'less_than', 'greater_than'];

/** Which operators and values fit which field, and where the field may be used. */
export const FIELD_CATALOG: Readonly<Record<RuleField, FieldSpec>> = {
  status: { operators: CHANGES, value: 'status', usage: EVERYWHERE },
  // A ticket's channel never changes, so there is nothing for "changed" to see.
  channel: { operators: EQUALITY, value: 'channel', usage: EVERYWHERE },
  group: { operators: CHANGES, value: 'id', usage: EVERYWHERE },
  assignee: { operators: CHANGES, value: 'id', usage: EVERYWHERE },
  priority: {
    operators: [...CHANGES, 'less_than', 'greater_than'],
    value: 'priority',
    usage: EVERYWHERE,
  },
  tags: {
    operators: ['contains', 'not_contains', 'changed', 'not_changed'],
    value: 'tag',
    usage: EVERYWHERE,
  },
  skills: {
    operators: ['contains', 'not_contains', 'changed', 'not_changed'],
    value: 'id_list',
    usage: EVERYWHERE,
  },
  requester_email_known: { operators: CHANGES, value: 'boolean', usage: EVERYWHERE },
  session_state: { operators: CHANGES, value: 'session_state', usage: EVERYWHERE },
  session_end_reason: { operators: CHANGES, value: 'session_end_reason', usage: EVERYWHERE },
  update_type: { operators: EQUALITY, value: 'update_type', usage: ['trigger'] },
  comment_kind: { operators: EQUALITY, value: 'comment_kind', usage: ['trigger', 'workflow'] },
  comment_text: {
    operators: ['contains', 'not_contains', 'is'],
    value: 'text',
    usage: ['trigger', 'workflow'],
  },
  hours_since_created: { operators: HOURS, value: 'hours', usage: ON_TIME },
  hours_since_updated: { operators: HOURS, value: 'hours', usage: ON_TIME },
  hours_since_solved: { operators: HOURS, value: 'hours', usage: ON_TIME },
  hours_since_pending: { operators: HOURS, value: 'hours', usage: ON_TIME },
  hours_since_last_agent_reply: { operators: HOURS, value: 'hours', usage: ON_TIME },
  hours_since_last_customer_message: { operators: HOURS, value: 'hours', usage: ON_TIME },
  minutes_since_last_outgoing_message: {
    operators: ['exists', 'not_exists', 'less_than', 'greater_than'],
    value: 'minutes',
    usage: ['workflow'],
  },
};

export const RULE_FIELDS = Object.keys(FIELD_CATALOG) as readonly RuleField[];

/** The fields that measure time since a moment (automations and workflow branches). */
export const TIME_FIELDS: readonly RuleField[] = RULE_FIELDS.filter(
  (f) => FIELD_CATALOG[f].value === 'hours' || FIELD_CATALOG[f].value === 'minutes',
);

export function isRuleField(value: unknown): value is RuleField {
  return typeof value === 'string' && Object.hasOwn(FIELD_CATALOG, value);
}

export function isTimeField(field: RuleField): boolean {
  return TIME_FIELDS.includes(field);
}

/** The operators a field accepts where it is used (the change operators only in triggers). */
export function operatorsFor(field: RuleField, usage: RuleUsage): readonly RuleOperator[] {
  const spec = FIELD_CATALOG[field];
  if (!spec.usage.includes(usage)) return [];
  return usage === 'trigger'
    ? spec.operators
    : spec.operators.filter((op) => !CHANGE_OPERATORS.includes(op));
}

/** Priorities in order, for less_than / greater_than: low < normal < high < urgent. */
export const PRIORITY_RANK = { low: 0, normal: 1, high: 2, urgent: 3 } as const;
