import { describe, expect, it } from 'vitest';
import {
  AT,
  BOT,
  LATER,
  SYSTEM,
  buildConversation,
  buildState,
  buildTicket,
  customer,
  endedSession,
  staff,
  thrown,
} from '../testing/build.js';
import type { TicketStatus } from '../ticket/ticket.js';
import { decideMessage } from './decide-message.js';
import { MAX_MESSAGE_LENGTH } from './message.js';

const AGENT = staff('agent-1');
const CUSTOMER = customer('end-user-1');
const now = LATER;

const withTicket = (status: TicketStatus) =>
  buildState({
    ticket: buildTicket({
      status,
      assigneeId: status === 'new' ? null : 'agent-1',
      solvedAt: status === 'solved' || status === 'closed' ? AT : null,
      version: 4,
    }),
  });

/** A handed-off messaging conversation whose session the agent has ended. */
const afterSessionEnded = (requesterEmail: string | null) =>
  buildState({
    ticket: buildTicket({ status: 'open', assigneeId: 'agent-1' }),
    session: endedSession(),
    requesterEmail,
  });

describe('decideMessage: the body', () => {
  it('refuses an empty or blank message', () => {
    for (const body of ['', '   \n\t']) {
      const error = thrown(() =>
        decideMessage(buildState(), { kind: 'public', body }, CUSTOMER, now),
      );
      expect(error.code).toBe('message/empty');
      expect(error.field).toBe('body');
    }
  });

  it('accepts an empty message that carries attachments', () => {
    const decision = decideMessage(
      buildState(),
      { kind: 'public', body: '', attachments: 1 },
      CUSTOMER,
      now,
    );
    expect(decision.body).toBe('');
  });

  it('refuses a message longer than the maximum length', () => {
    const error = thrown(() =>
      decideMessage(
        buildState(),
        { kind: 'public', body: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) },
        CUSTOMER,
        now,
      ),
    );
    expect(error.code).toBe('message/too-long');
    expect(error.field).toBe('body');
  });

  it('accepts a message of exactly the maximum length', () => {
    const body = 'x'.repeat(MAX_MESSAGE_LENGTH);
    expect(decideMessage(buildState(), { kind: 'public', body }, CUSTOMER, now).body).toBe(body);
  });

  it('keeps the text exactly as written', () => {
    expect(
      decideMessage(buildState(), { kind: 'public', body: '  Hallo!\n' }, CUSTOMER, now).body,
    ).toBe('  Hallo!\n');
  });
});

describe('decideMessage: closed conversations and tickets', () => {
  it('refuses any message, even an internal note, on a Closed ticket', () => {
    const state = withTicket('closed');
    expect(
      thrown(() => decideMessage(state, { kind: 'public', body: 'Hi' }, CUSTOMER, now)).code,
    ).toBe('ticket/closed');
    expect(
      thrown(() => decideMessage(state, { kind: 'internal', body: 'Note' }, AGENT, now)).code,
    ).toBe('ticket/closed');
  });

  it('refuses any message, even an internal note, in a closed conversation', () => {
    const state = buildState({
      conversation: buildConversation({ state: 'closed', closedAt: AT }),
      session: endedSession(),
    });
    expect(
      thrown(() => decideMessage(state, { kind: 'public', body: 'Hi' }, CUSTOMER, now)).code,
    ).toBe('conversation/closed');
    expect(
      thrown(() => decideMessage(state, { kind: 'internal', body: 'Note' }, AGENT, now)).code,
    ).toBe('conversation/closed');
  });
});

describe('decideMessage: customers and the bot', () => {
  it("takes a customer message on the conversation's own channel by default", () => {
    const decision = decideMessage(buildState(), { kind: 'public', body: 'Hi' }, CUSTOMER, now);
    expect(decision).toEqual({
      kind: 'public',
      channel: 'messaging',
      body: 'Hi',
      ticketChange: null,
    });
  });

  it('refuses internal notes from the customer', () => {
    const error = thrown(() =>
      decideMessage(buildState(), { kind: 'internal', body: 'Hi' }, CUSTOMER, now),
    );
    expect(error.code).toBe('message/forbidden-kind');
    expect(error.field).toBe('kind');
  });

  it('refuses internal notes from the bot', () => {
    expect(
      thrown(() => decideMessage(buildState(), { kind: 'internal', body: 'Hi' }, BOT, now)).code,
    ).toBe('message/forbidden-kind');
  });

  it("refuses a customer message on a channel other than the conversation's", () => {
    const error = thrown(() =>
      decideMessage(buildState(), { kind: 'public', channel: 'email', body: 'Hi' }, CUSTOMER, now),
    );
    expect(error.code).toBe('validation/invalid');
    expect(error.field).toBe('channel');
  });

  it('refuses a customer chat message once the session has ended, as it starts a new conversation', () => {
    const error = thrown(() =>
      decideMessage(
        afterSessionEnded('kunde@example.com'),
        { kind: 'public', body: 'Noch da?' },
        CUSTOMER,
        now,
      ),
    );
    expect(error.code).toBe('session/ended');
  });

  it('refuses a bot message once the session has ended', () => {
    expect(
      thrown(() => decideMessage(afterSessionEnded(null), { kind: 'public', body: 'Hi' }, BOT, now))
        .code,
    ).toBe('session/ended');
  });

  it("threads a customer's email reply into the ticket of a chat whose session has ended", () => {
    const decision = decideMessage(
      { ...afterSessionEnded('kunde@example.com'), ticket: buildTicket({ status: 'solved' }) },
      { kind: 'public', channel: 'email', body: 'Danke, noch eine Frage' },
      CUSTOMER,
      now,
    );
    expect(decision.channel).toBe('email');
    expect(decision.ticketChange?.ticket.status).toBe('open');
  });

  it('takes a customer email in an email conversation without any session', () => {
    const state = buildState({
      conversation: buildConversation({ channel: 'email' }),
      session: null,
    });
    expect(decideMessage(state, { kind: 'public', body: 'Hi' }, CUSTOMER, now).channel).toBe(
      'email',
    );
  });

  it.each((['pending', 'on_hold', 'solved'] as const).map((status) => ({ status })))(
    'reopens a $status ticket when the customer replies',
    ({ status }) => {
      const change = decideMessage(
        withTicket(status),
        { kind: 'public', body: 'Still broken' },
        CUSTOMER,
        now,
      ).ticketChange;
      expect(change?.ticket).toMatchObject({
        status: 'open',
        solvedAt: null,
        updatedAt: now,
        version: 5,
        assigneeId: 'agent-1',
      });
      expect(change?.events).toEqual([
        {
          type: 'ticket.status_changed',
          from: status,
          to: 'open',
          cause: 'customer_reply',
          actor: CUSTOMER,
          at: now,
        },
      ]);
    },
  );

  it.each((['new', 'open'] as const).map((status) => ({ status })))(
    'leaves a $status ticket as it is when the customer replies',
    ({ status }) => {
      expect(
        decideMessage(withTicket(status), { kind: 'public', body: 'Hello?' }, CUSTOMER, now)
          .ticketChange,
      ).toBeNull();
    },
  );

  it('never reopens a ticket on a bot message', () => {
    expect(
      decideMessage(withTicket('solved'), { kind: 'public', body: 'Anything else?' }, BOT, now)
        .ticketChange,
    ).toBeNull();
  });

  it('changes no ticket for a customer message before handoff', () => {
    expect(
      decideMessage(buildState(), { kind: 'public', body: 'Hi bot' }, CUSTOMER, now).ticketChange,
    ).toBeNull();
  });
});

describe('decideMessage: staff', () => {
  it('lets an agent reply in the chat while the session is active', () => {
    const decision = decideMessage(
      withTicket('open'),
      { kind: 'public', body: 'On it' },
      AGENT,
      now,
    );
    expect(decision).toEqual({
      kind: 'public',
      channel: 'messaging',
      body: 'On it',
      ticketChange: null,
    });
  });

  it('opens a New ticket when an agent replies publicly', () => {
    const change = decideMessage(
      withTicket('new'),
      { kind: 'public', body: 'Hello, I am Ana' },
      AGENT,
      now,
    ).ticketChange;
    expect(change?.ticket).toMatchObject({ status: 'open', updatedAt: now, version: 5 });
    expect(change?.events).toEqual([
      {
        type: 'ticket.status_changed',
        from: 'new',
        to: 'open',
        cause: 'agent_reply',
        actor: AGENT,
        at: now,
      },
    ]);
  });

  it('leaves a New ticket New when an agent only writes an internal note', () => {
    expect(
      decideMessage(withTicket('new'), { kind: 'internal', body: 'Looking' }, AGENT, now)
        .ticketChange,
    ).toBeNull();
  });

  it('leaves a New ticket New when an automated public reply is sent', () => {
    expect(
      decideMessage(withTicket('new'), { kind: 'public', body: 'We got your request' }, SYSTEM, now)
        .ticketChange,
    ).toBeNull();
  });

  it.each((['open', 'pending', 'on_hold', 'solved'] as const).map((status) => ({ status })))(
    'leaves a $status ticket as it is when an agent replies',
    ({ status }) => {
      expect(
        decideMessage(withTicket(status), { kind: 'public', body: 'Update' }, AGENT, now)
          .ticketChange,
      ).toBeNull();
    },
  );

  it('refuses an agent chat reply once the session has ended', () => {
    const error = thrown(() =>
      decideMessage(
        afterSessionEnded('kunde@example.com'),
        { kind: 'public', body: 'Hi' },
        AGENT,
        now,
      ),
    );
    expect(error.code).toBe('session/ended');
    expect(error.field).toBe('channel');
  });

  it("lets staff reply by email after the session ended when the requester's email is known", () => {
    const decision = decideMessage(
      afterSessionEnded('kunde@example.com'),
      { kind: 'public', channel: 'email', body: 'Follow-up' },
      AGENT,
      now,
    );
    expect(decision).toMatchObject({ kind: 'public', channel: 'email', ticketChange: null });
  });

  it("refuses an email reply when the requester's email is unknown", () => {
    const error = thrown(() =>
      decideMessage(
        afterSessionEnded(null),
        { kind: 'public', channel: 'email', body: 'Follow-up' },
        AGENT,
        now,
      ),
    );
    expect(error.code).toBe('requester/no-email');
    expect(error.field).toBe('channel');
  });

  it('keeps internal notes working after the session ended, email known or not', () => {
    for (const email of [null, 'kunde@example.com']) {
      const decision = decideMessage(
        afterSessionEnded(email),
        { kind: 'internal', body: 'Customer gone' },
        AGENT,
        now,
      );
      expect(decision).toMatchObject({ kind: 'internal', ticketChange: null });
    }
  });

  it('takes API replies only in API conversations', () => {
    const api = buildState({ conversation: buildConversation({ channel: 'api' }), session: null });
    expect(decideMessage(api, { kind: 'public', body: 'Hi' }, AGENT, now).channel).toBe('api');
    const error = thrown(() =>
      decideMessage(withTicket('open'), { kind: 'public', channel: 'api', body: 'Hi' }, AGENT, now),
    );
    expect(error.code).toBe('validation/invalid');
    expect(error.field).toBe('channel');
  });
});
