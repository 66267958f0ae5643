import type { Ticket, TriggerBody } from '@parlour/protocol';
import { ApiError } from '../../api.js';

export type RuleConditions = TriggerBody['conditions'];
export type RuleCondition = RuleConditions['all'][number];
export type RuleAction = TriggerBody['actions'][number];

/**
 * The rule editors' model: conditions and actions as the admin types them (every input a string)
 * and their conversion to and from the API's shapes. What a value may be comes from
 * GET /api/rules/fields (the field's value kind); the API still checks everything on save.
 */

/** One row of GET /api/rules/fields. */
export interface FieldSpec {
  readonly field: string;
  readonly operators: readonly string[];
  readonly value: string;
  readonly usage: readonly string[];
}

export type RuleUsage = 'trigger' | 'automation' | 'workflow';

export interface ConditionDraft {
  readonly field: string;
  readonly operator: string;
  /** The input's text: a list is "a, b"; "none" for an id is NONE. */
  readonly value: string;
}

export interface ConditionSetDraft {
  readonly all: readonly ConditionDraft[];
  readonly any: readonly ConditionDraft[];
}

export interface ActionDraft {
  readonly type: string;
  readonly value: string;
  readonly body: string;
  readonly url: string;
}

/** The select option meaning "none" (null) for a group or an assignee. */
export const NONE = '__none__';

export const STATUSES = [
  'new',
  'open',
  'pending',
  'on_hold',
  'solved',
  'closed',
] as const satisfies readonly Ticket['status'][];
export const PRIORITIES = [
  'low',
  'normal',
  'high',
  'urgent',
] as const satisfies readonly Ticket['priority'][];
export const CHANNELS = [
  'messaging',
  'email',
  'api',
] as const satisfies readonly Ticket['channel'][];
export const SESSION_END_REASONS = ['ended_by_agent', 'customer_left', 'ticket_closed'] as const;

/** The fixed choices of the enumerated value kinds. */
export const VALUE_CHOICES: Readonly<Record<string, readonly string[]>> = {
  status: STATUSES,
  priority: PRIORITIES,
  channel: CHANNELS,
  session_state: ['active', 'ended', 'none'],
  session_end_reason: SESSION_END_REASONS,
  update_type: ['created', 'updated'],
  comment_kind: ['public', 'internal', 'none'],
  boolean: ['true', 'false'],
};

const CHANGE_OPERATORS = ['changed', 'not_changed', 'changed_to', 'changed_from'];
const VALUELESS = ['changed', 'not_changed', 'exists', 'not_exists'];

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  status: 'Status',
  channel: 'Channel',
  group: 'Group',
  assignee: 'Assignee',
  priority: 'Priority',
  tags: 'Tags',
  skills: 'Required skills',
  requester_email_known: 'Requester email known',
  session_state: 'Session state',
  session_end_reason: 'Session end reason',
  update_type: 'Update type',
  comment_kind: 'Comment kind',
  comment_text: 'Comment text',
  hours_since_created: 'Hours since created',
  hours_since_updated: 'Hours since updated',
  hours_since_solved: 'Hours since solved',
  hours_since_pending: 'Hours since pending',
  hours_since_last_agent_reply: 'Hours since last agent reply',
  hours_since_last_customer_message: 'Hours since last customer message',
  minutes_since_last_outgoing_message: 'Minutes since last outgoing message',
};

export const OPERATOR_LABELS: Readonly<Record<string, string>> = {
  is: 'is',
  is_not: 'is not',
  changed: 'changed',
  not_changed: 'did not change',
  changed_to: 'changed to',
  changed_from: 'changed from',
  contains: 'contains',
  not_contains: 'does not contain',
  less_than: 'less than',
  greater_than: 'greater than',
  exists: 'exists',
  not_exists: 'does not exist',
};

/** A human label for a value code ("on_hold" → "On hold"). */
export function labelOf(code: string): string {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The fields usable in `usage`, in the API's order. */
export function fieldsFor(fields: readonly FieldSpec[], usage: RuleUsage): FieldSpec[] {
  return fields.filter((f) => f.usage.includes(usage));
}

/** The operators of a field where it is used (the "changed" family only in triggers). */
export function operatorsFor(spec: FieldSpec | undefined, usage: RuleUsage): string[] {
  if (!spec) return [];
  return usage === 'trigger'
    ? [...spec.operators]
    : spec.operators.filter((op) => !CHANGE_OPERATORS.includes(op));
}

export function takesValue(operator: string): boolean {
  return !VALUELESS.includes(operator);
}

export const EMPTY_CONDITION: ConditionDraft = { field: '', operator: '', value: '' };
export const EMPTY_SET: ConditionSetDraft = { all: [], any: [] };
export const EMPTY_ACTION: ActionDraft = { type: '', value: '', body: '', url: '' };

function listText(value: readonly string[]): string {
  return value.join(', ');
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** An API condition as the editor shows it. */
export function conditionDraft(c: RuleCondition): ConditionDraft {
  const v = c.value;
  const value =
    v === undefined
      ? ''
      : v === null
        ? NONE
        : Array.isArray(v)
          ? listText(v)
          : String(v as string | number | boolean);
  return { field: c.field, operator: c.operator, value };
}

export function conditionSetDraft(set: RuleConditions): ConditionSetDraft {
  return { all: set.all.map(conditionDraft), any: set.any.map(conditionDraft) };
}

/**
 * The condition the API receives. A blank input sends no value, so the API says what is missing
 * at that very field; a number that is not one is sent as typed, for the same reason.
 */
export function conditionBody(c: ConditionDraft, fields: readonly FieldSpec[]): RuleCondition {
  const base = { field: c.field, operator: c.operator };
  if (!takesValue(c.operator) || c.value.trim() === '') return base;
  const kind = fields.find((f) => f.field === c.field)?.value;
  const text = c.value.trim();
  switch (kind) {
    case 'boolean':
      return { ...base, value: text === 'true' ? true : text === 'false' ? false : text };
    case 'hours':
    case 'minutes': {
      const n = Number(text);
      return { ...base, value: Number.isFinite(n) ? n : text };
    }
    case 'id':
      return { ...base, value: text === NONE ? null : text };
    case 'tag':
    case 'id_list': {
      const items = splitList(text);
      return { ...base, value: items.length === 1 ? items[0]! : items };
    }
    default:
      return { ...base, value: c.value };
  }
}

export function conditionSetBody(
  set: ConditionSetDraft,
  fields: readonly FieldSpec[],
): RuleConditions {
  return {
    all: set.all.map((c) => conditionBody(c, fields)),
    any: set.any.map((c) => conditionBody(c, fields)),
  };
}

/** The actions a rule may take; workflows' "Update ticket" steps take the field changes only. */
export const ACTION_TYPES = [
  'set_status',
  'set_priority',
  'set_group',
  'set_assignee',
  'set_skills',
  'add_tags',
  'remove_tags',
  'add_note',
  'send_message',
  'send_csat',
  'webhook',
] as const;
export const FIELD_ACTION_TYPES = [
  'set_status',
  'set_priority',
  'set_group',
  'set_assignee',
  'add_tags',
  'remove_tags',
] as const;

export const ACTION_LABELS: Readonly<Record<string, string>> = {
  set_status: 'Set status',
  set_priority: 'Set priority',
  set_group: 'Set group',
  set_assignee: 'Set assignee',
  set_skills: 'Set required skills',
  add_tags: 'Add tags',
  remove_tags: 'Remove tags',
  add_note: 'Add internal note',
  send_message: 'Send message to customer',
  send_csat: 'Send satisfaction survey',
  webhook: 'Call webhook',
};

/** Which input an action's type needs. */
export function actionInput(type: string): 'value' | 'body' | 'url' | 'none' {
  if (type === 'add_note' || type === 'send_message') return 'body';
  if (type === 'webhook') return 'url';
  if (type === 'send_csat' || type === '') return 'none';
  return 'value';
}

export function actionDraft(a: RuleAction): ActionDraft {
  const v = a.value;
  return {
    type: a.type,
    value: v === undefined ? '' : v === null ? NONE : Array.isArray(v) ? listText(v) : v,
    body: a.body ?? '',
    url: a.url ?? '',
  };
}

export function actionBody(a: ActionDraft): RuleAction {
  switch (actionInput(a.type)) {
    case 'body':
      return { type: a.type, body: a.body };
    case 'url':
      return { type: a.type, url: a.url.trim() };
    case 'none':
      return { type: a.type };
    case 'value': {
      const text = a.value.trim();
      if (a.type === 'set_skills' || a.type === 'add_tags' || a.type === 'remove_tags')
        return { type: a.type, value: splitList(text) };
      if (text === '') return { type: a.type };
      return { type: a.type, value: text === NONE ? null : text };
    }
  }
}

/**
 * Where the API's error belongs. `at(name)` is the message for `name` or anything under it (for
 * an input); `exactly(name)` only for `name` itself (for a block that holds other inputs).
 * `strip` removes a prefix the API adds (a workflow's `definition.`).
 */
export interface FieldErrors {
  at(name: string): string | undefined;
  exactly(name: string): string | undefined;
}

export function fieldErrors(error: unknown, strip = ''): FieldErrors {
  const raw = error instanceof ApiError ? error.field : undefined;
  const field = raw !== undefined && strip && raw.startsWith(strip) ? raw.slice(strip.length) : raw;
  const message = error instanceof ApiError ? error.message : undefined;
  return {
    at: (name) =>
      field !== undefined && (field === name || field.startsWith(`${name}.`)) ? message : undefined,
    exactly: (name) => (field === name ? message : undefined),
  };
}

/** Moves the item at `from` to index `to` (both within the list). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item === undefined) return next;
  next.splice(to, 0, item);
  return next;
}

/** The console's base path (sections.ts says the same; importing it from there would be a cycle). */
export const CONSOLE_BASE = '/agent/console';

/** JSON with object keys sorted, to compare what was saved (stored as jsonb) with the editor's. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}
