import type { Conversation, FeedEntry, Ticket, TicketEvent } from '@parlour/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const JWT_SECRET = 'conversation-tests-shared-secret-0123456789';

describe.each(availableStorageKinds())('ending messaging sessions over HTTP on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let adminToken: string;
  let agent: { token: string; id: string };
  let supportId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
    adminToken = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const token = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    agent = { token, id: (await api.call('GET', '/api/me', { token })).body.id as string };
    supportId = (
      await api.call<{ id: string; name: string }[]>('GET', '/api/groups', { token })
    ).body.find((g) => g.name === 'Support')!.id;
    const settings = await api.call('PATCH', '/api/settings', {
      token: adminToken,
      body: { endUserJwtSecret: JWT_SECRET },
    });
    expect(settings.status).toBe(200);
  });
  afterAll(async () => t.close());

  async function verifiedVisitor(externalId: string, email: string) {
    const now = Math.floor(clock.now().getTime() / 1000);
    const jwt = await new SignJWT({ external_id: externalId, email, name: 'Vera Verified' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const r = await api.call('POST', '/api/widget/session', { body: { jwt } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return { token: r.body.token as string, endUserId: r.body.endUser.id as string };
  }

  /** A customer chats; unless told otherwise the chat is handed off and the agent picks it up. */
  async function chat(
    options: { handOff?: boolean; visitor?: { token: string; endUserId: string } } = {},
  ) {
    clock.advance(1_000);
    const visitor = options.visitor ?? (await api.visitor());
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hi, where is my parcel?' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    if (options.handOff === false) return { visitor, conversationId, ticketId: null };
    const ticket = await api.call<Ticket>('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: { groupId: supportId },
    });
    expect(ticket.status).toBe(201);
    const assigned = await api.call('PATCH', `/api/tickets/${ticket.body.id}`, {
      token: agent.token,
      body: { assigneeId: agent.id },
    });
    expect(assigned.status).toBe(200);
    return { visitor, conversationId, ticketId: ticket.body.id };
  }

  const endSession = (
    conversationId: string,
    token: string,
    reason: 'ended_by_agent' | 'customer_left',
  ) =>
    api.call<Conversation>('POST', `/api/conversations/${conversationId}/end-session`, {
      token,
      body: { reason },
    });
  const post = (conversationId: string, token: string, body: Record<string, unknown>) =>
    api.call('POST', `/api/conversations/${conversationId}/messages`, { token, body });
  const ticketOf = async (ticketId: string) =>
    (await api.call<Ticket>('GET', `/api/tickets/${ticketId}`, { token: agent.token })).body;
  const historyOf = async (ticketId: string) =>
    (
      await api.call<TicketEvent[]>('GET', `/api/tickets/${ticketId}/events`, {
        token: agent.token,
      })
    ).body;
  const feedOf = async (conversationId: string, token: string) =>
    (
      await api.call<FeedEntry[]>('GET', `/api/conversations/${conversationId}/events?after=0`, {
        token,
      })
    ).body;

  describe('when an agent ends the session', () => {
    it('ends the session but leaves the ticket status as it was', async () => {
      const { conversationId, ticketId } = await chat();
      await api.call('PATCH', `/api/tickets/${ticketId!}`, {
        token: agent.token,
        body: { status: 'pending' },
      });
      const ended = await endSession(conversationId, agent.token, 'ended_by_agent');
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
      expect(ended.body).toMatchObject({
        state: 'open',
        ticketId,
        session: { state: 'ended', endReason: 'ended_by_agent' },
      });
      expect(ended.body.session?.endedAt).toBe(clock.now().toISOString());
      expect((await ticketOf(ticketId!)).status).toBe('pending');
    });

    it('shows the session end in the ticket history, with the agent and the time', async () => {
      const { conversationId, ticketId } = await chat();
      const at = clock.advance(30_000).toISOString();
      await endSession(conversationId, agent.token, 'ended_by_agent');
      const history = await historyOf(ticketId!);
      expect(history).toContainEqual(
        expect.objectContaining({
          type: 'session.ended',
          actor: { type: 'user', id: agent.id },
          at,
          data: expect.objectContaining({ reason: 'ended_by_agent' }),
        }),
      );
      expect(history.some((e) => e.type === 'ticket.status_changed' && e.at === at)).toBe(false);
    });

    it("tells the customer's feed that the session ended", async () => {
      const { conversationId, visitor } = await chat();
      await endSession(conversationId, agent.token, 'ended_by_agent');
      const feed = await feedOf(conversationId, visitor.token);
      expect(feed.at(-1)?.event).toEqual({ type: 'session.ended', reason: 'ended_by_agent' });
      expect(feed.map((e) => e.event.type)).not.toContain('conversation.closed');
    });

    it("refuses the agent's messaging reply", async () => {
      const { conversationId } = await chat();
      await endSession(conversationId, agent.token, 'ended_by_agent');
      const r = await post(conversationId, agent.token, { body: 'Are you still there?' });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'session/ended', field: 'channel' });
    });

    it("refuses an email reply while the requester's email is unknown", async () => {
      const { conversationId } = await chat();
      await endSession(conversationId, agent.token, 'ended_by_agent');
      const r = await post(conversationId, agent.token, {
        body: 'Following up by email',
        channel: 'email',
      });
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'requester/no-email', field: 'channel' });
    });

    it("sends the public reply by email once the requester's email is known", async () => {
      const visitor = await verifiedVisitor('customer-email-known', 'known@customer.example');
      const { conversationId, ticketId } = await chat({ visitor });
      await endSession(conversationId, agent.token, 'ended_by_agent');
      const r = await post(conversationId, agent.token, {
        body: 'Following up by email',
        channel: 'email',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.message).toMatchObject({ kind: 'public', channel: 'email', ticketId });
      expect(await historyOf(ticketId!)).toContainEqual(
        expect.objectContaining({
          type: 'message.public_reply',
          data: expect.objectContaining({ channel: 'email', body: 'Following up by email' }),
        }),
      );
    });

    it('still takes internal notes', async () => {
      const { conversationId, ticketId } = await chat();
      await endSession(conversationId, agent.token, 'ended_by_agent');
      const r = await post(conversationId, agent.token, {
        body: 'Customer went quiet',
        kind: 'internal',
      });
      expect(r.status).toBe(201);
      expect(await historyOf(ticketId!)).toContainEqual(
        expect.objectContaining({
          type: 'message.internal_note',
          actor: { type: 'user', id: agent.id },
          data: expect.objectContaining({ body: 'Customer went quiet' }),
        }),
      );
    });

    it('starts a new conversation when the customer writes again in the widget', async () => {
      const { conversationId, visitor } = await chat();
      await endSession(conversationId, agent.token, 'ended_by_agent');
      const next = await api.call('POST', '/api/widget/messages', {
        token: visitor.token,
        body: { body: 'Hello again' },
      });
      expect(next.status).toBe(201);
      expect(next.body).toMatchObject({ started: true });
      expect(next.body.conversationId).not.toBe(conversationId);
    });

    it('refuses to end a session that has already ended', async () => {
      const { conversationId } = await chat();
      await endSession(conversationId, agent.token, 'ended_by_agent');
      const again = await endSession(conversationId, agent.token, 'ended_by_agent');
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: { code: 'session/ended' } });
    });

    it('is forbidden to agents when an admin has disallowed it', async () => {
      const { conversationId } = await chat();
      const off = await api.call('PATCH', '/api/settings', {
        token: adminToken,
        body: { agentsMayEndSessions: false },
      });
      expect(off.body.agentsMayEndSessions).toBe(false);
      try {
        const r = await endSession(conversationId, agent.token, 'ended_by_agent');
        expect(r.status).toBe(403);
        expect(r.body).toMatchObject({ error: { code: 'auth/forbidden' } });
        const conversation = await api.call<Conversation>(
          'GET',
          `/api/conversations/${conversationId}`,
          { token: agent.token },
        );
        expect(conversation.body.session?.state).toBe('active');
      } finally {
        await api.call('PATCH', '/api/settings', {
          token: adminToken,
          body: { agentsMayEndSessions: true },
        });
      }
    });
  });

  describe('when the customer leaves', () => {
    it('closes the conversation when they leave before any handoff', async () => {
      const { conversationId, visitor } = await chat({ handOff: false });
      const left = await endSession(conversationId, visitor.token, 'customer_left');
      expect(left.status, JSON.stringify(left.body)).toBe(200);
      expect(left.body).toMatchObject({
        state: 'closed',
        ticketId: null,
        session: { state: 'ended', endReason: 'customer_left' },
      });
      const feed = await feedOf(conversationId, visitor.token);
      expect(feed.map((e) => e.event.type).slice(-2)).toEqual([
        'session.ended',
        'conversation.closed',
      ]);
      const next = await api.call('POST', '/api/widget/messages', {
        token: visitor.token,
        body: { body: 'Me again' },
      });
      expect(next.body.started).toBe(true);
      expect(next.body.conversationId).not.toBe(conversationId);
    });

    it('keeps a handed-off conversation open for its ticket and records that the customer left', async () => {
      const { conversationId, visitor, ticketId } = await chat();
      const left = await endSession(conversationId, visitor.token, 'customer_left');
      expect(left.body).toMatchObject({
        state: 'open',
        session: { state: 'ended', endReason: 'customer_left' },
      });
      expect((await ticketOf(ticketId!)).status).toBe('open');
      expect(await historyOf(ticketId!)).toContainEqual(
        expect.objectContaining({
          type: 'session.ended',
          actor: { type: 'end_user', id: visitor.endUserId },
          data: expect.objectContaining({ reason: 'customer_left' }),
        }),
      );
    });

    it('does not let the customer end the session as if they were the agent', async () => {
      const { conversationId, visitor } = await chat();
      const r = await endSession(conversationId, visitor.token, 'ended_by_agent');
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ error: { code: 'auth/forbidden', field: 'reason' } });
    });

    it("cannot end another customer's session, which looks as if it did not exist", async () => {
      const { conversationId } = await chat();
      const stranger = await api.visitor();
      const r = await endSession(conversationId, stranger.token, 'customer_left');
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ error: { code: 'conversation/not-found' } });
    });
  });
});
