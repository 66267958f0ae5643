/** fast-check arbitraries for the rules' property tests: valid rules, tickets and updates. */
import fc from 'fast-check';
import { CHANNELS } from '../../channel.js';
import { SESSION_END_REASONS } from '../../session/session.js';
import { AT } from '../../testing/build.js';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../ticket/ticket.js';
import { FIELD_CATALOG, RULE_FIELDS, operatorsFor, VALUELESS_OPERATORS } from '../rule-fields.js';
import type { RuleUsage, RuleValueKind } from '../rule-fields.js';
import type {
  Automation,
  Condition,
  ConditionSet,
  ConditionValue,
  RuleAction,
  TicketFacts,
  TicketUpdate,
  Trigger,
  UpdateComment,
} from '../rule-types.js';
import { buildFacts, HOUR } from './build-rules.js';

export const TAGS = ['a', 'b', 'c', 'vip'];
export const SKILLS = ['s1', 's2'];
export const GROUPS = ['g1', 'g2'];
export const AGENTS = ['u1', 'u2'];

const maybe = <T>(values: readonly T[]) => fc.constantFrom<T | null>(null, ...values);

function valueArb(kind: RuleValueKind): fc.Arbitrary<ConditionValue> {
  switch (kind) {
    case 'status':
      return fc.constantFrom(...TICKET_STATUSES);
    case 'channel':
      return fc.constantFrom(...CHANNELS);
    case 'priority':
      return fc.constantFrom(...TICKET_PRIORITIES);
    case 'id':
      return maybe([...GROUPS, ...AGENTS]);
    case 'id_list':
      return fc.oneof(
        fc.constantFrom(...SKILLS),
        fc.uniqueArray(fc.constantFrom(...SKILLS), { minLength: 1 }),
      );
    case 'tag':
      return fc.oneof(
        fc.constantFrom(...TAGS),
        fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 2 }),
      );
    case 'text':
      return fc.constantFrom('refund', 'Hello');
    case 'boolean':
      return fc.boolean();
    case 'session_state':
      return fc.constantFrom('active', 'ended', 'none');
    case 'session_end_reason':
      return fc.constantFrom(...SESSION_END_REASONS);
    case 'update_type':
      return fc.constantFrom('created', 'updated');
    case 'comment_kind':
      return fc.constantFrom('public', 'internal', 'none');
    case 'hours':
      return fc.constantFrom(0, 0.5, 1, 2, 4, 24);
    case 'minutes':
      return fc.constantFrom(0, 5, 15, 60);
  }
}

/** Any valid condition for a use (ticket fields, update fields and, outside triggers, time). */
export function conditionArb(usage: RuleUsage): fc.Arbitrary<Condition> {
  const fields = RULE_FIELDS.filter((f) => operatorsFor(f, usage).length > 0);
  return fc
    .constantFrom(...fields)
    .chain((field) =>
      fc.tuple(
        fc.constant(field),
        fc.constantFrom(...operatorsFor(field, usage)),
        valueArb(FIELD_CATALOG[field].value),
      ),
    )
    .map(([field, operator, value]) =>
      VALUELESS_OPERATORS.includes(operator) ? { field, operator } : { field, operator, value },
    );
}

export function conditionSetArb(usage: RuleUsage): fc.Arbitrary<ConditionSet> {
  return fc.record({
    all: fc.array(conditionArb(usage), { maxLength: 3 }),
    any: fc.array(conditionArb(usage), { maxLength: 2 }),
  });
}

export const actionArb: fc.Arbitrary<RuleAction> = fc.oneof(
  fc.record({
    type: fc.constant('set_status'),
    value: fc.constantFrom('open', 'pending', 'solved', 'closed'),
  }),
  fc.record({ type: fc.constant('set_priority'), value: fc.constantFrom(...TICKET_PRIORITIES) }),
  fc.record({ type: fc.constant('set_group'), value: maybe(GROUPS) }),
  fc.record({ type: fc.constant('set_assignee'), value: maybe(AGENTS) }),
  fc.record({ type: fc.constant('set_skills'), value: fc.uniqueArray(fc.constantFrom(...SKILLS)) }),
  fc.record({
    type: fc.constantFrom('add_tags', 'remove_tags'),
    value: fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 2 }),
  }),
  fc.constant({ type: 'send_csat' } as const),
  fc.constant({ type: 'add_note', body: 'note' } as const),
) as fc.Arbitrary<RuleAction>;

export const triggersArb: fc.Arbitrary<Trigger[]> = fc
  .array(
    fc.record({
      conditions: conditionSetArb('trigger'),
      actions: fc.array(actionArb, { minLength: 1, maxLength: 3 }),
      active: fc.integer({ min: 0, max: 6 }).map((n) => n > 0),
      scope: fc.constantFrom('ticket', 'messaging'),
      position: fc.integer({ min: 0, max: 6 }),
    }),
    { maxLength: 12 },
  )
  .map((rows) =>
    rows.map((r, i) => ({
      id: `t${String(i).padStart(2, '0')}`,
      name: `trigger ${i}`,
      category: null,
      preset: null,
      ...r,
    })),
  );

const momentArb = fc.option(
  fc.integer({ min: -48, max: 0 }).map((h) => new Date(AT.getTime() + h * HOUR)),
  { nil: null },
);

/** A ticket the core can hold: New unassigned, Solved and Closed assigned. */
export const factsArb: fc.Arbitrary<TicketFacts> = fc
  .record({
    status: fc.constantFrom(...TICKET_STATUSES),
    priority: fc.constantFrom(...TICKET_PRIORITIES),
    groupId: maybe(GROUPS),
    assigneeId: maybe(AGENTS),
    tags: fc.uniqueArray(fc.constantFrom(...TAGS)),
    skills: fc.uniqueArray(fc.constantFrom(...SKILLS)),
    channel: fc.constantFrom(...CHANNELS),
    requesterEmailKnown: fc.boolean(),
    session: fc.constantFrom('active', 'ended', null),
    solvedAt: momentArb,
    pendingSince: momentArb,
    lastAgentReplyAt: momentArb,
    lastCustomerMessageAt: momentArb,
    createdHoursAgo: fc.integer({ min: 0, max: 100 }),
  })
  .map((r) => {
    const assigneeId =
      r.status === 'new'
        ? null
        : r.status === 'solved' || r.status === 'closed'
          ? (r.assigneeId ?? 'u1')
          : r.assigneeId;
    const createdAt = new Date(AT.getTime() - r.createdHoursAgo * HOUR);
    return buildFacts({
      ticket: {
        status: r.status,
        priority: r.priority,
        groupId: r.groupId,
        assigneeId,
        tags: r.tags,
        channel: r.channel,
        createdAt,
        updatedAt: createdAt,
        solvedAt: r.status === 'solved' || r.status === 'closed' ? (r.solvedAt ?? AT) : null,
      },
      skills: r.skills,
      channel: r.channel,
      requesterEmailKnown: r.requesterEmailKnown,
      sessionState: r.channel === 'messaging' ? r.session : null,
      sessionEndReason:
        r.channel === 'messaging' && r.session === 'ended' ? 'ended_by_agent' : null,
      pendingSince: r.status === 'pending' ? (r.pendingSince ?? AT) : null,
      lastAgentReplyAt: r.lastAgentReplyAt,
      lastCustomerMessageAt: r.lastCustomerMessageAt,
    });
  });

const commentArb: fc.Arbitrary<UpdateComment | null> = fc.option(
  fc.record({
    kind: fc.constantFrom('public', 'internal'),
    text: fc.constantFrom('I want a refund', 'hello there', ''),
    authorType: fc.constantFrom('user', 'end_user'),
  }),
  { nil: null },
);

/** An update of one ticket: created (no before) or from one state to another. */
export const updateArb: fc.Arbitrary<TicketUpdate> = fc
  .record({ before: fc.option(factsArb, { nil: null }), after: factsArb, comment: commentArb })
  .map(({ before, after, comment }) => ({ before, after, comment, at: AT }));

export const automationArb: fc.Arbitrary<Automation> = fc
  .record({
    conditions: conditionSetArb('automation'),
    actions: fc.array(actionArb, { minLength: 1, maxLength: 2 }),
    oncePerTicket: fc.boolean(),
  })
  .map((r) => ({ id: 'auto', name: 'auto', active: true, position: 1, preset: null, ...r }));
