/**
 * Test-only builders for the rules: facts, updates, triggers and automations with sensible
 * defaults, so each test states only what matters to its rule. Not exported from the package.
 */
import { AT, buildTicket } from '../../testing/build.js';
import type { Ticket } from '../../ticket/ticket.js';
import type {
  Automation,
  Condition,
  ConditionSet,
  RuleAction,
  TicketFacts,
  TicketUpdate,
  Trigger,
  UpdateComment,
} from '../rule-types.js';

export const HOUR = 3_600_000;

export function hoursAfter(at: Date, hours: number): Date {
  return new Date(at.getTime() + hours * HOUR);
}

/** A messaging ticket with an active session, requester email unknown, no skills. */
export function buildFacts(
  overrides: Partial<Omit<TicketFacts, 'ticket'>> & { ticket?: Partial<Ticket> } = {},
): TicketFacts {
  const { ticket, ...rest } = overrides;
  const built = buildTicket(ticket);
  return {
    ticket: built,
    skills: [],
    requesterEmailKnown: false,
    sessionState: built.channel === 'messaging' ? 'active' : null,
    sessionEndReason: null,
    channel: built.channel,
    pendingSince: null,
    lastAgentReplyAt: null,
    lastCustomerMessageAt: null,
    ...rest,
  };
}

/** An update from `before` to `after` (the same facts when `after` is left out). */
export function updateOf(
  before: TicketFacts | null,
  after: TicketFacts = before ?? buildFacts(),
  extra: { comment?: UpdateComment | null; at?: Date } = {},
): TicketUpdate {
  return { before, after, comment: extra.comment ?? null, at: extra.at ?? AT };
}

/** The ticket created by this update. */
export function created(after: TicketFacts = buildFacts(), comment: UpdateComment | null = null) {
  return updateOf(null, after, { comment });
}

export function comment(text: string, kind: 'public' | 'internal' = 'public'): UpdateComment {
  return { kind, text, authorType: kind === 'public' ? 'end_user' : 'user' };
}

export function cond(
  field: Condition['field'],
  operator: Condition['operator'],
  value?: Condition['value'],
): Condition {
  return value === undefined ? { field, operator } : { field, operator, value };
}

export function all(...conditions: Condition[]): ConditionSet {
  return { all: conditions, any: [] };
}

let triggerCount = 0;

export function trigger(
  conditions: ConditionSet,
  actions: readonly RuleAction[],
  overrides: Partial<Trigger> = {},
): Trigger {
  triggerCount += 1;
  const id = overrides.id ?? `trigger-${triggerCount}`;
  return {
    id,
    name: overrides.name ?? id,
    category: null,
    scope: 'ticket',
    active: true,
    position: triggerCount,
    conditions,
    actions,
    preset: null,
    ...overrides,
  };
}

export function automation(
  conditions: ConditionSet,
  actions: readonly RuleAction[],
  overrides: Partial<Automation> = {},
): Automation {
  triggerCount += 1;
  const id = overrides.id ?? `automation-${triggerCount}`;
  return {
    id,
    name: overrides.name ?? id,
    active: true,
    position: triggerCount,
    conditions,
    actions,
    oncePerTicket: false,
    preset: null,
    ...overrides,
  };
}

export { AT };
