import { describe, expect, it } from 'vitest';
import { conditionsMatch, evaluateCondition, explainConditions } from './evaluate-conditions.js';
import {
  AT,
  all,
  buildFacts,
  comment,
  cond,
  created,
  hoursAfter,
  updateOf,
} from './testing/build-rules.js';

const open = buildFacts({ ticket: { status: 'open', assigneeId: 'agent-1' } });
const solved = buildFacts({ ticket: { status: 'solved', assigneeId: 'agent-1', solvedAt: AT } });

describe('ticket field conditions', () => {
  it('"is" and "is not" compare the value now', () => {
    const u = updateOf(open);
    expect(evaluateCondition(cond('status', 'is', 'open'), u)).toBe(true);
    expect(evaluateCondition(cond('status', 'is', 'new'), u)).toBe(false);
    expect(evaluateCondition(cond('status', 'is_not', 'new'), u)).toBe(true);
    expect(evaluateCondition(cond('assignee', 'is', 'agent-1'), u)).toBe(true);
  });

  it('"is null" means no group or no assignee', () => {
    const u = updateOf(buildFacts());
    expect(evaluateCondition(cond('group', 'is', null), u)).toBe(true);
    expect(evaluateCondition(cond('assignee', 'is_not', null), u)).toBe(false);
  });

  it('reads channel, requester email, session state and end reason from the facts', () => {
    const ended = buildFacts({
      channel: 'email',
      requesterEmailKnown: true,
      sessionState: 'ended',
      sessionEndReason: 'ended_by_agent',
    });
    const u = updateOf(ended);
    expect(evaluateCondition(cond('channel', 'is', 'email'), u)).toBe(true);
    expect(evaluateCondition(cond('requester_email_known', 'is', true), u)).toBe(true);
    expect(evaluateCondition(cond('session_state', 'is', 'ended'), u)).toBe(true);
    expect(evaluateCondition(cond('session_end_reason', 'is', 'ended_by_agent'), u)).toBe(true);
  });

  it('calls a ticket without a messaging session "none"', () => {
    const u = updateOf(buildFacts({ ticket: { channel: 'email' } }));
    expect(evaluateCondition(cond('session_state', 'is', 'none'), u)).toBe(true);
  });

  it('orders priorities low < normal < high < urgent', () => {
    const u = updateOf(buildFacts({ ticket: { priority: 'high' } }));
    expect(evaluateCondition(cond('priority', 'greater_than', 'normal'), u)).toBe(true);
    expect(evaluateCondition(cond('priority', 'greater_than', 'high'), u)).toBe(false);
    expect(evaluateCondition(cond('priority', 'less_than', 'urgent'), u)).toBe(true);
  });

  it('"contains" a list of tags means at least one of them; "not contains" none of them', () => {
    const u = updateOf(buildFacts({ ticket: { tags: ['vip', 'billing'] } }));
    expect(evaluateCondition(cond('tags', 'contains', 'vip'), u)).toBe(true);
    expect(evaluateCondition(cond('tags', 'contains', ['refund', 'billing']), u)).toBe(true);
    expect(evaluateCondition(cond('tags', 'contains', ['refund', 'spam']), u)).toBe(false);
    expect(evaluateCondition(cond('tags', 'not_contains', ['refund', 'billing']), u)).toBe(false);
    expect(evaluateCondition(cond('tags', 'not_contains', 'refund'), u)).toBe(true);
  });

  it('"contains" works on required skills too', () => {
    const u = updateOf(buildFacts({ skills: ['skill-fr'] }));
    expect(evaluateCondition(cond('skills', 'contains', ['skill-de', 'skill-fr']), u)).toBe(true);
    expect(evaluateCondition(cond('skills', 'not_contains', 'skill-de'), u)).toBe(true);
  });
});

describe('change conditions', () => {
  it('"changed" holds when the value differs from before the update', () => {
    expect(evaluateCondition(cond('status', 'changed'), updateOf(open, solved))).toBe(true);
    expect(evaluateCondition(cond('status', 'changed'), updateOf(open, open))).toBe(false);
    expect(evaluateCondition(cond('status', 'not_changed'), updateOf(open, open))).toBe(true);
  });

  it('"changed to" needs the new value; "changed from" the old one', () => {
    const u = updateOf(open, solved);
    expect(evaluateCondition(cond('status', 'changed_to', 'solved'), u)).toBe(true);
    expect(evaluateCondition(cond('status', 'changed_to', 'open'), u)).toBe(false);
    expect(evaluateCondition(cond('status', 'changed_from', 'open'), u)).toBe(true);
    expect(evaluateCondition(cond('status', 'changed_from', 'solved'), u)).toBe(false);
  });

  it('does not call a value that stayed the same "changed to" it', () => {
    expect(evaluateCondition(cond('status', 'changed_to', 'open'), updateOf(open, open))).toBe(
      false,
    );
  });

  it('on a new ticket every field "changed"; "changed to" its value holds, "changed from" never', () => {
    const u = created(buildFacts({ ticket: { priority: 'high' } }));
    expect(evaluateCondition(cond('priority', 'changed'), u)).toBe(true);
    expect(evaluateCondition(cond('priority', 'not_changed'), u)).toBe(false);
    expect(evaluateCondition(cond('priority', 'changed_to', 'high'), u)).toBe(true);
    expect(evaluateCondition(cond('priority', 'changed_to', 'low'), u)).toBe(false);
    expect(evaluateCondition(cond('priority', 'changed_from', 'normal'), u)).toBe(false);
  });

  it('compares tag lists as sets', () => {
    const before = buildFacts({ ticket: { tags: ['a', 'b'] } });
    const reordered = buildFacts({ ticket: { tags: ['b', 'a'] } });
    const more = buildFacts({ ticket: { tags: ['a', 'b', 'c'] } });
    expect(evaluateCondition(cond('tags', 'changed'), updateOf(before, reordered))).toBe(false);
    expect(evaluateCondition(cond('tags', 'changed'), updateOf(before, more))).toBe(true);
  });

  it('sees the messaging session end reason appear ("changed to ended by agent")', () => {
    const active = buildFacts();
    const ended = {
      ...active,
      sessionState: 'ended' as const,
      sessionEndReason: 'ended_by_agent' as const,
    };
    const u = updateOf(active, ended);
    expect(evaluateCondition(cond('session_end_reason', 'changed_to', 'ended_by_agent'), u)).toBe(
      true,
    );
    expect(evaluateCondition(cond('session_state', 'changed_from', 'active'), u)).toBe(true);
  });
});

describe('update conditions', () => {
  it('tells a created ticket from an updated one', () => {
    expect(evaluateCondition(cond('update_type', 'is', 'created'), created())).toBe(true);
    expect(evaluateCondition(cond('update_type', 'is', 'updated'), updateOf(open))).toBe(true);
  });

  it('sees whether the update came with a public comment, an internal one or none', () => {
    const u = updateOf(open, open, { comment: comment('Hello', 'internal') });
    expect(evaluateCondition(cond('comment_kind', 'is', 'internal'), u)).toBe(true);
    expect(evaluateCondition(cond('comment_kind', 'is', 'none'), updateOf(open))).toBe(true);
  });

  it('compares comment text case-insensitively', () => {
    const u = updateOf(open, open, { comment: comment('I want a REFUND please') });
    expect(evaluateCondition(cond('comment_text', 'contains', 'refund'), u)).toBe(true);
    expect(evaluateCondition(cond('comment_text', 'not_contains', 'Refund'), u)).toBe(false);
    expect(evaluateCondition(cond('comment_text', 'is', ' i want a refund PLEASE '), u)).toBe(true);
  });

  it('gives an update without a comment no text: "contains" fails, "not contains" holds', () => {
    const u = updateOf(open);
    expect(evaluateCondition(cond('comment_text', 'contains', 'refund'), u)).toBe(false);
    expect(evaluateCondition(cond('comment_text', 'not_contains', 'refund'), u)).toBe(true);
  });
});

describe('time conditions', () => {
  const at = (hours: number) => updateOf(solved, solved, { at: hoursAfter(AT, hours) });

  it('"greater than" and "less than" are strict, measured to the update\'s moment', () => {
    const c = cond('hours_since_solved', 'greater_than', 4);
    expect(evaluateCondition(c, at(4))).toBe(false);
    expect(evaluateCondition(c, at(4.001))).toBe(true);
    expect(evaluateCondition(cond('hours_since_solved', 'less_than', 4), at(3.99))).toBe(true);
    expect(evaluateCondition(cond('hours_since_solved', 'less_than', 4), at(4))).toBe(false);
  });

  it('"is N" holds from N hours up to N + 1', () => {
    const c = cond('hours_since_created', 'is', 2);
    expect(evaluateCondition(c, at(1.99))).toBe(false);
    expect(evaluateCondition(c, at(2))).toBe(true);
    expect(evaluateCondition(c, at(2.99))).toBe(true);
    expect(evaluateCondition(c, at(3))).toBe(false);
  });

  it('makes a time condition false when its moment never happened', () => {
    const u = updateOf(open, open, { at: hoursAfter(AT, 100) });
    expect(evaluateCondition(cond('hours_since_solved', 'greater_than', 1), u)).toBe(false);
    expect(evaluateCondition(cond('hours_since_solved', 'less_than', 1), u)).toBe(false);
    expect(evaluateCondition(cond('hours_since_last_agent_reply', 'is', 0), u)).toBe(false);
  });

  it('measures each moment from its own fact', () => {
    const facts = buildFacts({
      ticket: { status: 'pending', assigneeId: 'agent-1', updatedAt: hoursAfter(AT, 1) },
      pendingSince: hoursAfter(AT, 2),
      lastAgentReplyAt: hoursAfter(AT, 3),
      lastCustomerMessageAt: hoursAfter(AT, 4),
    });
    const u = updateOf(facts, facts, { at: hoursAfter(AT, 10) });
    expect(evaluateCondition(cond('hours_since_created', 'is', 10), u)).toBe(true);
    expect(evaluateCondition(cond('hours_since_updated', 'is', 9), u)).toBe(true);
    expect(evaluateCondition(cond('hours_since_pending', 'is', 8), u)).toBe(true);
    expect(evaluateCondition(cond('hours_since_last_agent_reply', 'is', 7), u)).toBe(true);
    expect(evaluateCondition(cond('hours_since_last_customer_message', 'is', 6), u)).toBe(true);
  });

  it('measures the last outgoing message in minutes, and can ask whether there is one', () => {
    const none = updateOf(open);
    expect(evaluateCondition(cond('minutes_since_last_outgoing_message', 'not_exists'), none)).toBe(
      true,
    );
    expect(
      evaluateCondition(cond('minutes_since_last_outgoing_message', 'greater_than', 15), none),
    ).toBe(false);
    const replied = buildFacts({ lastAgentReplyAt: AT });
    const u = updateOf(replied, replied, { at: new Date(AT.getTime() + 20 * 60_000) });
    expect(evaluateCondition(cond('minutes_since_last_outgoing_message', 'exists'), u)).toBe(true);
    expect(
      evaluateCondition(cond('minutes_since_last_outgoing_message', 'greater_than', 15), u),
    ).toBe(true);
  });
});

describe('condition sets', () => {
  const u = updateOf(buildFacts({ ticket: { priority: 'high', tags: ['vip'] } }));

  it('needs every "all" condition', () => {
    expect(
      conditionsMatch(all(cond('priority', 'is', 'high'), cond('tags', 'contains', 'vip')), u),
    ).toBe(true);
    expect(
      conditionsMatch(all(cond('priority', 'is', 'high'), cond('tags', 'contains', 'x')), u),
    ).toBe(false);
  });

  it('needs at least one "any" condition when there are some', () => {
    const set = (any: ReturnType<typeof cond>[]) => ({
      all: [cond('priority', 'is', 'high')],
      any,
    });
    expect(conditionsMatch(set([]), u)).toBe(true);
    expect(
      conditionsMatch(set([cond('tags', 'contains', 'x'), cond('tags', 'contains', 'vip')]), u),
    ).toBe(true);
    expect(conditionsMatch(set([cond('tags', 'contains', 'x')]), u)).toBe(false);
  });

  it('explains each condition with what it saw', () => {
    const before = buildFacts();
    const after = buildFacts({ ticket: { status: 'open', assigneeId: 'agent-1' } });
    const explained = explainConditions(
      {
        all: [cond('status', 'changed_to', 'open')],
        any: [cond('hours_since_solved', 'less_than', 1)],
      },
      updateOf(before, after),
    );
    expect(explained.matched).toBe(false);
    expect(explained.conditions).toEqual([
      expect.objectContaining({ list: 'all', holds: true, detail: 'status was "new", is "open"' }),
      expect.objectContaining({
        list: 'any',
        holds: false,
        detail: 'hours since solved: none (it never happened)',
      }),
    ]);
  });
});
