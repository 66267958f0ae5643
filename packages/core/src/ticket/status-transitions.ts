import { DomainError } from '../errors.js';
import type { TicketStatus } from './ticket.js';

/**
 * The legal moves between ticket statuses.
 * - Nothing goes back to New: New only describes a ticket no agent has touched.
 * - Closed is final, and only a Solved ticket can be closed.
 * - Any other status can move to any other working status.
 */
const LEGAL: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'pending', 'on_hold', 'closed'],
  closed: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || LEGAL[from].includes(to);
}

export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (from === 'closed' && to !== 'closed') {
    throw new DomainError(
      'ticket/closed',
      'A closed ticket cannot change; a new message starts a new conversation',
      'status',
    );
  }
  if (!canTransition(from, to)) {
    throw new DomainError(
      'ticket/illegal-transition',
      `A ticket cannot go from ${from} to ${to}`,
      'status',
    );
  }
}

/** Statuses from which a customer's reply brings the ticket back to Open. */
export const REOPENED_BY_CUSTOMER_REPLY: readonly TicketStatus[] = ['pending', 'on_hold', 'solved'];
