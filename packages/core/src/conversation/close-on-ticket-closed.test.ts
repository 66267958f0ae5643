import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../ticket/ticket.js';
import {
  AT,
  LATER,
  SYSTEM,
  buildConversation,
  buildSession,
  buildTicket,
  endedSession,
} from '../testing/build.js';
import { closeOnTicketClosed } from './close-on-ticket-closed.js';

const conversation = buildConversation({ ticketId: 'ticket-1' });
const closedTicket = buildTicket({
  status: 'closed',
  assigneeId: 'agent-1',
  solvedAt: AT,
  closedAt: LATER,
});

describe('closeOnTicketClosed', () => {
  it('closes the conversation when its ticket is Closed', () => {
    const effects = closeOnTicketClosed(conversation, null, closedTicket, SYSTEM, LATER);
    expect(effects.conversation).toMatchObject({ state: 'closed', closedAt: LATER });
  });

  it('ends an active session because the ticket closed', () => {
    const effects = closeOnTicketClosed(conversation, buildSession(), closedTicket, SYSTEM, LATER);
    expect(effects.session).toMatchObject({
      state: 'ended',
      endReason: 'ticket_closed',
      endedAt: LATER,
    });
    expect(effects.events).toEqual([
      {
        type: 'session.ended',
        sessionId: 'session-1',
        reason: 'ticket_closed',
        actor: SYSTEM,
        at: LATER,
      },
    ]);
  });

  it('leaves an already ended session as it was, with no event', () => {
    const session = endedSession({ endReason: 'ended_by_agent', endedAt: AT });
    const effects = closeOnTicketClosed(conversation, session, closedTicket, SYSTEM, LATER);
    expect(effects.session).toBe(session);
    expect(effects.events).toEqual([]);
    expect(effects.conversation.state).toBe('closed');
  });

  it('records no event for a conversation without a session', () => {
    expect(closeOnTicketClosed(conversation, null, closedTicket, SYSTEM, LATER).events).toEqual([]);
  });

  it.each(
    (['new', 'open', 'pending', 'on_hold', 'solved'] as TicketStatus[]).map((status) => ({
      status,
    })),
  )('leaves conversation and session alone when the ticket is only $status', ({ status }) => {
    const session = buildSession();
    const ticket = buildTicket({ status, assigneeId: 'agent-1' });
    const effects = closeOnTicketClosed(conversation, session, ticket, SYSTEM, LATER);
    expect(effects).toEqual({ conversation, session, events: [] });
  });

  it('does nothing to a conversation that is already closed', () => {
    const closed = buildConversation({ ticketId: 'ticket-1', state: 'closed', closedAt: AT });
    const session = endedSession();
    const effects = closeOnTicketClosed(closed, session, closedTicket, SYSTEM, LATER);
    expect(effects.conversation).toBe(closed);
    expect(effects.session).toBe(session);
    expect(effects.events).toEqual([]);
  });
});
