import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/build.js';
import {
  REOPENED_BY_CUSTOMER_REPLY,
  assertTransition,
  canTransition,
} from './status-transitions.js';
import { TICKET_STATUSES, type TicketStatus } from './ticket.js';

/** The lifecycle as the product spec states it, written out independently of the core's table. */
const ALLOWED: ReadonlyArray<readonly [TicketStatus, TicketStatus]> = [
  ['new', 'open'],
  ['new', 'pending'],
  ['new', 'on_hold'],
  ['new', 'solved'],
  ['open', 'pending'],
  ['open', 'on_hold'],
  ['open', 'solved'],
  ['pending', 'open'],
  ['pending', 'on_hold'],
  ['pending', 'solved'],
  ['on_hold', 'open'],
  ['on_hold', 'pending'],
  ['on_hold', 'solved'],
  ['solved', 'open'],
  ['solved', 'pending'],
  ['solved', 'on_hold'],
  ['solved', 'closed'],
];

const isAllowed = (from: TicketStatus, to: TicketStatus): boolean =>
  ALLOWED.some(([f, t]) => f === from && t === to);

const moves = TICKET_STATUSES.flatMap((from) =>
  TICKET_STATUSES.filter((to) => to !== from).map((to) => ({ from, to })),
);
const legalMoves = moves.filter(({ from, to }) => isAllowed(from, to));
const illegalMoves = moves.filter(({ from, to }) => !isAllowed(from, to));

describe('ticket status transitions', () => {
  it.each(legalMoves)('lets a ticket move from $from to $to', ({ from, to }) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(illegalMoves)('refuses to move a ticket from $from to $to', ({ from, to }) => {
    expect(canTransition(from, to)).toBe(false);
    const error = thrown(() => assertTransition(from, to));
    expect(error.code).toBe(from === 'closed' ? 'ticket/closed' : 'ticket/illegal-transition');
    expect(error.field).toBe('status');
  });

  it.each(TICKET_STATUSES.map((status) => ({ status })))(
    'treats staying $status as no move at all',
    ({ status }) => {
      expect(canTransition(status, status)).toBe(true);
      expect(() => assertTransition(status, status)).not.toThrow();
    },
  );

  it('keeps a Closed ticket Closed for good', () => {
    for (const to of TICKET_STATUSES.filter((s) => s !== 'closed')) {
      expect(canTransition('closed', to)).toBe(false);
      expect(thrown(() => assertTransition('closed', to)).code).toBe('ticket/closed');
    }
  });

  it('never sends a ticket back to New', () => {
    for (const from of TICKET_STATUSES.filter((s) => s !== 'new')) {
      expect(canTransition(from, 'new')).toBe(false);
    }
  });

  it('closes only a Solved ticket', () => {
    const closableFrom = TICKET_STATUSES.filter(
      (from) => from !== 'closed' && canTransition(from, 'closed'),
    );
    expect(closableFrom).toEqual(['solved']);
  });

  it('lets every working status move to every other working status', () => {
    const working: TicketStatus[] = ['open', 'pending', 'on_hold', 'solved'];
    for (const from of working) {
      for (const to of working) expect(canTransition(from, to)).toBe(true);
    }
  });

  it('reopens on a customer reply only from Pending, On-hold and Solved', () => {
    expect([...REOPENED_BY_CUSTOMER_REPLY].sort()).toEqual(['on_hold', 'pending', 'solved']);
    for (const status of REOPENED_BY_CUSTOMER_REPLY)
      expect(canTransition(status, 'open')).toBe(true);
  });
});
