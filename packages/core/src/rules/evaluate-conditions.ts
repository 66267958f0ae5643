import { PRIORITY_RANK } from './rule-fields.js';
import type {
  Condition,
  ConditionSet,
  ConditionValue,
  RuleField,
  TicketFacts,
  TicketUpdate,
} from './rule-types.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

type FieldValue = string | boolean | null | readonly string[];

/**
 * Whether one condition holds for an update (conditions as validateConditionSet returns them; a
 * value of the wrong type simply does not match).
 *
 * - Ticket fields are read from `update.after`; the change operators compare it with
 *   `update.before`. When the update created the ticket (`before` is null), every field counts as
 *   changed: `changed` holds, `not_changed` does not, `changed_to X` holds when the value is X
 *   now, `changed_from` never holds.
 * - `tags` / `skills` `contains` a list: at least one of them; `not_contains`: none of them.
 * - `comment_text` is compared case-insensitively (`is` ignores surrounding spaces); an update
 *   without a comment has no text: `contains` and `is` fail, `not_contains` holds.
 * - Time fields measure from their moment to `update.at`: `less_than N` / `greater_than N` are
 *   strict, `is N` holds from N up to (not including) N + 1. A moment that never happened (never
 *   solved, no agent reply yet…) makes every time condition false except `not_exists`.
 * - `priority` `less_than` / `greater_than` follow low < normal < high < urgent.
 */
export function evaluateCondition(c: Condition, update: TicketUpdate): boolean {
  switch (c.field) {
    case 'update_type':
      return equality(c, update.before === null ? 'created' : 'updated');
    case 'comment_kind':
      return equality(c, update.comment?.kind ?? 'none');
    case 'comment_text':
      return textHolds(c, update.comment?.text ?? null);
    case 'hours_since_created':
    case 'hours_since_updated':
    case 'hours_since_solved':
    case 'hours_since_pending':
    case 'hours_since_last_agent_reply':
    case 'hours_since_last_customer_message':
    case 'minutes_since_last_outgoing_message':
      return timeHolds(c, momentOf(c.field, update.after), update.at.getTime());
    default:
      return ticketFieldHolds(c, update);
  }
}

/** Every condition of `all`, and at least one of `any` unless `any` is empty. */
export function conditionsMatch(set: ConditionSet, update: TicketUpdate): boolean {
  for (const c of set.all) if (!evaluateCondition(c, update)) return false;
  if (set.any.length === 0) return true;
  for (const c of set.any) if (evaluateCondition(c, update)) return true;
  return false;
}

export interface ConditionExplanation {
  readonly condition: Condition;
  /** Which list the condition is in. */
  readonly list: 'all' | 'any';
  readonly holds: boolean;
  /** What the rule saw, e.g. `status was "new", is "open"` or `hours since solved: 3.5`. */
  readonly detail: string;
}

export interface ConditionsExplanation {
  readonly matched: boolean;
  readonly conditions: readonly ConditionExplanation[];
}

/** Every condition of the set with whether it holds and what it saw (for dry runs and history). */
export function explainConditions(set: ConditionSet, update: TicketUpdate): ConditionsExplanation {
  const explain = (list: 'all' | 'any') => (condition: Condition) => ({
    condition,
    list,
    holds: evaluateCondition(condition, update),
    detail: describeSeen(condition.field, update),
  });
  const all = set.all.map(explain('all'));
  const any = set.any.map(explain('any'));
  return {
    matched: all.every((c) => c.holds) && (any.length === 0 || any.some((c) => c.holds)),
    conditions: [...all, ...any],
  };
}

/** The value of a ticket field in one state of the ticket; undefined for non-ticket fields. */
export function ticketFieldValue(field: RuleField, facts: TicketFacts): FieldValue | undefined {
  switch (field) {
    case 'status':
      return facts.ticket.status;
    case 'channel':
      return facts.channel;
    case 'group':
      return facts.ticket.groupId;
    case 'assignee':
      return facts.ticket.assigneeId;
    case 'priority':
      return facts.ticket.priority;
    case 'tags':
      return facts.ticket.tags;
    case 'skills':
      return facts.skills;
    case 'requester_email_known':
      return facts.requesterEmailKnown;
    case 'session_state':
      return facts.sessionState ?? 'none';
    case 'session_end_reason':
      return facts.sessionEndReason;
    default:
      return undefined;
  }
}

/** The moment a time field measures from (null: it never happened). */
export function momentOf(field: RuleField, facts: TicketFacts): Date | null {
  switch (field) {
    case 'hours_since_created':
      return facts.ticket.createdAt;
    case 'hours_since_updated':
      return facts.ticket.updatedAt;
    case 'hours_since_solved':
      return facts.ticket.solvedAt;
    case 'hours_since_pending':
      return facts.pendingSince;
    case 'hours_since_last_agent_reply':
    case 'minutes_since_last_outgoing_message':
      return facts.lastAgentReplyAt;
    case 'hours_since_last_customer_message':
      return facts.lastCustomerMessageAt;
    default:
      return null;
  }
}

/** Milliseconds in one unit of a time field (an hour, or a minute for workflow branches). */
export function unitOf(field: RuleField): number {
  return field === 'minutes_since_last_outgoing_message' ? MINUTE_MS : HOUR_MS;
}

/** Whether two values of one ticket field are the same (lists as sets). */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (isList(a) && isList(b)) {
    if (a.length !== b.length) return false;
    for (const x of a) if (!b.includes(x)) return false;
    return true;
  }
  return a === b;
}

function ticketFieldHolds(c: Condition, update: TicketUpdate): boolean {
  const now = ticketFieldValue(c.field, update.after);
  const before = update.before === null ? undefined : ticketFieldValue(c.field, update.before);
  switch (c.operator) {
    case 'is':
    case 'is_not':
    case 'less_than':
    case 'greater_than':
    case 'contains':
    case 'not_contains':
      return valueHolds(c, now);
    case 'changed':
      return update.before === null || !sameValue(before, now);
    case 'not_changed':
      return update.before !== null && sameValue(before, now);
    case 'changed_to':
      return isValue(now, c.value) && (update.before === null || !isValue(before, c.value));
    case 'changed_from':
      return update.before !== null && isValue(before, c.value) && !isValue(now, c.value);
    default:
      return false;
  }
}

/** The operators that look at one state of a field. */
function valueHolds(c: Condition, now: FieldValue | undefined): boolean {
  switch (c.operator) {
    case 'is':
      return isValue(now, c.value);
    case 'is_not':
      return !isValue(now, c.value);
    case 'less_than':
    case 'greater_than': {
      const a = rankOf(now);
      const b = rankOf(c.value);
      if (a === undefined || b === undefined) return false;
      return c.operator === 'less_than' ? a < b : a > b;
    }
    case 'contains':
      return containsAny(now, c.value);
    case 'not_contains':
      return !containsAny(now, c.value);
    default:
      return false;
  }
}

function equality(c: Condition, now: string): boolean {
  if (c.operator === 'is') return now === c.value;
  if (c.operator === 'is_not') return now !== c.value;
  return false;
}

function isValue(now: FieldValue | undefined, value: ConditionValue | undefined): boolean {
  if (now === undefined || value === undefined || isList(now)) return false;
  return now === value;
}

function containsAny(now: FieldValue | undefined, value: ConditionValue | undefined): boolean {
  if (!isList(now) || value === undefined || value === null) return false;
  if (typeof value === 'string') return now.includes(value);
  if (!isList(value)) return false;
  for (const v of value) if (now.includes(v)) return true;
  return false;
}

function rankOf(value: unknown): number | undefined {
  return typeof value === 'string' && Object.hasOwn(PRIORITY_RANK, value)
    ? PRIORITY_RANK[value as keyof typeof PRIORITY_RANK]
    : undefined;
}

function isList(value: unknown): value is readonly string[] {
  return Array.isArray(value);
}

// One comment is compared with many conditions: lower-case it once.
let lastText: string | null = null;
let lastLower = '';
function lower(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastLower = text.toLowerCase();
  }
  return lastLower;
}

function textHolds(c: Condition, text: string | null): boolean {
  if (typeof c.value !== 'string') return false;
  const wanted = c.value.toLowerCase();
  switch (c.operator) {
    case 'contains':
      return text !== null && lower(text).includes(wanted);
    case 'not_contains':
      return text === null || !lower(text).includes(wanted);
    case 'is':
      return text !== null && lower(text).trim() === wanted.trim();
    default:
      return false;
  }
}

function timeHolds(c: Condition, moment: Date | null, at: number): boolean {
  if (c.operator === 'exists') return moment !== null;
  if (c.operator === 'not_exists') return moment === null;
  if (moment === null || typeof c.value !== 'number') return false;
  const elapsed = at - moment.getTime();
  const threshold = c.value * unitOf(c.field);
  switch (c.operator) {
    case 'less_than':
      return elapsed < threshold;
    case 'greater_than':
      return elapsed > threshold;
    case 'is':
      return elapsed >= threshold && elapsed < (c.value + 1) * unitOf(c.field);
    default:
      return false;
  }
}

const LABELS: Readonly<Record<RuleField, string>> = {
  status: 'status',
  channel: 'channel',
  group: 'group',
  assignee: 'assignee',
  priority: 'priority',
  tags: 'tags',
  skills: 'skills',
  requester_email_known: 'requester email known',
  session_state: 'session state',
  session_end_reason: 'session end reason',
  update_type: 'update',
  comment_kind: 'comment',
  comment_text: 'comment text',
  hours_since_created: 'hours since created',
  hours_since_updated: 'hours since updated',
  hours_since_solved: 'hours since solved',
  hours_since_pending: 'hours since pending',
  hours_since_last_agent_reply: 'hours since last agent reply',
  hours_since_last_customer_message: 'hours since last customer message',
  minutes_since_last_outgoing_message: 'minutes since last outgoing message',
};

function show(value: FieldValue | undefined): string {
  if (value === undefined) return 'unknown';
  if (isList(value)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  return JSON.stringify(value);
}

function describeSeen(field: RuleField, update: TicketUpdate): string {
  const label = LABELS[field];
  switch (field) {
    case 'update_type':
      return `${label} is ${update.before === null ? '"created"' : '"updated"'}`;
    case 'comment_kind':
      return `${label} is ${JSON.stringify(update.comment?.kind ?? 'none')}`;
    case 'comment_text': {
      const text = update.comment?.text;
      if (text === undefined) return 'no comment in this update';
      return `${label} is ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`;
    }
    case 'hours_since_created':
    case 'hours_since_updated':
    case 'hours_since_solved':
    case 'hours_since_pending':
    case 'hours_since_last_agent_reply':
    case 'hours_since_last_customer_message':
    case 'minutes_since_last_outgoing_message': {
      const moment = momentOf(field, update.after);
      if (moment === null) return `${label}: none (it never happened)`;
      const elapsed = (update.at.getTime() - moment.getTime()) / unitOf(field);
      return `${label}: ${Math.round(elapsed * 100) / 100}`;
    }
    default: {
      const now = ticketFieldValue(field, update.after);
      if (update.before === null) return `${label} is ${show(now)} (ticket created)`;
      const before = ticketFieldValue(field, update.before);
      return sameValue(before, now)
        ? `${label} is ${show(now)} (unchanged)`
        : `${label} was ${show(before)}, is ${show(now)}`;
    }
  }
}
