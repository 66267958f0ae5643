import type {
  Condition,
  RuleAction,
  TicketFacts,
  TicketPriority,
  TicketStatus,
  TicketUpdate,
  Trigger,
  UpdateComment,
} from '@parlour/core';

/**
 * A help desk's triggers and a day of updates, made up from a seed: 1,000 active triggers of the
 * kinds admins write (notify on new tickets, route by keyword, survey on Solved, tell the assignee,
 * escalate VIP tags, react to reopening, priority and session ends, tag by keywords, and a few
 * without any condition an index can use), over 40 groups, 200 agents and 120 tags; and ticket
 * updates mixing creations, replies, assignments, solves, tags, priorities, session ends and
 * notes.
 */
export interface TriggerFixture {
  readonly triggers: readonly Trigger[];
  readonly updates: readonly TicketUpdate[];
}

const GROUPS = Array.from({ length: 40 }, (_, i) => `group-${i}`);
const AGENTS = Array.from({ length: 200 }, (_, i) => `agent-${i}`);
const TAGS = Array.from({ length: 120 }, (_, i) => `tag-${i}`);
const KEYWORDS = Array.from({ length: 200 }, (_, i) => `keyword${i}`);
const WORDS = ['hello', 'order', 'invoice', 'delivery', 'thanks', 'account', 'password', 'help'];
const PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
const HOUR = 3_600_000;

/** mulberry32: small, fast, seeded. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

type Rng = ReturnType<typeof rng>;

const c = (
  field: Condition['field'],
  operator: Condition['operator'],
  value?: Condition['value'],
) => (value === undefined ? { field, operator } : { field, operator, value }) as Condition;

/** One trigger of a kind picked by weight; returns its conditions and actions. */
function makeRule(r: Rng): { all: Condition[]; any: Condition[]; actions: RuleAction[] } {
  const group = r.pick(GROUPS);
  const roll = r.next();
  if (roll < 0.05)
    return {
      all: [
        c('update_type', 'is', 'created'),
        c('channel', 'is', r.pick(['email', 'api', 'messaging'] as const)),
        c('group', 'is', group),
      ],
      any: [],
      actions: [{ type: 'send_message', body: 'We received your request {{ticket.id}}' }],
    };
  if (roll < 0.11)
    return {
      all: [c('update_type', 'is', 'created'), c('comment_text', 'contains', r.pick(KEYWORDS))],
      any: [],
      actions: [
        { type: 'set_group', value: group },
        { type: 'add_tags', value: [r.pick(TAGS)] },
      ],
    };
  if (roll < 0.23)
    return {
      all: [c('status', 'changed_to', 'solved'), c('group', 'is', group)],
      any: [],
      actions: [{ type: 'send_csat' }],
    };
  if (roll < 0.35)
    return {
      all: [c('assignee', 'changed'), c('assignee', 'is_not', null), c('group', 'is', group)],
      any: [],
      actions: [{ type: 'add_note', body: 'Assigned to you' }],
    };
  if (roll < 0.5) {
    const tag = r.pick(TAGS);
    return {
      all: [c('tags', 'contains', [tag, r.pick(TAGS)]), c('priority', 'less_than', 'high')],
      any: [],
      actions: [
        { type: 'set_priority', value: 'high' },
        { type: 'add_tags', value: [`escalated-${tag}`] },
      ],
    };
  }
  if (roll < 0.6)
    return {
      all: [c('status', 'changed_from', 'solved'), c('group', 'is', group)],
      any: [],
      actions: [{ type: 'add_note', body: 'Reopened' }],
    };
  if (roll < 0.7)
    return {
      all: [
        c('status', 'is', 'open'),
        c('comment_kind', 'is', 'public'),
        c('priority', 'is', 'urgent'),
        c('group', 'is', group),
      ],
      any: [],
      actions: [{ type: 'webhook', url: `https://hooks.example.com/${group}` }],
    };
  if (roll < 0.75)
    return {
      all: [c('session_end_reason', 'changed_to', 'ended_by_agent'), c('group', 'is', group)],
      any: [],
      actions: [{ type: 'send_csat' }],
    };
  if (roll < 0.85)
    return {
      all: [c('priority', 'changed_to', 'urgent'), c('group', 'is', group)],
      any: [],
      actions: [
        { type: 'add_tags', value: [`urgent-${group}`] },
        { type: 'webhook', url: `https://hooks.example.com/urgent/${group}` },
      ],
    };
  if (roll < 0.95)
    return {
      all: [c('requester_email_known', 'is', true)],
      any: [
        c('comment_text', 'contains', r.pick(KEYWORDS)),
        c('comment_text', 'contains', r.pick(KEYWORDS)),
      ],
      actions: [{ type: 'add_tags', value: [r.pick(TAGS)] }],
    };
  if (roll < 0.97)
    return {
      all: [
        c('comment_text', 'contains', r.pick(KEYWORDS)),
        c('priority', 'greater_than', 'normal'),
        c('tags', 'not_contains', r.pick(TAGS)),
      ],
      any: [],
      actions: [{ type: 'add_note', body: 'High priority keyword' }],
    };
  // No gate: looked at on every pass of every update.
  const flag = `flagged-${r.int(3)}`;
  return {
    all: [
      c('priority', 'greater_than', 'high'),
      c('session_state', 'is_not', 'active'),
      c('group', 'is_not', group),
      c('tags', 'not_contains', flag),
    ],
    any: [],
    actions: [{ type: 'add_tags', value: [flag] }],
  };
}

function makeTriggers(r: Rng, count: number): Trigger[] {
  return Array.from({ length: count }, (_, i) => {
    const rule = makeRule(r);
    return {
      id: `trigger-${String(i).padStart(4, '0')}`,
      name: `Trigger ${i}`,
      category: null,
      scope: r.chance(0.2) ? 'messaging' : 'ticket',
      active: true,
      position: i,
      conditions: { all: rule.all, any: rule.any },
      actions: rule.actions,
      preset: null,
    };
  });
}

function makeFacts(r: Rng, at: Date): TicketFacts {
  const status = r.pick<TicketStatus>(['new', 'open', 'open', 'pending', 'on_hold', 'solved']);
  const assigneeId = status === 'new' ? null : r.pick(AGENTS);
  const channel = r.pick(['messaging', 'messaging', 'email', 'api'] as const);
  const createdAt = new Date(at.getTime() - r.int(72) * HOUR);
  const tags = [...new Set(Array.from({ length: r.int(4) }, () => r.pick(TAGS)))];
  return {
    ticket: {
      id: `ticket-${r.int(1e9)}`,
      conversationId: 'conversation',
      requesterId: 'end-user',
      channel,
      status,
      priority: r.pick(PRIORITIES),
      groupId: r.chance(0.9) ? r.pick(GROUPS) : null,
      assigneeId,
      tags,
      subject: null,
      createdAt,
      updatedAt: createdAt,
      solvedAt: status === 'solved' ? createdAt : null,
      closedAt: null,
      version: 3,
    },
    skills: [],
    requesterEmailKnown: r.chance(0.5),
    sessionState: channel === 'messaging' ? (r.chance(0.8) ? 'active' : 'ended') : null,
    sessionEndReason: null,
    channel,
    pendingSince: status === 'pending' ? createdAt : null,
    lastAgentReplyAt: null,
    lastCustomerMessageAt: createdAt,
  };
}

function text(r: Rng): string {
  const words = Array.from({ length: 6 + r.int(20) }, () =>
    r.chance(0.1) ? r.pick(KEYWORDS) : r.pick(WORDS),
  );
  return words.join(' ');
}

const customer = (r: Rng): UpdateComment => ({
  kind: 'public',
  text: text(r),
  authorType: 'end_user',
});

/** One update of a ticket: what changed between `before` and `after`. */
function makeUpdate(r: Rng, at: Date): TicketUpdate {
  const before = makeFacts(r, at);
  const ticket = before.ticket;
  const roll = r.next();
  const next = (patch: Partial<TicketFacts['ticket']>, facts: Partial<TicketFacts> = {}) => ({
    ...before,
    ...facts,
    ticket: { ...ticket, ...patch, updatedAt: at, version: ticket.version + 1 },
  });
  if (roll < 0.15) {
    const created = makeFacts(r, at);
    const fresh = {
      ...created,
      ticket: {
        ...created.ticket,
        status: 'new' as const,
        assigneeId: null,
        createdAt: at,
        updatedAt: at,
        solvedAt: null,
      },
    };
    return { before: null, after: fresh, comment: customer(r), at };
  }
  if (roll < 0.45) {
    const fromAgent = r.chance(0.5) && ticket.assigneeId !== null;
    const after = fromAgent
      ? next({ status: 'pending' }, { pendingSince: at, lastAgentReplyAt: at })
      : next({ status: ticket.status === 'new' ? 'new' : 'open' }, { lastCustomerMessageAt: at });
    return {
      before,
      after,
      comment: fromAgent ? { kind: 'public', text: text(r), authorType: 'user' } : customer(r),
      at,
    };
  }
  if (roll < 0.6)
    return {
      before,
      after: next({
        assigneeId: r.pick(AGENTS),
        status: ticket.status === 'new' ? 'open' : ticket.status,
      }),
      comment: null,
      at,
    };
  if (roll < 0.7)
    return {
      before,
      after: next({
        status: 'solved',
        assigneeId: ticket.assigneeId ?? r.pick(AGENTS),
        solvedAt: at,
      }),
      comment: null,
      at,
    };
  if (roll < 0.8)
    return {
      before,
      after: next({ tags: [...new Set([...ticket.tags, r.pick(TAGS)])] }),
      comment: null,
      at,
    };
  if (roll < 0.9)
    return { before, after: next({ priority: r.pick(PRIORITIES) }), comment: null, at };
  if (roll < 0.95 && before.sessionState === 'active')
    return {
      before,
      after: next(
        {},
        { sessionState: 'ended', sessionEndReason: 'ended_by_agent', channel: 'email' },
      ),
      comment: null,
      at,
    };
  return {
    before,
    after: before,
    comment: { kind: 'internal', text: text(r), authorType: 'user' },
    at,
  };
}

export function buildTriggerFixture(
  triggers: number,
  updates: number,
  seed: number,
): TriggerFixture {
  const r = rng(seed);
  const at = new Date('2026-01-05T09:00:00Z');
  return {
    triggers: makeTriggers(r, triggers),
    updates: Array.from({ length: updates }, () => makeUpdate(r, at)),
  };
}
