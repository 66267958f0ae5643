import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors.js';
import type { Actor } from '../identity/actor.js';
import { AT, LATER, buildTicket, staff } from '../testing/build.js';
import { canTransition } from './status-transitions.js';
import { TICKET_PRIORITIES, TICKET_STATUSES, type Ticket } from './ticket.js';
import type { TicketEvent } from './ticket-event.js';
import { updateTicket, type TicketPatch } from './update-ticket.js';

const ACTOR: Actor = staff('agent-1');
const TAG_POOL = ['vip', 'VIP', 'refund', 'billing', ' Billing ', 'two words'];

const assignee = fc.constantFrom<string | null>(null, 'agent-1', 'agent-2');
const tagList = fc.array(fc.constantFrom(...TAG_POOL), { maxLength: 4 });

/** Any ticket the core can hold: a New ticket is unassigned, a Solved or Closed one assigned. */
const startTicket: fc.Arbitrary<Ticket> = fc
  .record({
    status: fc.constantFrom(...TICKET_STATUSES),
    assigneeId: assignee,
    tags: fc.uniqueArray(fc.constantFrom('vip', 'refund', 'billing')),
  })
  .map(({ status, assigneeId, tags }) =>
    buildTicket({
      status,
      assigneeId:
        status === 'new'
          ? null
          : status === 'solved' || status === 'closed'
            ? (assigneeId ?? 'agent-1')
            : assigneeId,
      tags,
      solvedAt: status === 'solved' || status === 'closed' ? AT : null,
      closedAt: status === 'closed' ? AT : null,
    }),
  );

const patch: fc.Arbitrary<TicketPatch> = fc.record(
  {
    status: fc.constantFrom(...TICKET_STATUSES),
    priority: fc.constantFrom(...TICKET_PRIORITIES),
    groupId: fc.constantFrom<string | null>(null, 'group-1', 'group-2'),
    assigneeId: assignee,
    tags: tagList,
    addTags: tagList,
    removeTags: tagList,
    subject: fc.constantFrom<string | null>(null, '', 'Refund', ' Refund ', 'Other'),
  },
  { requiredKeys: [] },
);

interface Step {
  readonly before: Ticket;
  readonly patch: TicketPatch;
  readonly result:
    | { readonly ticket: Ticket; readonly events: readonly TicketEvent[] }
    | { readonly code: string };
}

/** Applies the patches in turn; a refused patch leaves the ticket as it was, as storage would. */
function run(start: Ticket, patches: readonly TicketPatch[]): Step[] {
  const steps: Step[] = [];
  let ticket = start;
  for (const p of patches) {
    try {
      const change = updateTicket(ticket, p, ACTOR, LATER);
      steps.push({ before: ticket, patch: p, result: change });
      ticket = change.ticket;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      steps.push({ before: ticket, patch: p, result: { code: error.code } });
    }
  }
  return steps;
}

function checkEverySequence(check: (step: Step) => void): void {
  fc.assert(
    fc.property(startTicket, fc.array(patch, { maxLength: 12 }), (start, patches) => {
      for (const step of run(start, patches)) check(step);
    }),
    { numRuns: 500 },
  );
}

describe('updateTicket over random sequences of patches', () => {
  it('never makes a status move the transition table forbids', () => {
    checkEverySequence(({ before, result }) => {
      if (!('ticket' in result)) return;
      const moves = result.events.filter((e) => e.type === 'ticket.status_changed');
      expect(moves.length).toBeLessThanOrEqual(1);
      const move = moves[0];
      if (move === undefined) {
        expect(result.ticket.status).toBe(before.status);
        return;
      }
      expect(move.from).toBe(before.status);
      expect(move.to).toBe(result.ticket.status);
      expect(move.from).not.toBe(move.to);
      expect(canTransition(move.from, move.to)).toBe(true);
      expect(move.to).not.toBe('new');
      if (move.to === 'closed') expect(move.from).toBe('solved');
    });
  });

  it('never changes a Closed ticket', () => {
    checkEverySequence(({ before, result }) => {
      if (before.status !== 'closed') return;
      expect(result).toEqual({ code: 'ticket/closed' });
    });
  });

  it('never leaves a Solved ticket without an assignee', () => {
    checkEverySequence(({ result }) => {
      if ('ticket' in result && result.ticket.status === 'solved')
        expect(result.ticket.assigneeId).not.toBeNull();
    });
  });

  it('never leaves an assigned ticket New', () => {
    checkEverySequence(({ result }) => {
      if ('ticket' in result && result.ticket.status === 'new')
        expect(result.ticket.assigneeId).toBeNull();
    });
  });

  it('bumps the version exactly when it records a change', () => {
    checkEverySequence(({ before, result }) => {
      if (!('ticket' in result)) return;
      if (result.events.length === 0) expect(result.ticket).toBe(before);
      else expect(result.ticket.version).toBe(before.version + 1);
    });
  });
});
