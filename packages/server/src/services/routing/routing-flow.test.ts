import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { TestSocket } from '../../testing/ws-client.js';

describe.each(availableStorageKinds())('routing offers on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let alex: { token: string; id: string };
  let sam: { token: string; id: string };
  let supportId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { listen: true, clock });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const login = async (i: 0 | 1) => {
      const token = await api.login(
        DEMO_ACCOUNTS.agents[i].email,
        DEMO_ACCOUNTS.agents[i].password,
      );
      return { token, id: (await api.call('GET', '/api/me', { token })).body.id as string };
    };
    alex = await login(0);
    sam = await login(1);
    supportId = (await api.call('GET', '/api/groups', { token: admin })).body.find(
      (g: { name: string }) => g.name === 'Support',
    ).id;
    await api.call('PATCH', `/api/groups/${supportId}/routing`, {
      token: admin,
      body: { offerTimeoutS: 30 },
    });
  });
  afterAll(async () => t.close());

  async function handoff(name = 'Hello') {
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: name },
    });
    const conversationId = started.body.conversation.id as string;
    const ticket = await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: { groupId: supportId },
    });
    expect(ticket.status).toBe(201);
    return { visitor, conversationId, ticketId: ticket.body.id as string };
  }

  const setStatus = (token: string, status: string) =>
    api.call('PUT', '/api/agents/me/status', { token, body: { status } });
  const settle = async () => {
    await t.server.services.routing.idle();
    await t.server.services.routing.drain();
  };

  it('follows seed 004: a missed offer puts the agent in RONA, the chat returns to the queue, and the next offer is accepted', async () => {
    const agent = await TestSocket.open(t.url, alex.token);
    expect((await setStatus(alex.token, 'available')).status).toBe(200);
    const { ticketId } = await handoff('Where is my parcel?');
    await settle();
    const offer = await agent.next((f) => f.type === 'offer' && f.offer.ticketId === ticketId);
    if (offer.type !== 'offer') throw new Error('expected an offer');
    expect(offer.offer).toMatchObject({
      channel: 'messaging',
      queue: { id: supportId, name: 'Support' },
      customer: { email: null },
    });
    expect(Date.parse(offer.offer.expiresAt) - Date.parse(offer.offer.waitingSince)).toBe(30_000);

    clock.advance(31_000);
    await t.server.timers.runDue();
    await settle();
    await agent.next(
      (f) => f.type === 'offer.closed' && f.offerId === offer.offer.id && f.outcome === 'expired',
    );
    await agent.next((f) => f.type === 'agent.status' && f.status === 'rona');
    const queue = await api.call('GET', '/api/routing/queue', { token: alex.token });
    expect(queue.body.find((q: { ticketId: string }) => q.ticketId === ticketId)).toMatchObject({
      state: 'queued',
      position: 1,
    });
    expect((await api.call('GET', '/api/agents/me/offers', { token: alex.token })).body).toEqual(
      [],
    );

    expect((await setStatus(alex.token, 'available')).status).toBe(200);
    await settle();
    const again = await agent.next(
      (f) => f.type === 'offer' && f.offer.ticketId === ticketId && f.offer.id !== offer.offer.id,
    );
    if (again.type !== 'offer') throw new Error('expected an offer');
    const accepted = await agent.request({ type: 'offer.accept', offerId: again.offer.id });
    expect(accepted.type).toBe('ok');
    const ticket = await api.call('GET', `/api/tickets/${ticketId}`, { token: alex.token });
    expect(ticket.body).toMatchObject({ status: 'open', assigneeId: alex.id });
    const history = (
      await api.call('GET', `/api/tickets/${ticketId}/events`, { token: alex.token })
    ).body.map((e: { type: string }) => e.type);
    expect(history).toEqual(
      expect.arrayContaining([
        'routing.queued',
        'routing.offered',
        'routing.offer_expired',
        'routing.offer_accepted',
      ]),
    );
    await agent.close();
  });

  it('refuses to accept an offer that timed out, and changes nothing', async () => {
    const agent = await TestSocket.open(t.url, alex.token);
    await setStatus(alex.token, 'available');
    const { ticketId } = await handoff('late accept');
    await settle();
    const offer = await agent.next((f) => f.type === 'offer' && f.offer.ticketId === ticketId);
    if (offer.type !== 'offer') throw new Error('expected an offer');
    clock.advance(31_000);
    await t.server.timers.runDue();
    const r = await api.call('POST', `/api/offers/${offer.offer.id}/accept`, { token: alex.token });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('routing/offer-closed');
    expect(
      (await api.call('GET', `/api/tickets/${ticketId}`, { token: alex.token })).body.assigneeId,
    ).toBeNull();
    await setStatus(alex.token, 'offline');
    await agent.close();
  });

  it('gives a declined offer to the next agent without putting the decliner in RONA', async () => {
    const a = await TestSocket.open(t.url, alex.token);
    const s = await TestSocket.open(t.url, sam.token);
    await setStatus(alex.token, 'available');
    await setStatus(sam.token, 'offline');
    const { ticketId } = await handoff('decline me');
    await settle();
    const first = await a.next((f) => f.type === 'offer' && f.offer.ticketId === ticketId);
    if (first.type !== 'offer') throw new Error('expected an offer');
    await setStatus(sam.token, 'available');
    expect((await a.request({ type: 'offer.decline', offerId: first.offer.id })).type).toBe('ok');
    await settle();
    const second = await s.next((f) => f.type === 'offer' && f.offer.ticketId === ticketId);
    expect(second.type).toBe('offer');
    const agents = (await api.call('GET', '/api/agents', { token: alex.token })).body;
    expect(agents.find((x: { id: string }) => x.id === alex.id).status).toBe('available');
    await setStatus(alex.token, 'offline');
    await setStatus(sam.token, 'offline');
    await Promise.all([a.close(), s.close()]);
  });

  it('never offers more chats than an agent has room for, and offers the next as soon as one frees', async () => {
    await api.call('PUT', `/api/agents/${alex.id}/capacity`, {
      token: admin,
      body: { messaging: 2 },
    });
    const agent = await TestSocket.open(t.url, alex.token);
    await setStatus(alex.token, 'available');
    const chats = [await handoff('one'), await handoff('two'), await handoff('three')];
    await settle();
    const offers = await api.call('GET', '/api/agents/me/offers', { token: alex.token });
    expect(offers.body).toHaveLength(2);
    for (const o of offers.body)
      await api.call('POST', `/api/offers/${o.id}/accept`, { token: alex.token });
    await settle();
    expect(
      (await api.call('GET', '/api/agents/me/offers', { token: alex.token })).body,
    ).toHaveLength(0);
    const waiting = (await api.call('GET', '/api/routing/queue', { token: alex.token })).body.find(
      (q: { ticketId: string }) => q.ticketId === chats[2]!.ticketId,
    );
    expect(waiting.reason).toMatch(/capacity/i);

    const firstTicket = offers.body[0].ticketId as string;
    await api.call('PATCH', `/api/tickets/${firstTicket}`, {
      token: alex.token,
      body: { status: 'pending' },
    });
    await settle();
    // One chat went Pending: room for exactly one more (the longest-waiting ticket of the queue).
    const next = await api.call('GET', '/api/agents/me/offers', { token: alex.token });
    expect(next.body).toHaveLength(1);
    await setStatus(alex.token, 'offline');
    await agent.close();
  });
});
