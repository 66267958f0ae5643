import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { TestSocket } from '../testing/ws-client.js';

describe.each(availableStorageKinds())('one conversation end to end on %s', (kind) => {
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let agentToken: string;
  let agentId: string;
  let supportId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { listen: true });
    api = apiClient(t.server.app);
    agentToken = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    agentId = (await api.call('GET', '/api/me', { token: agentToken })).body.id;
    supportId = (await api.call('GET', '/api/groups', { token: agentToken })).body.find(
      (g: { name: string }) => g.name === 'Support',
    ).id;
  });
  afterAll(async () => t.close());

  async function startChat(text = 'Hello, my order is late') {
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: text, clientMessageId: 'c1' },
    });
    expect(started.status).toBe(201);
    return { visitor, conversationId: started.body.conversation.id as string };
  }

  it('delivers an agent reply to the customer live, after handoff and self-assignment', async () => {
    const { visitor, conversationId } = await startChat();
    const handoff = await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: { groupId: supportId },
    });
    expect(handoff.status).toBe(201);
    expect(handoff.body.status).toBe('new');
    const ticketId = handoff.body.id as string;

    const queue = await api.call('GET', `/api/tickets?status=new&groupId=${supportId}`, {
      token: agentToken,
    });
    expect(queue.body.items.map((x: { id: string }) => x.id)).toContain(ticketId);

    const customer = await TestSocket.open(t.url, visitor.token);
    await customer.request({ type: 'subscribe', conversationId, afterSeq: 0 });
    const assigned = await api.call('PATCH', `/api/tickets/${ticketId}`, {
      token: agentToken,
      body: { assigneeId: agentId },
    });
    expect(assigned.body.status).toBe('open');

    const agent = await TestSocket.open(t.url, agentToken);
    const subscribed = await agent.request({ type: 'subscribe', conversationId, afterSeq: 0 });
    expect(subscribed.type).toBe('subscribed');
    expect(
      agent
        .events(conversationId)
        .some(
          (e) =>
            e.event.type === 'message.created' &&
            e.event.message.body === 'Hello, my order is late',
        ),
    ).toBe(true);

    const ack = await agent.request({
      type: 'message.send',
      conversationId,
      clientMessageId: 'a1',
      body: 'Sorry! Let me check.',
    });
    expect(ack).toMatchObject({ type: 'ack', duplicate: false });
    const live = await customer.next(
      (f) =>
        f.type === 'event' &&
        f.entry.event.type === 'message.created' &&
        f.entry.event.message.body === 'Sorry! Let me check.',
    );
    expect(live.type).toBe('event');
    await Promise.all([customer.close(), agent.close()]);
  });

  it('gives a reconnecting customer exactly the events they missed, in order', async () => {
    const { visitor, conversationId } = await startChat('first');
    const customer = await TestSocket.open(t.url, visitor.token);
    await customer.request({ type: 'subscribe', conversationId, afterSeq: 0 });
    const seen = customer.events(conversationId);
    const lastSeq = seen.at(-1)!.seq;
    await customer.close();

    for (const body of ['second', 'third']) {
      await api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: visitor.token,
        body: { body },
      });
    }
    await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: agentToken,
      body: { body: 'staff only', kind: 'internal' },
    });
    await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: agentToken,
      body: { body: 'fourth' },
    });

    const again = await TestSocket.open(t.url, visitor.token);
    await again.request({ type: 'subscribe', conversationId, afterSeq: lastSeq });
    const missed = again.events(conversationId);
    expect(
      missed.map((e) => (e.event.type === 'message.created' ? e.event.message.body : e.event.type)),
    ).toEqual(['second', 'third', 'fourth']);
    const seqs = missed.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    await again.close();
  });

  it('acknowledges a resent message again and stores it once', async () => {
    const { visitor, conversationId } = await startChat('once');
    const customer = await TestSocket.open(t.url, visitor.token);
    const first = await customer.request({
      type: 'message.send',
      conversationId,
      clientMessageId: 'dup-1',
      body: 'only once please',
    });
    const second = await customer.request({
      type: 'message.send',
      conversationId,
      clientMessageId: 'dup-1',
      body: 'only once please',
    });
    expect(first).toMatchObject({ type: 'ack', duplicate: false });
    expect(second).toMatchObject({ type: 'ack', duplicate: true });
    if (first.type !== 'ack' || second.type !== 'ack') throw new Error('expected acks');
    expect(second.messageId).toBe(first.messageId);
    const feed = await api.call('GET', `/api/conversations/${conversationId}/events?after=0`, {
      token: visitor.token,
    });
    expect(feed.status, JSON.stringify(feed.body)).toBe(200);
    expect(
      feed.body.filter(
        (e: { event: { type: string; message?: { body: string } } }) =>
          e.event.message?.body === 'only once please',
      ),
    ).toHaveLength(1);
    await customer.close();
  });

  it('hides internal notes from the customer, live and on resume', async () => {
    const { visitor, conversationId } = await startChat('secret test');
    const customer = await TestSocket.open(t.url, visitor.token);
    await customer.request({ type: 'subscribe', conversationId, afterSeq: 0 });
    await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: agentToken,
      body: { body: 'VIP, be nice', kind: 'internal' },
    });
    await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: agentToken,
      body: { body: 'Hi there' },
    });
    await customer.next(
      (f) =>
        f.type === 'event' &&
        f.entry.event.type === 'message.created' &&
        f.entry.event.message.body === 'Hi there',
    );
    expect(JSON.stringify(customer.frames)).not.toContain('VIP, be nice');
    const feed = await api.call('GET', `/api/conversations/${conversationId}/events?after=0`, {
      token: visitor.token,
    });
    expect(JSON.stringify(feed.body)).not.toContain('VIP, be nice');
    await customer.close();
  });

  it("refuses another customer's conversation as if it did not exist", async () => {
    const { conversationId } = await startChat('mine');
    const stranger = await api.visitor();
    const r = await api.call('GET', `/api/conversations/${conversationId}`, {
      token: stranger.token,
    });
    expect(r.status).toBe(404);
    const socket = await TestSocket.open(t.url, stranger.token);
    const reply = await socket.request({ type: 'subscribe', conversationId, afterSeq: 0 });
    expect(reply).toMatchObject({ type: 'error', code: 'conversation/not-found' });
    await socket.close();
  });

  it('starts a new conversation when the customer writes after an agent ended the session', async () => {
    const { visitor, conversationId } = await startChat('before end');
    await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: { groupId: supportId },
    });
    const ended = await api.call('POST', `/api/conversations/${conversationId}/end-session`, {
      token: agentToken,
      body: { reason: 'ended_by_agent' },
    });
    expect(ended.body.session.state).toBe('ended');
    const refused = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'hello again' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('session/ended');
    const next = await api.call('POST', '/api/widget/messages', {
      token: visitor.token,
      body: { body: 'hello again' },
    });
    expect(next.status).toBe(201);
    expect(next.body.started).toBe(true);
    expect(next.body.conversationId).not.toBe(conversationId);
  });
});
