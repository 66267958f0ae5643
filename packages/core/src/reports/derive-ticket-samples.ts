import type { Channel } from '../channel.js';
import type { MetricId } from './metric-registry.js';

/** One entry of a ticket's history as stored: a ticket event (type + data) or a message. */
export interface HistoryEvent {
  readonly kind: 'event';
  readonly type: string;
  readonly at: number;
  readonly actorId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface HistoryMessage {
  readonly kind: 'message';
  readonly at: number;
  readonly visibility: 'public' | 'internal';
  readonly authorType: 'user' | 'end_user' | 'bot' | 'system';
  readonly authorId: string | null;
}

export interface TicketHistoryInput {
  readonly ticketId: string;
  readonly channel: Channel;
  /** Events in the order they were stored, messages in feed order; merged here by time. */
  readonly events: readonly HistoryEvent[];
  readonly messages: readonly HistoryMessage[];
}

/**
 * One measurement. Durations carry the spans they are made of (so business hours can be applied
 * to exactly the same time); counts have value 1, ratios 100 (yes) or 0 (no).
 * `busy` samples are the handle-time spans occupancy is computed from.
 */
export interface MetricSample {
  readonly metric: MetricId | 'busy';
  readonly agentId: string | null;
  readonly groupId: string | null;
  readonly channel: Channel;
  /** The moment the sample counts on (ms). */
  readonly at: number;
  readonly value: number;
  readonly spans: readonly (readonly [number, number])[];
}

type Status = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
const REQUESTER_WAITING: ReadonlySet<string> = new Set(['new', 'open', 'on_hold']);
const AGENT_TURN: ReadonlySet<string> = new Set(['new', 'open']);
const LIVE: ReadonlySet<Channel> = new Set<Channel>(['messaging', 'api']);

type Entry = HistoryEvent | HistoryMessage;

function rank(entry: Entry): number {
  if (entry.kind === 'message') return 1;
  if (entry.type === 'ticket.created') return 0;
  if (entry.type === 'ticket.status_changed' && entry.data.from === 'solved') return 0;
  return 2;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function total(spans: readonly (readonly [number, number])[]): number {
  return spans.reduce((sum, [s, e]) => sum + Math.max(0, e - s), 0);
}

/**
 * Derives every metric sample of one ticket from its history (see metric-registry.ts for the
 * definitions). Pure: the same history always gives the same samples, so the projector can
 * recompute a ticket whenever it changes. Nothing before the ticket's creation (the handoff)
 * counts, which keeps bot time out.
 */
export function deriveTicketSamples(input: TicketHistoryInput): MetricSample[] {
  const entries: Entry[] = [...input.events, ...input.messages];
  // Stable by time. At the same moment, what starts a cycle (the handoff, a reopen) goes before
  // the messages and everything else after them: "reply and solve" in one step is a reply.
  const order = new Map<Entry, number>(entries.map((e, i) => [e, i]));
  entries.sort(
    (a, b) => a.at - b.at || rank(a) - rank(b) || (order.get(a) ?? 0) - (order.get(b) ?? 0),
  );

  const samples: MetricSample[] = [];
  const channel = input.channel;
  let created = false;
  let status: Status = 'new';
  let statusSince = 0;
  let assignee: string | null = null;
  let group: string | null = null;
  let sessionActive = LIVE.has(channel);
  let sessionEndedAt: number | null = null;
  let cycleStart: number | null = null;
  let awaitingReplySince: number | null = null;
  let queuedSince: number | null = null;
  let requesterSpans: [number, number][] = [];
  let agentSpans: [number, number][] = [];
  let stint: { agentId: string; spans: [number, number][] } | null = null;
  let handleSince: number | null = null;
  let agentReplies = 0;
  let reopens = 0;
  let lastSolve: { at: number; agentId: string | null; groupId: string | null } | null = null;

  const push = (
    metric: MetricSample['metric'],
    at: number,
    agentId: string | null,
    value: number,
    spans: readonly (readonly [number, number])[] = [],
  ): void => {
    samples.push({ metric, agentId, groupId: group, channel, at, value, spans });
  };
  const count = (metric: MetricId, at: number, agentId: string | null): void =>
    push(metric, at, agentId, 1);
  const handling = (): boolean =>
    assignee !== null && AGENT_TURN.has(status) && (!LIVE.has(channel) || sessionActive);

  /** Closes the running handle span (before anything that may end it). */
  const pauseHandle = (at: number): void => {
    if (handleSince !== null && stint) {
      if (at > handleSince) {
        stint.spans.push([handleSince, at]);
        push('busy', at, stint.agentId, at - handleSince, [[handleSince, at]]);
      }
    }
    handleSince = null;
  };
  const resumeHandle = (at: number): void => {
    if (handleSince === null && handling()) handleSince = at;
  };
  const endStint = (at: number): void => {
    pauseHandle(at);
    if (stint && stint.spans.length > 0)
      push('handle_time', at, stint.agentId, total(stint.spans), stint.spans);
    stint = assignee ? { agentId: assignee, spans: [] } : null;
  };
  /** Ends the status stretch that ran until `at`, adding it to the cycle's waits. */
  const closeStatus = (at: number): void => {
    if (cycleStart === null || at <= statusSince) return;
    if (REQUESTER_WAITING.has(status)) requesterSpans.push([statusSince, at]);
    else if (status === 'pending') agentSpans.push([statusSince, at]);
  };
  const startCycle = (at: number): void => {
    cycleStart = at;
    awaitingReplySince = at;
    requesterSpans = [];
    agentSpans = [];
  };

  for (const entry of entries) {
    const at = entry.at;
    if (entry.kind === 'message') {
      if (!created) continue;
      if (entry.visibility === 'public' && entry.authorType === 'user') {
        agentReplies++;
        if (awaitingReplySince !== null) {
          push('first_reply_time', at, entry.authorId, at - awaitingReplySince, [
            [awaitingReplySince, at],
          ]);
          awaitingReplySince = null;
        }
      }
      continue;
    }
    const d = entry.data;
    if (entry.type === 'ticket.created') {
      created = true;
      status = (str(d.status) as Status | null) ?? 'new';
      statusSince = at;
      group = str(d.groupId);
      startCycle(at);
      continue;
    }
    if (!created) continue;
    switch (entry.type) {
      case 'ticket.status_changed': {
        const from = str(d.from);
        const to = (str(d.to) as Status | null) ?? status;
        closeStatus(at);
        pauseHandle(at);
        if (to === 'solved' && cycleStart !== null) {
          endStint(at);
          push('resolution_time', at, assignee, at - cycleStart, [[cycleStart, at]]);
          push('requester_wait_time', at, assignee, total(requesterSpans), requesterSpans);
          push('agent_wait_time', at, assignee, total(agentSpans), agentSpans);
          lastSolve = { at, agentId: assignee, groupId: group };
          cycleStart = null;
          awaitingReplySince = null;
        } else if (to === 'closed' && from !== 'solved') {
          endStint(at);
          cycleStart = null;
          awaitingReplySince = null;
        }
        if (from === 'solved' && to !== 'closed' && to !== 'solved') {
          reopens++;
          count('reopens', at, assignee);
          lastSolve = null;
          startCycle(at);
        }
        status = to;
        statusSince = at;
        resumeHandle(at);
        break;
      }
      case 'ticket.assignee_changed': {
        const to = str(d.to);
        if (to === assignee) break;
        endStint(at);
        assignee = to;
        stint = to ? { agentId: to, spans: [] } : null;
        if (to && queuedSince !== null) {
          push('queue_wait_time', at, to, at - queuedSince, [[queuedSince, at]]);
          queuedSince = null;
        }
        resumeHandle(at);
        break;
      }
      case 'ticket.group_changed':
        group = str(d.to);
        break;
      case 'routing.queued':
      case 'routing.requeued':
        if (queuedSince === null) queuedSince = at;
        break;
      case 'routing.offered':
        count('offers_made', at, str(d.agentId));
        break;
      case 'routing.offer_accepted':
        count('offers_accepted', at, str(d.agentId));
        break;
      case 'routing.offer_declined':
        count('offers_declined', at, str(d.agentId));
        break;
      case 'routing.offer_expired':
        count('offers_missed', at, str(d.agentId));
        break;
      case 'session.ended': {
        pauseHandle(at);
        sessionActive = false;
        sessionEndedAt = at;
        if (LIVE.has(channel) && agentReplies === 0 && str(d.reason) !== 'ended_by_agent')
          count('abandoned', at, null);
        break;
      }
      case 'ticket.wrapped_up': {
        const from = sessionEndedAt ?? at;
        push('wrap_up_time', at, entry.actorId, Math.max(0, at - from), [
          [from, Math.max(from, at)],
        ]);
        break;
      }
      case 'csat.answered':
        push('csat_score', at, assignee, str(d.rating) === 'good' ? 100 : 0);
        break;
      default:
        break;
    }
  }

  if (lastSolve !== null && (status === 'solved' || status === 'closed')) {
    const solve: { at: number; agentId: string | null; groupId: string | null } = lastSolve;
    samples.push({
      metric: 'one_touch_resolution',
      agentId: solve.agentId,
      groupId: solve.groupId,
      channel,
      at: solve.at,
      value: agentReplies === 1 && reopens === 0 ? 100 : 0,
      spans: [],
    });
  }
  return samples;
}
