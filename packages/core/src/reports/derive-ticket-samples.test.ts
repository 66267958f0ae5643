import { describe, expect, it } from 'vitest';
import {
  deriveTicketSamples,
  type HistoryEvent,
  type HistoryMessage,
  type MetricSample,
} from './derive-ticket-samples.js';
import { businessValueOf } from './business-value.js';
import { METRICS, METRIC_IDS } from './metric-registry.js';

const MIN = 60_000;
const H = 60 * MIN;
const t = (iso: string): number => Date.parse(iso);
const ev = (
  at: string,
  type: string,
  data: Record<string, unknown> = {},
  actorId: string | null = null,
): HistoryEvent => ({ kind: 'event', type, at: t(at), actorId, data });
const msg = (
  at: string,
  authorType: HistoryMessage['authorType'],
  authorId: string | null = null,
  visibility: HistoryMessage['visibility'] = 'public',
): HistoryMessage => ({ kind: 'message', at: t(at), authorType, authorId, visibility });

const of = (samples: MetricSample[], metric: MetricSample['metric']) =>
  samples.filter((s) => s.metric === metric);
const values = (samples: MetricSample[], metric: MetricSample['metric']) =>
  of(samples, metric).map((s) => s.value);

// A live chat: the bot talks for two minutes, then hands off to group G; agent X takes it.
const chat = deriveTicketSamples({
  ticketId: 'A',
  channel: 'messaging',
  messages: [
    msg('2026-11-23T10:00:00Z', 'bot'),
    msg('2026-11-23T10:00:30Z', 'end_user'),
    msg('2026-11-23T10:01:00Z', 'bot'),
    msg('2026-11-23T10:02:30Z', 'bot'), // "connecting you to a person" after the handoff
    msg('2026-11-23T10:04:00Z', 'user', 'X', 'internal'),
    msg('2026-11-23T10:05:00Z', 'user', 'X'),
    msg('2026-11-23T10:06:00Z', 'end_user'),
    msg('2026-11-23T10:07:00Z', 'user', 'X'),
  ],
  events: [
    ev('2026-11-23T10:02:00Z', 'ticket.created', { status: 'new', groupId: 'G' }),
    ev('2026-11-23T10:02:00Z', 'routing.queued', { groupId: 'G' }),
    ev('2026-11-23T10:02:10Z', 'routing.offered', { agentId: 'Y' }),
    ev('2026-11-23T10:02:40Z', 'routing.offer_expired', { agentId: 'Y' }),
    ev('2026-11-23T10:02:40Z', 'routing.offered', { agentId: 'X' }),
    ev('2026-11-23T10:03:00Z', 'routing.offer_accepted', { agentId: 'X' }),
    ev('2026-11-23T10:03:00Z', 'ticket.assignee_changed', { from: null, to: 'X' }),
    ev('2026-11-23T10:03:00Z', 'ticket.status_changed', { from: 'new', to: 'open' }),
    ev('2026-11-23T10:20:00Z', 'session.ended', { reason: 'ended_by_agent' }, 'X'),
    ev('2026-11-23T10:21:00Z', 'ticket.wrapped_up', { reasons: ['Billing'] }, 'X'),
    ev('2026-11-23T10:30:00Z', 'ticket.status_changed', { from: 'open', to: 'solved' }),
    ev('2026-11-23T11:00:00Z', 'csat.answered', { rating: 'good' }),
  ],
});

describe('deriveTicketSamples: a live chat after the bot', () => {
  it('starts first reply time at the handoff, so bot time never counts', () => {
    // 10:02 handoff → 10:05 first public agent reply (the internal note at 10:04 is no reply).
    expect(of(chat, 'first_reply_time')).toEqual([
      expect.objectContaining({
        agentId: 'X',
        groupId: 'G',
        value: 3 * MIN,
        at: t('2026-11-23T10:05:00Z'),
      }),
    ]);
  });

  it('credits queue wait to the agent who took the ticket, across a missed offer', () => {
    expect(of(chat, 'queue_wait_time')).toEqual([
      expect.objectContaining({ agentId: 'X', value: MIN }),
    ]);
  });

  it('counts offers made, accepted and missed per agent', () => {
    expect(of(chat, 'offers_made').map((s) => s.agentId)).toEqual(['Y', 'X']);
    expect(of(chat, 'offers_missed').map((s) => s.agentId)).toEqual(['Y']);
    expect(of(chat, 'offers_accepted').map((s) => s.agentId)).toEqual(['X']);
  });

  it('measures handle time only while the chat session is active', () => {
    // Assigned 10:03, session ended 10:20.
    expect(values(chat, 'handle_time')).toEqual([17 * MIN]);
  });

  it('measures wrap-up from the session end to the reasons being recorded', () => {
    expect(of(chat, 'wrap_up_time')).toEqual([
      expect.objectContaining({ agentId: 'X', value: MIN }),
    ]);
  });

  it('measures resolution and requester wait from the handoff to the solve', () => {
    expect(values(chat, 'resolution_time')).toEqual([28 * MIN]);
    expect(values(chat, 'requester_wait_time')).toEqual([28 * MIN]);
    expect(values(chat, 'agent_wait_time')).toEqual([0]);
  });

  it('is not one-touch with two agent replies; CSAT is credited to the assignee', () => {
    expect(of(chat, 'one_touch_resolution')).toEqual([
      expect.objectContaining({ agentId: 'X', value: 0 }),
    ]);
    expect(of(chat, 'csat_score')).toEqual([expect.objectContaining({ agentId: 'X', value: 100 })]);
    expect(of(chat, 'abandoned')).toEqual([]);
  });
});

// An email ticket solved, reopened by the customer the next day, and solved again.
const reopened = deriveTicketSamples({
  ticketId: 'B',
  channel: 'email',
  messages: [
    msg('2026-11-23T09:00:00Z', 'end_user'),
    msg('2026-11-23T10:00:00Z', 'user', 'Y'),
    msg('2026-11-24T09:00:00Z', 'end_user'),
    msg('2026-11-24T09:30:00Z', 'user', 'Y'),
  ],
  events: [
    ev('2026-11-23T09:00:00Z', 'ticket.created', { status: 'new', groupId: 'G' }),
    ev('2026-11-23T09:10:00Z', 'ticket.assignee_changed', { from: null, to: 'Y' }),
    ev('2026-11-23T09:10:00Z', 'ticket.status_changed', { from: 'new', to: 'open' }),
    ev('2026-11-23T10:00:00Z', 'ticket.status_changed', { from: 'open', to: 'pending' }),
    ev('2026-11-23T12:00:00Z', 'ticket.status_changed', { from: 'pending', to: 'solved' }),
    ev('2026-11-24T09:00:00Z', 'ticket.status_changed', {
      from: 'solved',
      to: 'open',
      cause: 'customer_reply',
    }),
    ev('2026-11-24T10:00:00Z', 'ticket.status_changed', { from: 'open', to: 'solved' }),
  ],
});

describe('deriveTicketSamples: a reopened ticket', () => {
  it('measures first reply time from the handoff and again from the reopen', () => {
    // Not 24.5 h from the original creation: the reopen starts a new measurement.
    expect(values(reopened, 'first_reply_time')).toEqual([H, 30 * MIN]);
  });

  it('counts the reopen, credited to the assignee on the day it happened', () => {
    expect(of(reopened, 'reopens')).toEqual([
      expect.objectContaining({ agentId: 'Y', at: t('2026-11-24T09:00:00Z'), value: 1 }),
    ]);
  });

  it('gives one resolution, requester wait and agent wait sample per cycle', () => {
    expect(values(reopened, 'resolution_time')).toEqual([3 * H, H]);
    // Cycle 1: New 10 min + Open 50 min; Pending 2 h. Cycle 2: Open 1 h.
    expect(values(reopened, 'requester_wait_time')).toEqual([H, H]);
    expect(values(reopened, 'agent_wait_time')).toEqual([2 * H, 0]);
  });

  it('counts handle time while assigned and Open, not while Pending', () => {
    expect(values(reopened, 'handle_time')).toEqual([50 * MIN, H]);
  });

  it('is not a one-touch resolution once reopened', () => {
    expect(values(reopened, 'one_touch_resolution')).toEqual([0]);
  });
});

describe('deriveTicketSamples: other outcomes', () => {
  it('counts a reply sent together with the solve as the first reply', () => {
    const samples = deriveTicketSamples({
      ticketId: 'F',
      channel: 'email',
      messages: [msg('2026-11-23T10:20:00Z', 'user', 'X')],
      events: [
        ev('2026-11-23T10:00:00Z', 'ticket.created', { status: 'new', groupId: null }),
        ev('2026-11-23T10:20:00Z', 'ticket.status_changed', { from: 'new', to: 'solved' }),
      ],
    });
    expect(values(samples, 'first_reply_time')).toEqual([20 * MIN]);
    expect(values(samples, 'one_touch_resolution')).toEqual([100]);
  });

  it('counts a chat the customer left before any agent replied as abandoned', () => {
    const samples = deriveTicketSamples({
      ticketId: 'C',
      channel: 'messaging',
      messages: [msg('2026-11-23T10:00:00Z', 'end_user'), msg('2026-11-23T10:00:10Z', 'bot')],
      events: [
        ev('2026-11-23T10:01:00Z', 'ticket.created', { status: 'new', groupId: 'G' }),
        ev('2026-11-23T10:01:00Z', 'routing.queued', { groupId: 'G' }),
        ev('2026-11-23T10:04:00Z', 'session.ended', { reason: 'customer_left' }),
      ],
    });
    expect(of(samples, 'abandoned')).toEqual([
      expect.objectContaining({ agentId: null, groupId: 'G', value: 1 }),
    ]);
    expect(of(samples, 'first_reply_time')).toEqual([]);
    expect(of(samples, 'queue_wait_time')).toEqual([]);
  });

  it('is a one-touch resolution with one public reply and no reopen', () => {
    const samples = deriveTicketSamples({
      ticketId: 'D',
      channel: 'email',
      messages: [msg('2026-11-23T10:30:00Z', 'user', 'X')],
      events: [
        ev('2026-11-23T10:00:00Z', 'ticket.created', { status: 'new', groupId: null }),
        ev('2026-11-23T10:00:00Z', 'ticket.assignee_changed', { from: null, to: 'X' }),
        ev('2026-11-23T10:31:00Z', 'ticket.status_changed', { from: 'new', to: 'solved' }),
      ],
    });
    expect(of(samples, 'one_touch_resolution')).toEqual([
      expect.objectContaining({ agentId: 'X', value: 100 }),
    ]);
  });
});

describe('businessValueOf', () => {
  const office = {
    timeZone: 'Europe/Berlin',
    intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
    holidays: [],
  };

  it('counts a reply over the weekend only in opening hours', () => {
    // Handoff Fri 2026-11-20 16:30 Berlin (15:30Z), reply Mon 09:30 Berlin (08:30Z): 65 h on the
    // calendar, 30 min Friday + 30 min Monday in business hours.
    const [frt] = of(
      deriveTicketSamples({
        ticketId: 'E',
        channel: 'email',
        messages: [msg('2026-11-23T08:30:00Z', 'user', 'X')],
        events: [ev('2026-11-20T15:30:00Z', 'ticket.created', { status: 'new', groupId: null })],
      }),
      'first_reply_time',
    );
    expect(frt?.value).toBe(65 * H);
    expect(frt && businessValueOf(frt, office)).toBe(H);
  });

  it('has no business value for counts, and the calendar value without a schedule', () => {
    const [reopen] = of(reopened, 'reopens');
    const [frt] = of(reopened, 'first_reply_time');
    expect(reopen && businessValueOf(reopen, office)).toBeNull();
    expect(frt && businessValueOf(frt, null)).toBe(H);
  });
});

describe('METRICS', () => {
  it('defines every metric once, with start, stop, credit and day', () => {
    expect(METRICS.map((m) => m.id).sort()).toEqual([...METRIC_IDS].sort());
    for (const m of METRICS) {
      expect(m.start && m.stop && m.creditedTo && m.countsOn && m.description).toBeTruthy();
      if (m.kind !== 'duration') expect(m.businessHours).toBe(false);
    }
  });
});
