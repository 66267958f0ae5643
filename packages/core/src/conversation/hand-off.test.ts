import { describe, expect, it } from 'vitest';
import {
  AT,
  BOT,
  buildConversation,
  buildState,
  buildTicket,
  endedSession,
  thrown,
} from '../testing/build.js';
import { handOff } from './hand-off.js';

describe('handOff', () => {
  it("creates the conversation's ticket, New, for the conversation's customer and channel", () => {
    const { ticket } = handOff(buildState(), { ticketId: 'ticket-7' }, BOT, AT);
    expect(ticket).toMatchObject({
      id: 'ticket-7',
      conversationId: 'conversation-1',
      requesterId: 'end-user-1',
      channel: 'messaging',
      status: 'new',
      assigneeId: null,
    });
  });

  it('links the conversation to its new ticket and keeps it open', () => {
    const { conversation } = handOff(buildState(), { ticketId: 'ticket-7' }, BOT, AT);
    expect(conversation).toMatchObject({ ticketId: 'ticket-7', state: 'open' });
  });

  it('puts the ticket in the chosen group with the chosen priority, tags and subject', () => {
    const { ticket } = handOff(
      buildState(),
      {
        ticketId: 'ticket-7',
        groupId: 'group-billing',
        priority: 'high',
        tags: ['Refund'],
        subject: ' Card declined ',
      },
      BOT,
      AT,
    );
    expect(ticket).toMatchObject({
      groupId: 'group-billing',
      priority: 'high',
      tags: ['refund'],
      subject: 'Card declined',
    });
  });

  it('defaults to no group, normal priority, no tags and no subject', () => {
    const { ticket } = handOff(buildState(), { ticketId: 'ticket-7' }, BOT, AT);
    expect(ticket).toMatchObject({ groupId: null, priority: 'normal', tags: [], subject: null });
  });

  it('records the ticket creation with who handed off and when', () => {
    const { events } = handOff(buildState(), { ticketId: 'ticket-7' }, BOT, AT);
    expect(events).toEqual([
      {
        type: 'ticket.created',
        status: 'new',
        channel: 'messaging',
        groupId: null,
        priority: 'normal',
        actor: BOT,
        at: AT,
      },
    ]);
  });

  it('hands a conversation off only once', () => {
    const state = buildState({ ticket: buildTicket({ id: 'ticket-1' }) });
    const error = thrown(() => handOff(state, { ticketId: 'ticket-2' }, BOT, AT));
    expect(error.code).toBe('ticket/already-exists');
    expect(error.field).toBe('conversationId');
  });

  it('refuses to hand off a messaging conversation whose session has ended', () => {
    expect(
      thrown(() =>
        handOff(buildState({ session: endedSession() }), { ticketId: 'ticket-7' }, BOT, AT),
      ).code,
    ).toBe('session/ended');
  });

  it('refuses to hand off a messaging conversation without a session', () => {
    expect(
      thrown(() => handOff(buildState({ session: null }), { ticketId: 'ticket-7' }, BOT, AT)).code,
    ).toBe('session/ended');
  });

  it('hands off an email or API conversation without any session', () => {
    for (const channel of ['email', 'api'] as const) {
      const state = buildState({ conversation: buildConversation({ channel }), session: null });
      expect(handOff(state, { ticketId: 'ticket-7' }, BOT, AT).ticket.channel).toBe(channel);
    }
  });

  it('refuses to hand off a closed conversation', () => {
    const state = buildState({
      conversation: buildConversation({ state: 'closed', closedAt: AT }),
    });
    expect(thrown(() => handOff(state, { ticketId: 'ticket-7' }, BOT, AT)).code).toBe(
      'conversation/closed',
    );
  });
});
