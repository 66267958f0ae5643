import { DomainError } from '../errors.js';
import type { Actor } from '../identity/actor.js';
import { assertTransition } from './status-transitions.js';
import { normalizeTags } from './tags.js';
import type { Ticket, TicketPriority, TicketStatus } from './ticket.js';
import type { TicketEvent, TicketEventData } from './ticket-event.js';

export interface TicketPatch {
  readonly status?: TicketStatus;
  readonly priority?: TicketPriority;
  readonly groupId?: string | null;
  readonly assigneeId?: string | null;
  /** Replaces the whole tag list. */
  readonly tags?: readonly string[];
  readonly addTags?: readonly string[];
  readonly removeTags?: readonly string[];
  readonly subject?: string | null;
}

export interface TicketChange {
  readonly ticket: Ticket;
  readonly events: readonly TicketEvent[];
}

/**
 * Applies an update to a ticket and says what changed.
 * - A closed ticket refuses every change.
 * - Assigning a New ticket makes it Open, as an agent picking it up would expect.
 * - A Solved ticket must have an assignee (the person credited with solving it).
 * - A patch that changes nothing yields no events and keeps the version.
 */
export function updateTicket(
  ticket: Ticket,
  patch: TicketPatch,
  actor: Actor,
  at: Date,
): TicketChange {
  if (ticket.status === 'closed') {
    throw new DomainError(
      'ticket/closed',
      'A closed ticket cannot change; a new message starts a new conversation',
      firstField(patch),
    );
  }
  const data: TicketEventData[] = [];
  let next: Ticket = ticket;

  if (patch.groupId !== undefined && patch.groupId !== next.groupId) {
    data.push({ type: 'ticket.group_changed', from: next.groupId, to: patch.groupId });
    next = { ...next, groupId: patch.groupId };
  }
  if (patch.assigneeId !== undefined && patch.assigneeId !== next.assigneeId) {
    data.push({ type: 'ticket.assignee_changed', from: next.assigneeId, to: patch.assigneeId });
    next = { ...next, assigneeId: patch.assigneeId };
  }

  let status = patch.status;
  let cause: 'assignment' | undefined;
  // A patch that restates New (a whole form sent back, say) still counts as picking the ticket up.
  if (
    (status === undefined || status === 'new') &&
    next.status === 'new' &&
    next.assigneeId !== null &&
    next.assigneeId !== ticket.assigneeId
  ) {
    status = 'open';
    cause = 'assignment';
  }
  if (status !== undefined && status !== next.status) {
    assertTransition(next.status, status);
    if ((status === 'solved' || status === 'closed') && next.assigneeId === null) {
      throw new DomainError(
        'ticket/assignee-required',
        `A ticket needs an assignee before it can be ${status}`,
        'assigneeId',
      );
    }
    data.push(
      cause
        ? { type: 'ticket.status_changed', from: next.status, to: status, cause }
        : { type: 'ticket.status_changed', from: next.status, to: status },
    );
    next = {
      ...next,
      status,
      solvedAt: status === 'solved' ? at : status === 'closed' ? next.solvedAt : null,
      closedAt: status === 'closed' ? at : null,
    };
  } else if (next.status === 'solved' && next.assigneeId === null) {
    throw new DomainError(
      'ticket/assignee-required',
      'A solved ticket must keep an assignee',
      'assigneeId',
    );
  }

  if (patch.priority !== undefined && patch.priority !== next.priority) {
    data.push({ type: 'ticket.priority_changed', from: next.priority, to: patch.priority });
    next = { ...next, priority: patch.priority };
  }

  const tags = nextTags(next.tags, patch);
  const added = tags.filter((t) => !next.tags.includes(t));
  const removed = next.tags.filter((t) => !tags.includes(t));
  if (added.length > 0 || removed.length > 0) {
    data.push({ type: 'ticket.tags_changed', added, removed });
    next = { ...next, tags };
  }

  if (patch.subject !== undefined) {
    const subject = patch.subject === null ? null : patch.subject.trim() || null;
    if (subject !== null && subject.length > 250) {
      throw new DomainError('validation/invalid', 'A subject is at most 250 characters', 'subject');
    }
    if (subject !== next.subject) {
      data.push({ type: 'ticket.subject_changed', from: next.subject, to: subject });
      next = { ...next, subject };
    }
  }

  if (data.length === 0) return { ticket, events: [] };
  return {
    ticket: { ...next, updatedAt: at, version: ticket.version + 1 },
    events: data.map((d) => ({ ...d, actor, at })),
  };
}

function nextTags(current: readonly string[], patch: TicketPatch): string[] {
  let tags = patch.tags !== undefined ? normalizeTags(patch.tags) : [...current];
  if (patch.addTags) tags = normalizeTags([...tags, ...patch.addTags], 'addTags');
  if (patch.removeTags) {
    const remove = normalizeTags(patch.removeTags, 'removeTags');
    tags = tags.filter((t) => !remove.includes(t));
  }
  return tags;
}

function firstField(patch: TicketPatch): string | undefined {
  return Object.keys(patch)[0];
}
