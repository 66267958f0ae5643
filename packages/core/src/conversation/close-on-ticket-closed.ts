import type { Actor } from '../identity/actor.js';
import { endSession } from '../session/end-session.js';
import type { Session } from '../session/session.js';
import type { TicketEvent } from '../ticket/ticket-event.js';
import type { Ticket } from '../ticket/ticket.js';
import type { Conversation } from './conversation.js';

export interface ClosureEffects {
  readonly conversation: Conversation;
  readonly session: Session | null;
  readonly events: readonly TicketEvent[];
}

/**
 * A conversation lives until its ticket is Closed. Closing the ticket ends an active session
 * (reason: ticket closed) and closes the conversation; any other ticket change leaves both alone.
 */
export function closeOnTicketClosed(
  conversation: Conversation,
  session: Session | null,
  ticket: Ticket,
  actor: Actor,
  at: Date,
): ClosureEffects {
  if (ticket.status !== 'closed' || conversation.state === 'closed') {
    return { conversation, session, events: [] };
  }
  const closed: Conversation = { ...conversation, state: 'closed', closedAt: at };
  if (session === null || session.state === 'ended')
    return { conversation: closed, session, events: [] };
  const ended = endSession(session, 'ticket_closed', actor, at);
  return {
    conversation: closed,
    session: ended,
    events: [{ type: 'session.ended', sessionId: session.id, reason: 'ticket_closed', actor, at }],
  };
}
