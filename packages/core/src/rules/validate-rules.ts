import { CHANNELS } from '../channel.js';
import { DomainError, isDomainError } from '../errors.js';
import { MAX_MESSAGE_LENGTH } from '../message/message.js';
import { SESSION_END_REASONS } from '../session/session.js';
import { canTransition } from '../ticket/status-transitions.js';
import { normalizeTags } from '../ticket/tags.js';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketStatus } from '../ticket/ticket.js';
import {
  CHANGE_OPERATORS,
  FIELD_CATALOG,
  PRIORITY_RANK,
  VALUELESS_OPERATORS,
  isRuleField,
  isTimeField,
  operatorsFor,
  type RuleUsage,
  type RuleValueKind,
} from './rule-fields.js';
import type {
  Condition,
  ConditionSet,
  ConditionValue,
  RuleAction,
  RuleActionType,
  TriggerScope,
} from './rule-types.js';

export const MAX_CONDITIONS = 50;
export const MAX_ACTIONS = 50;
export const MAX_RULE_NAME_LENGTH = 200;
export const MAX_TEXT_VALUE_LENGTH = 1_000;
export const MAX_URL_LENGTH = 2_000;
/** A time condition counts at most ten years. */
const MAX_HOURS = 87_600;

export const RULE_ACTION_TYPES: readonly RuleActionType[] = [
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
];

/** A trigger as an admin saves it (the server adds the id, the position and the preset). */
export interface TriggerDefinition {
  readonly name: string;
  readonly category: string | null;
  readonly scope: TriggerScope;
  readonly active: boolean;
  readonly conditions: ConditionSet;
  readonly actions: readonly RuleAction[];
}

/** An automation as an admin saves it (the server adds the id, the position and the preset). */
export interface AutomationDefinition {
  readonly name: string;
  readonly active: boolean;
  readonly conditions: ConditionSet;
  readonly actions: readonly RuleAction[];
  readonly oncePerTicket: boolean;
}

const USAGE_NAMES: Readonly<Record<RuleUsage, string>> = {
  trigger: 'triggers',
  automation: 'automations',
  workflow: 'workflows',
};

function fail(message: string, field: string): never {
  throw new DomainError('validation/invalid', message, field);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(raw: unknown, what: string, path: string): Record<string, unknown> {
  if (!isRecord(raw)) fail(`${what} must be an object`, path);
  return raw;
}

function onlyKeys(raw: Record<string, unknown>, keys: readonly string[], path: string): void {
  for (const key of Object.keys(raw)) {
    if (!keys.includes(key)) {
      fail(`Unknown field "${key}" (expected ${keys.join(', ')})`, join(path, key));
    }
  }
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

function list(raw: unknown, what: string, path: string, max: number): readonly unknown[] {
  if (!Array.isArray(raw)) fail(`${what} must be a list`, path);
  if (raw.length > max) fail(`${what} holds at most ${max} items`, path);
  return raw;
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

/**
 * Parses a condition set: `{ all: Condition[], any: Condition[] }` (either may be left out).
 * Each condition must name a known field, an operator that fits it where it is used (see
 * FIELD_CATALOG: the change operators only in triggers, time fields only in automations and
 * workflows) and a value of the field's kind. Tags are normalized (lower case).
 */
export function validateConditionSet(
  raw: unknown,
  usage: RuleUsage,
  path = 'conditions',
): ConditionSet {
  const set = record(raw, 'Conditions', path);
  onlyKeys(set, ['all', 'any'], path);
  const parse = (key: 'all' | 'any') =>
    set[key] === undefined
      ? []
      : list(set[key], `"${key}"`, join(path, key), MAX_CONDITIONS).map((c, i) =>
          validateCondition(c, usage, join(join(path, key), i)),
        );
  return { all: parse('all'), any: parse('any') };
}

function validateCondition(raw: unknown, usage: RuleUsage, path: string): Condition {
  const c = record(raw, 'A condition', path);
  onlyKeys(c, ['field', 'operator', 'value'], path);
  const field = c.field;
  if (!isRuleField(field)) {
    fail(
      typeof field === 'string' ? `Unknown field "${field}"` : 'A condition needs a field',
      join(path, 'field'),
    );
  }
  const spec = FIELD_CATALOG[field];
  if (!spec.usage.includes(usage)) {
    fail(
      `The field "${field}" is not available in ${USAGE_NAMES[usage]} (only in ${spec.usage.map((u) => USAGE_NAMES[u]).join(' and ')})`,
      join(path, 'field'),
    );
  }
  const operator = c.operator;
  const allowed = operatorsFor(field, usage);
  if (typeof operator !== 'string' || !allowed.includes(operator as never)) {
    if (typeof operator === 'string' && CHANGE_OPERATORS.includes(operator as never)) {
      fail(
        `The operator "${operator}" compares the ticket before an update with now, so only triggers can use it`,
        join(path, 'operator'),
      );
    }
    fail(
      typeof operator === 'string'
        ? `The operator "${operator}" does not fit the field "${field}" (use ${quoted(allowed)})`
        : `A condition on "${field}" needs an operator (${quoted(allowed)})`,
      join(path, 'operator'),
    );
  }
  const op = operator as Condition['operator'];
  if (VALUELESS_OPERATORS.includes(op)) {
    if (c.value !== undefined) fail(`The operator "${op}" takes no value`, join(path, 'value'));
    return { field, operator: op };
  }
  const value = conditionValue(spec.value, c.value, op, field, join(path, 'value'));
  return { field, operator: op, value };
}

function oneOf<T extends string>(
  value: unknown,
  options: readonly T[],
  what: string,
  path: string,
): T {
  if (typeof value !== 'string' || !options.includes(value as T)) {
    fail(
      `${value === undefined ? `A value is needed for ${what}` : `${JSON.stringify(value)} is not a ${what}`} (use ${quoted(options)})`,
      path,
    );
  }
  return value as T;
}

function conditionValue(
  kind: RuleValueKind,
  value: unknown,
  operator: Condition['operator'],
  field: string,
  path: string,
): ConditionValue {
  switch (kind) {
    case 'status':
      return oneOf(value, TICKET_STATUSES, 'status', path);
    case 'channel':
      return oneOf(value, CHANNELS, 'channel', path);
    case 'priority':
      return oneOf(value, TICKET_PRIORITIES, 'priority', path);
    case 'session_state':
      return oneOf(value, ['active', 'ended', 'none'], 'session state', path);
    case 'session_end_reason':
      return oneOf(value, SESSION_END_REASONS, 'session end reason', path);
    case 'update_type':
      return oneOf(value, ['created', 'updated'], 'kind of update', path);
    case 'comment_kind':
      return oneOf(value, ['public', 'internal', 'none'], 'kind of comment', path);
    case 'id':
      if (value === null) return null;
      return idValue(value, `${field} id`, path);
    case 'id_list':
      return Array.isArray(value)
        ? nonEmptyList(value, path).map((v, i) => idValue(v, 'skill id', join(path, i)))
        : idValue(value, 'skill id (or a list of them)', path);
    case 'tag':
      return Array.isArray(value)
        ? nonEmptyList(value, path).map((v, i) => tagValue(v, join(path, i)))
        : tagValue(value, path);
    case 'text': {
      if (typeof value !== 'string' || value.trim() === '')
        fail(`"${field}" ${operator} needs some text`, path);
      if (value.length > MAX_TEXT_VALUE_LENGTH)
        fail(`A text to compare is at most ${MAX_TEXT_VALUE_LENGTH} characters`, path);
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail(`"${field}" compares with true or false`, path);
      return value;
    case 'hours':
    case 'minutes':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        fail(`"${field}" needs a number of ${kind} (0 or more)`, path);
      if (value > (kind === 'hours' ? MAX_HOURS : MAX_HOURS * 60))
        fail(`"${field}" counts at most ${kind === 'hours' ? MAX_HOURS : MAX_HOURS * 60}`, path);
      return value;
  }
}

function nonEmptyList(value: readonly unknown[], path: string): readonly unknown[] {
  if (value.length === 0) fail('The list of values is empty', path);
  if (value.length > 100) fail('A list of values holds at most 100 items', path);
  return value;
}

function idValue(value: unknown, what: string, path: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200)
    fail(`Expected a ${what}`, path);
  return value;
}

function tagValue(value: unknown, path: string): string {
  if (typeof value !== 'string') fail('A tag must be a string', path);
  if (value.trim() === '') fail('A tag cannot be empty', path);
  return normalizeTagsAt([value], path)[0]!;
}

function normalizeTagsAt(tags: readonly string[], path: string): string[] {
  try {
    return normalizeTags(tags, path);
  } catch (error) {
    if (isDomainError(error)) fail(error.message, path);
    throw error;
  }
}

/**
 * Parses a rule's actions: a non-empty list of known actions, each with the fields its type needs
 * (nothing else). `allowed` narrows the action types (e.g. for macros).
 */
export function validateActions(
  raw: unknown,
  path = 'actions',
  opts: { allowed?: readonly RuleActionType[] } = {},
): RuleAction[] {
  const items = list(raw, 'Actions', path, MAX_ACTIONS);
  if (items.length === 0) fail('A rule needs at least one action', path);
  return items.map((item, i) => validateAction(item, join(path, i), opts.allowed));
}

function validateAction(
  raw: unknown,
  path: string,
  allowed: readonly RuleActionType[] | undefined,
): RuleAction {
  const a = record(raw, 'An action', path);
  const type = a.type;
  if (typeof type !== 'string' || !RULE_ACTION_TYPES.includes(type as RuleActionType)) {
    fail(
      typeof type === 'string'
        ? `Unknown action "${type}" (use ${quoted(allowed ?? RULE_ACTION_TYPES)})`
        : 'An action needs a type',
      join(path, 'type'),
    );
  }
  if (allowed && !allowed.includes(type as RuleActionType)) {
    fail(`The action "${type}" is not allowed here (use ${quoted(allowed)})`, join(path, 'type'));
  }
  const at = (key: string) => join(path, key);
  switch (type as RuleActionType) {
    case 'set_status': {
      onlyKeys(a, ['type', 'value'], path);
      const value = oneOf(a.value, TICKET_STATUSES, 'status', at('value'));
      if (value === 'new') fail('A ticket never goes back to New', at('value'));
      return { type: 'set_status', value };
    }
    case 'set_priority':
      onlyKeys(a, ['type', 'value'], path);
      return {
        type: 'set_priority',
        value: oneOf(a.value, TICKET_PRIORITIES, 'priority', at('value')),
      };
    case 'set_group':
    case 'set_assignee': {
      onlyKeys(a, ['type', 'value'], path);
      if (a.value === undefined)
        fail(`"${type}" needs a value (an id, or null for none)`, at('value'));
      const value = a.value === null ? null : idValue(a.value, 'id (or null)', at('value'));
      return { type: type as 'set_group' | 'set_assignee', value };
    }
    case 'set_skills': {
      onlyKeys(a, ['type', 'value'], path);
      const value = list(a.value, 'Skills', at('value'), 100).map((v, i) =>
        idValue(v, 'skill id', join(at('value'), i)),
      );
      return { type: 'set_skills', value: [...new Set(value)] };
    }
    case 'add_tags':
    case 'remove_tags': {
      onlyKeys(a, ['type', 'value'], path);
      const raw = list(a.value, 'Tags', at('value'), 100);
      if (raw.length === 0) fail(`"${type}" needs at least one tag`, at('value'));
      const value = raw.map((v, i) => tagValue(v, join(at('value'), i)));
      return { type: type as 'add_tags' | 'remove_tags', value: [...new Set(value)] };
    }
    case 'add_note':
    case 'send_message': {
      onlyKeys(a, ['type', 'body'], path);
      if (typeof a.body !== 'string' || a.body.trim() === '')
        fail(`"${type}" needs a text`, at('body'));
      if (a.body.length > MAX_MESSAGE_LENGTH)
        fail(`A text is at most ${MAX_MESSAGE_LENGTH} characters`, at('body'));
      return { type: type as 'add_note' | 'send_message', body: a.body };
    }
    case 'send_csat':
      onlyKeys(a, ['type'], path);
      return { type: 'send_csat' };
    case 'webhook': {
      onlyKeys(a, ['type', 'url'], path);
      if (typeof a.url !== 'string' || !isWebUrl(a.url))
        fail('A webhook needs an http:// or https:// URL', at('url'));
      return { type: 'webhook', url: a.url };
    }
  }
}

const WEB_URL =
  /^https?:\/\/(?:[^\s/?#@]+@)?(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?(?:[/?#]\S*)?$/i;

/** An absolute http(s) URL with a host (the core has no URL parser; this is the same shape). */
export function isWebUrl(value: string): boolean {
  if (value.length > MAX_URL_LENGTH || !WEB_URL.test(value)) return false;
  const port = /^https?:\/\/(?:[^\s/?#@]+@)?(?:\[[^\]]*\]|[^\s/?#:@]+):(\d+)/i.exec(value)?.[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65_535);
}

function name(raw: Record<string, unknown>, what: string): string {
  if (typeof raw.name !== 'string' || raw.name.trim() === '') fail(`${what} needs a name`, 'name');
  const value = raw.name.trim();
  if (value.length > MAX_RULE_NAME_LENGTH)
    fail(`A name is at most ${MAX_RULE_NAME_LENGTH} characters`, 'name');
  return value;
}

function optionalBoolean(raw: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(`"${key}" must be true or false`, key);
  return value;
}

/** A trigger: a name, an optional category, scope (ticket or messaging), conditions and actions. */
export function validateTriggerDefinition(raw: unknown): TriggerDefinition {
  const t = record(raw, 'A trigger', '');
  onlyKeys(t, ['name', 'category', 'scope', 'active', 'conditions', 'actions'], '');
  const category = t.category;
  if (category !== undefined && category !== null && typeof category !== 'string')
    fail('A category must be a text or null', 'category');
  const trimmed = typeof category === 'string' ? category.trim() || null : null;
  if (trimmed !== null && trimmed.length > MAX_RULE_NAME_LENGTH)
    fail(`A category is at most ${MAX_RULE_NAME_LENGTH} characters`, 'category');
  const scope =
    t.scope === undefined
      ? 'ticket'
      : oneOf<TriggerScope>(t.scope, ['ticket', 'messaging'], 'trigger scope', 'scope');
  const conditions = validateConditionSet(t.conditions, 'trigger');
  if (conditions.all.length + conditions.any.length === 0)
    fail('A trigger needs at least one condition', 'conditions');
  return {
    name: name(t, 'A trigger'),
    category: trimmed,
    scope,
    active: optionalBoolean(t, 'active', true),
    conditions,
    actions: validateActions(t.actions),
  };
}

/**
 * An automation: conditions with at least one time condition in "all", actions, and either a
 * condition its own actions make false (see findNullifyingCondition) or "once per ticket".
 */
export function validateAutomationDefinition(raw: unknown): AutomationDefinition {
  const a = record(raw, 'An automation', '');
  onlyKeys(a, ['name', 'active', 'conditions', 'actions', 'oncePerTicket'], '');
  const automationName = name(a, 'An automation');
  const conditions = validateConditionSet(a.conditions, 'automation');
  if (!conditions.all.some((c) => isTimeField(c.field))) {
    fail(
      'An automation needs a time condition (hours since created, updated, solved, pending, last agent reply or last customer message) in "all"',
      'conditions.all',
    );
  }
  const actions = validateActions(a.actions);
  const oncePerTicket = optionalBoolean(a, 'oncePerTicket', false);
  if (!oncePerTicket && findNullifyingCondition(conditions.all, actions) === null) {
    fail(
      'An automation must contain a condition that its own actions make false (for example "status is solved" with "set status closed", or "tags do not contain x" with "add tags x"), or be marked "once per ticket"; otherwise it would fire again and again on the same ticket',
      'conditions.all',
    );
  }
  return {
    name: automationName,
    active: optionalBoolean(a, 'active', true),
    conditions,
    actions,
    oncePerTicket,
  };
}

/**
 * The first condition of `all` that the actions surely make false once they have applied: a
 * condition on a field the actions set (status, priority, group, assignee, tags, skills) that
 * cannot hold for the value the actions leave. Examples: `status is solved` + `set_status closed`;
 * `status is_not pending` + `set_status pending`; `priority less_than high` + `set_priority high`;
 * `tags not_contains x` + `add_tags [x]`; `tags contains [x, y]` + `remove_tags [x, y]`. A status
 * move the condition itself makes illegal (`status is new` + `set_status closed`) does not count:
 * that action could never apply.
 */
export function findNullifyingCondition(
  all: readonly Condition[],
  actions: readonly RuleAction[],
): Condition | null {
  return all.find((c) => nullifies(c, actions)) ?? null;
}

function lastSet<T extends RuleAction['type']>(
  actions: readonly RuleAction[],
  type: T,
): Extract<RuleAction, { type: T }> | undefined {
  let found: Extract<RuleAction, { type: T }> | undefined;
  for (const a of actions) if (a.type === type) found = a as Extract<RuleAction, { type: T }>;
  return found;
}

function nullifies(c: Condition, actions: readonly RuleAction[]): boolean {
  switch (c.field) {
    case 'status': {
      const to = lastSet(actions, 'set_status')?.value;
      if (to === undefined) return false;
      if (c.operator === 'is' && !canTransition(c.value as TicketStatus, to)) return false;
      return !scalarHolds(c, to);
    }
    case 'priority': {
      const to = lastSet(actions, 'set_priority')?.value;
      return to !== undefined && !scalarHolds(c, to);
    }
    case 'group': {
      const set = lastSet(actions, 'set_group');
      return set !== undefined && !scalarHolds(c, set.value);
    }
    case 'assignee': {
      const set = lastSet(actions, 'set_assignee');
      return set !== undefined && !scalarHolds(c, set.value);
    }
    case 'tags':
      return tagsNullified(c, actions);
    case 'skills': {
      const set = lastSet(actions, 'set_skills');
      if (set === undefined) return false;
      const wanted = valueList(c.value);
      const any = wanted.some((s) => set.value.includes(s));
      return c.operator === 'contains' ? !any : c.operator === 'not_contains' ? any : false;
    }
    default:
      return false;
  }
}

/** Whether a condition on one scalar field holds for a value. */
function scalarHolds(c: Condition, value: string | null): boolean {
  switch (c.operator) {
    case 'is':
      return value === c.value;
    case 'is_not':
      return value !== c.value;
    case 'less_than':
    case 'greater_than': {
      const a = PRIORITY_RANK[value as keyof typeof PRIORITY_RANK];
      const b = PRIORITY_RANK[c.value as keyof typeof PRIORITY_RANK];
      return c.operator === 'less_than' ? a < b : a > b;
    }
    default:
      return true;
  }
}

function valueList(value: ConditionValue | undefined): readonly string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? (value as readonly string[]) : [];
}

function tagsNullified(c: Condition, actions: readonly RuleAction[]): boolean {
  // What the actions leave for each tag: the last add or remove that names it decides.
  const fate = new Map<string, 'added' | 'removed'>();
  for (const a of actions) {
    if (a.type === 'add_tags') for (const t of a.value) fate.set(t, 'added');
    if (a.type === 'remove_tags') for (const t of a.value) fate.set(t, 'removed');
  }
  const wanted = valueList(c.value);
  if (c.operator === 'contains') return wanted.every((t) => fate.get(t) === 'removed');
  if (c.operator === 'not_contains') return wanted.some((t) => fate.get(t) === 'added');
  return false;
}
