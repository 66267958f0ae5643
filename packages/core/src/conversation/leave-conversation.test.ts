import { describe, expect, it } from 'vitest';
import {
  AT,
  LATER,
  buildConversation,
  buildState,
  buildTicket,
  customer,
  endedSession,
  staff,
  thrown,
} from '../testing/build.js';
import { endConversationSession } from './leave-conversation.js';

const AGENT = staff('agent-1');
const pending = buildTicket({ status: 'pending', assigneeId: 'agent-1' });

describe('endConversationSession', () => {
  it('ends the session with the reason given', () => {
    const { session } = endConversationSession(
      buildState({ ticket: pending }),
      'ended_by_agent',
      AGENT,
      LATER,
    );
    expect(session).toMatchObject({ state: 'ended', endReason: 'ended_by_agent', endedAt: LATER });
  });

  it('does not change the ticket status when the agent ends the session', () => {
    const state = buildState({ ticket: pending });
    const ending = endConversationSession(state, 'ended_by_agent', AGENT, LATER);
    expect(ending).not.toHaveProperty('ticket');
    expect(ending.events.some((e) => e.type === 'ticket.status_changed')).toBe(false);
    expect(state.ticket?.status).toBe('pending');
  });

  it('keeps a handed-off conversation open so the ticket can continue by email', () => {
    const { conversation } = endConversationSession(
      buildState({ ticket: pending }),
      'ended_by_agent',
      AGENT,
      LATER,
    );
    expect(conversation).toMatchObject({ state: 'open', closedAt: null, ticketId: pending.id });
  });

  it('records a session ended event in the ticket history when there is a ticket', () => {
    const { events } = endConversationSession(
      buildState({ ticket: pending }),
      'ended_by_agent',
      AGENT,
      LATER,
    );
    expect(events).toEqual([
      {
        type: 'session.ended',
        sessionId: 'session-1',
        reason: 'ended_by_agent',
        actor: AGENT,
        at: LATER,
      },
    ]);
  });

  it('records that the customer left', () => {
    const { events } = endConversationSession(
      buildState({ ticket: pending }),
      'customer_left',
      customer(),
      LATER,
    );
    expect(events).toMatchObject([{ type: 'session.ended', reason: 'customer_left' }]);
  });

  it('closes the conversation when the session ends before any handoff', () => {
    const { conversation } = endConversationSession(
      buildState(),
      'customer_left',
      customer(),
      LATER,
    );
    expect(conversation).toMatchObject({ state: 'closed', closedAt: LATER, createdAt: AT });
  });

  it('records no ticket event when the session ends before any handoff', () => {
    expect(endConversationSession(buildState(), 'customer_left', customer(), LATER).events).toEqual(
      [],
    );
  });

  it('refuses a conversation without a session', () => {
    const state = buildState({
      conversation: buildConversation({ channel: 'email' }),
      session: null,
    });
    const error = thrown(() => endConversationSession(state, 'ended_by_agent', AGENT, LATER));
    expect(error.code).toBe('validation/invalid');
    expect(error.field).toBe('conversationId');
  });

  it('refuses a closed conversation', () => {
    const state = buildState({
      conversation: buildConversation({ state: 'closed', closedAt: AT }),
    });
    expect(thrown(() => endConversationSession(state, 'ended_by_agent', AGENT, LATER)).code).toBe(
      'conversation/closed',
    );
  });

  it('refuses a session that has already ended', () => {
    const state = buildState({ ticket: pending, session: endedSession() });
    expect(thrown(() => endConversationSession(state, 'ended_by_agent', AGENT, LATER)).code).toBe(
      'session/ended',
    );
  });

  it('refuses the customer ending the session as the agent', () => {
    expect(
      thrown(() =>
        endConversationSession(
          buildState({ ticket: pending }),
          'ended_by_agent',
          customer(),
          LATER,
        ),
      ).code,
    ).toBe('auth/forbidden');
  });
});
