import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@parlour/protocol';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { TestSocket } from '../../testing/ws-client.js';

interface Staff {
  token: string;
  id: string;
}

describe.each(availableStorageKinds())('conference on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let alex: Staff;
  let sam: Staff;
  let kim: Staff;
  let supportId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { listen: true, clock });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const me = async (token: string) => ({
      token,
      id: (await api.call('GET', '/api/me', { token })).body.id as string,
    });
    alex = await me(
      await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password),
    );
    sam = await me(
      await api.login(DEMO_ACCOUNTS.agents[1].email, DEMO_ACCOUNTS.agents[1].password),
    );
    await api.call('POST', '/api/users', {
      token: admin,
      body: {
        role: 'agent',
        email: 'kim@parlour.example',
        name: 'Kim Agent',
        password: 'kim-pass-1',
      },
    });
    kim = await me(await api.login('kim@parlour.example', 'kim-pass-1'));
    supportId = (await api.call('GET', '/api/groups', { token: admin })).body.find(
      (g: { name: string }) => g.name === 'Support',
    ).id;
    for (const a of [alex, sam])
      await api.call('PUT', `/api/agents/${a.id}/capacity`, {
        token: admin,
        body: { messaging: 10 },
      });
  });
  afterAll(async () => t.close());

  const setStatus = (who: Staff, status: string) =>
    api.call('PUT', '/api/agents/me/status', { token: who.token, body: { status } });
  const settle = async () => {
    await t.server.services.routing.idle();
    await t.server.services.routing.drain();
  };
  const messagingLoad = async (who: Staff): Promise<number> =>
    (await api.call('GET', '/api/agents', { token: admin })).body.find(
      (a: { id: string }) => a.id === who.id,
    ).load.messaging;
  const participants = async (conversationId: string) =>
    (
      await api.call('GET', `/api/conversations/${conversationId}/participants`, {
        token: alex.token,
      })
    ).body;
  const conferenceEvents = async (ticketId: string) =>
    (await api.call('GET', `/api/tickets/${ticketId}/events`, { token: admin })).body.filter(
      (e: { type: string }) => e.type.startsWith('conference.'),
    );
  const invite = (who: Staff | string, conversationId: string, agentId: string) =>
    api.call('POST', `/api/conversations/${conversationId}/conference`, {
      token: typeof who === 'string' ? who : who.token,
      body: { agentId },
    });
  const step = (who: Staff, conversationId: string, action: 'accept' | 'decline' | 'end') =>
    api.call('POST', `/api/conversations/${conversationId}/conference/${action}`, {
      token: who.token,
    });

  /** A customer's chat, handed off to Support and assigned to Alex (Open). */
  async function chatOfAlex(first = 'Hello') {
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: first },
    });
    const conversationId = started.body.conversation.id as string;
    const handed = await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: { groupId: supportId },
    });
    const ticketId = handed.body.id as string;
    await settle();
    const assigned = await api.call('PATCH', `/api/tickets/${ticketId}`, {
      token: admin,
      body: { assigneeId: alex.id, status: 'open' },
    });
    expect(assigned.status).toBe(200);
    await settle();
    return { visitor, conversationId, ticketId };
  }

  /** A refused request changes nothing: no participant, no conference event, no load. */
  async function expectRefused(
    call: () => Promise<{ status: number; body: { error: { code: string; field?: string } } }>,
    chat: { conversationId: string; ticketId: string },
    expected: { status: number; code: string; field?: string },
  ) {
    const before = {
      participants: await participants(chat.conversationId),
      events: await conferenceEvents(chat.ticketId),
      loads: [await messagingLoad(alex), await messagingLoad(sam), await messagingLoad(kim)],
    };
    const r = await call();
    expect(r.status).toBe(expected.status);
    expect(r.body.error.code).toBe(expected.code);
    if (expected.field) expect(r.body.error.field).toBe(expected.field);
    expect(await participants(chat.conversationId)).toEqual(before.participants);
    expect(await conferenceEvents(chat.ticketId)).toEqual(before.events);
    expect([await messagingLoad(alex), await messagingLoad(sam), await messagingLoad(kim)]).toEqual(
      before.loads,
    );
  }

  const isEvent =
    (
      conversationId: string,
      type: string,
      extra: (e: Record<string, unknown>) => boolean = () => true,
    ) =>
    (f: ServerFrame) =>
      f.type === 'event' &&
      f.entry.conversationId === conversationId &&
      f.entry.event.type === type &&
      extra(f.entry.event as unknown as Record<string, unknown>);

  it('follows seed 004: Alex invites Sam, Sam joins, both write to the customer, and the conference ends', async () => {
    await setStatus(sam, 'offline');
    await setStatus(alex, 'available');
    const a = await TestSocket.open(t.url, alex.token);
    const s = await TestSocket.open(t.url, sam.token);
    const visitor = await api.visitor();
    const customer = await TestSocket.open(t.url, visitor.token);
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'My card was charged twice' },
    });
    const conversationId = started.body.conversation.id as string;
    const ticketId = (
      await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
        token: visitor.token,
        body: { groupId: supportId },
      })
    ).body.id as string;
    await settle();
    // Alex has accepted the chat request (the seed's precondition for a conference).
    const offer = await a.next((f) => f.type === 'offer' && f.offer.ticketId === ticketId);
    if (offer.type !== 'offer') throw new Error('expected an offer');
    expect((await a.request({ type: 'offer.accept', offerId: offer.offer.id })).type).toBe('ok');
    await setStatus(sam, 'available');
    for (const socket of [customer, a])
      expect((await socket.request({ type: 'subscribe', conversationId, afterSeq: 0 })).type).toBe(
        'subscribed',
      );
    const samBefore = await messagingLoad(sam);
    const alexLoad = await messagingLoad(alex);

    const times = [clock.now().toISOString()];
    const invited = await invite(alex, conversationId, sam.id);
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ userId: sam.id, state: 'requested', invitedBy: alex.id });
    const invitation = await s.next((f) => f.type === 'conference.invited');
    expect(invitation).toMatchObject({ conversationId, ticketId, invitedBy: alex.id });
    expect(await messagingLoad(sam)).toBe(samBefore + 1);

    clock.advance(4_000);
    times.push(clock.now().toISOString());
    const joined = await step(sam, conversationId, 'accept');
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ userId: sam.id, state: 'joined' });
    const seen = await customer.next(isEvent(conversationId, 'agent.joined'));
    if (seen.type !== 'event') throw new Error('expected an event');
    expect(seen.entry.event).toEqual({
      type: 'agent.joined',
      agentId: sam.id,
      agentName: 'Sam Agent',
    });
    // Alex sees the state change from Conference requested to Conference.
    await a.next(
      isEvent(conversationId, 'ticket.updated', (e) =>
        (e.changes as { type: string }[]).some((c) => c.type === 'conference.joined'),
      ),
    );

    // During the conference the chat counts against both agents' capacity.
    expect(await messagingLoad(alex)).toBe(alexLoad);
    expect(await messagingLoad(sam)).toBe(samBefore + 1);

    expect((await s.request({ type: 'subscribe', conversationId, afterSeq: 0 })).type).toBe(
      'subscribed',
    );
    for (const [socket, body] of [
      [a, 'Let me bring in a colleague from billing.'],
      [s, 'Hi, I am looking at the double charge now.'],
    ] as const) {
      const ack = await socket.request({
        type: 'message.send',
        conversationId,
        clientMessageId: randomUUID(),
        body,
      });
      expect(ack.type).toBe('ack');
    }
    for (const [author, body] of [
      [alex.id, 'Let me bring in a colleague from billing.'],
      [sam.id, 'Hi, I am looking at the double charge now.'],
    ] as const) {
      await customer.next(
        isEvent(conversationId, 'message.created', (e) => {
          const m = e.message as { authorId: string; body: string };
          return m.authorId === author && m.body === body;
        }),
      );
    }

    clock.advance(60_000);
    times.push(clock.now().toISOString());
    const ended = await step(sam, conversationId, 'end');
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ userId: sam.id, state: 'left' });
    const left = await customer.next(isEvent(conversationId, 'agent.left'));
    if (left.type !== 'event') throw new Error('expected an event');
    expect(left.entry.event).toEqual({
      type: 'agent.left',
      agentId: sam.id,
      agentName: 'Sam Agent',
    });
    expect(await messagingLoad(sam)).toBe(samBefore);
    expect(await messagingLoad(alex)).toBe(alexLoad);
    expect(
      (await api.call('GET', `/api/tickets/${ticketId}`, { token: alex.token })).body.assigneeId,
    ).toBe(alex.id);

    const events = await conferenceEvents(ticketId);
    expect(
      events.map((e: { type: string; actor: { id: string }; data: object; at: string }) => ({
        type: e.type,
        actor: e.actor.id,
        data: e.data,
        at: e.at,
      })),
    ).toMatchObject([
      { type: 'conference.requested', actor: alex.id, data: { agentId: sam.id }, at: times[0] },
      { type: 'conference.joined', actor: sam.id, data: { agentId: sam.id }, at: times[1] },
      {
        type: 'conference.left',
        actor: sam.id,
        data: { agentId: sam.id, endedBy: sam.id },
        at: times[2],
      },
    ]);
    // The customer's feed has the join and the leave, never the staff-only ticket changes.
    const customerSees = customer.events(conversationId).map((e) => e.event.type);
    expect(customerSees).toContain('agent.joined');
    expect(customerSees).toContain('agent.left');
    expect(customerSees).not.toContain('ticket.updated');
    await Promise.all([a.close(), s.close(), customer.close()]);
  });

  it('lets the invited agent decline: the chat stays with its agent and the guest’s capacity frees', async () => {
    await setStatus(sam, 'available');
    const chat = await chatOfAlex('decline');
    const samBefore = await messagingLoad(sam);
    expect((await invite(alex, chat.conversationId, sam.id)).status).toBe(201);
    expect(await messagingLoad(sam)).toBe(samBefore + 1);
    const declined = await step(sam, chat.conversationId, 'decline');
    expect(declined.status).toBe(200);
    expect(declined.body.state).toBe('declined');
    expect(await messagingLoad(sam)).toBe(samBefore);
    expect((await conferenceEvents(chat.ticketId)).map((e: { type: string }) => e.type)).toEqual([
      'conference.requested',
      'conference.declined',
    ]);
    const feed = await api.call('GET', `/api/conversations/${chat.conversationId}/events`, {
      token: chat.visitor.token,
    });
    // The customer saw Alex take the chat, and never saw Sam join.
    expect(
      feed.body
        .filter((e: { event: { type: string } }) => e.event.type === 'agent.joined')
        .map((e: { event: { agentId: string } }) => e.event.agentId),
    ).toEqual([alex.id]);
    // Declining closes the invitation; the agent can be invited again later.
    expect((await invite(alex, chat.conversationId, sam.id)).status).toBe(201);
    expect((await step(alex, chat.conversationId, 'end')).body.state).toBe('left');
  });

  it('lets the agent who has the chat end the conference', async () => {
    await setStatus(sam, 'available');
    const chat = await chatOfAlex('alex ends');
    await invite(alex, chat.conversationId, sam.id);
    await step(sam, chat.conversationId, 'accept');
    const ended = await step(alex, chat.conversationId, 'end');
    expect(ended.status).toBe(200);
    expect(ended.body.state).toBe('left');
    const last = (await conferenceEvents(chat.ticketId)).at(-1);
    expect(last).toMatchObject({
      type: 'conference.left',
      actor: { id: alex.id },
      data: { agentId: sam.id, endedBy: alex.id },
    });
  });

  it('lists the chats a guest is in (GET /api/tickets?conferenceParticipant=me) until they leave', async () => {
    await setStatus(sam, 'available');
    const chat = await chatOfAlex('listed for the guest');
    const conferencesOf = async (who: Staff) => {
      const r = await api.call('GET', '/api/tickets?conferenceParticipant=me&limit=100', {
        token: who.token,
      });
      expect(r.status).toBe(200);
      return (r.body.items as { id: string }[]).map((ticket) => ticket.id);
    };
    await invite(alex, chat.conversationId, sam.id);
    // Invited is not yet in: nothing listed.
    expect(await conferencesOf(sam)).not.toContain(chat.ticketId);
    await step(sam, chat.conversationId, 'accept');
    expect(await conferencesOf(sam)).toContain(chat.ticketId);
    // The chat's own agent is not a conference guest.
    expect(await conferencesOf(alex)).not.toContain(chat.ticketId);
    await step(sam, chat.conversationId, 'end');
    expect(await conferencesOf(sam)).not.toContain(chat.ticketId);
    const bad = await api.call('GET', '/api/tickets?conferenceParticipant=someone', {
      token: sam.token,
    });
    expect(bad.status).toBe(400);
  });

  it('ends the conference when the chat’s session ends, freeing the guest’s capacity', async () => {
    await setStatus(sam, 'available');
    const chat = await chatOfAlex('session ends');
    const samBefore = await messagingLoad(sam);
    await invite(alex, chat.conversationId, sam.id);
    await step(sam, chat.conversationId, 'accept');
    const left = await api.call('POST', `/api/conversations/${chat.conversationId}/end-session`, {
      token: chat.visitor.token,
      body: { reason: 'customer_left' },
    });
    expect(left.status).toBe(200);
    expect(await participants(chat.conversationId)).toMatchObject([
      { userId: sam.id, state: 'left' },
    ]);
    expect(await messagingLoad(sam)).toBe(samBefore);
    expect((await conferenceEvents(chat.ticketId)).at(-1)).toMatchObject({
      type: 'conference.left',
      data: { agentId: sam.id, endedBy: 'session' },
    });
  });

  it('ends the conference when the ticket is closed (which ends the chat)', async () => {
    await setStatus(sam, 'available');
    const chat = await chatOfAlex('ticket closes');
    await invite(alex, chat.conversationId, sam.id);
    await step(sam, chat.conversationId, 'accept');
    for (const status of ['solved', 'closed'])
      expect(
        (
          await api.call('PATCH', `/api/tickets/${chat.ticketId}`, {
            token: alex.token,
            body: { status },
          })
        ).status,
      ).toBe(200);
    expect(await participants(chat.conversationId)).toMatchObject([
      { userId: sam.id, state: 'left' },
    ]);
    const feed = await api.call('GET', `/api/conversations/${chat.conversationId}/events`, {
      token: chat.visitor.token,
    });
    expect(feed.body.map((e: { event: { type: string } }) => e.event.type)).toContain('agent.left');
  });

  it('lets a supervisor or admin start a conference on someone else’s chat', async () => {
    await setStatus(sam, 'available');
    const chat = await chatOfAlex('admin invites');
    const r = await invite(admin, chat.conversationId, sam.id);
    expect(r.status).toBe(201);
    expect((await step(sam, chat.conversationId, 'end')).status).toBe(200);
  });

  it('refuses to invite yourself', async () => {
    const chat = await chatOfAlex('self');
    await expectRefused(() => invite(alex, chat.conversationId, alex.id), chat, {
      status: 400,
      code: 'validation/invalid',
      field: 'agentId',
    });
  });

  it('refuses an unknown or inactive agent', async () => {
    const chat = await chatOfAlex('unknown');
    await expectRefused(() => invite(alex, chat.conversationId, randomUUID()), chat, {
      status: 404,
      code: 'not-found',
      field: 'agentId',
    });
    const created = await api.call('POST', '/api/users', {
      token: admin,
      body: {
        role: 'agent',
        email: 'gone@parlour.example',
        name: 'Gone Agent',
        password: 'gone-pass-1',
      },
    });
    await api.call('PATCH', `/api/users/${created.body.id}`, {
      token: admin,
      body: { active: false },
    });
    await expectRefused(() => invite(alex, chat.conversationId, created.body.id as string), chat, {
      status: 404,
      code: 'not-found',
      field: 'agentId',
    });
  });

  it('refuses an Offline agent', async () => {
    const chat = await chatOfAlex('offline');
    await setStatus(sam, 'offline');
    await expectRefused(() => invite(alex, chat.conversationId, sam.id), chat, {
      status: 409,
      code: 'routing/agent-offline',
      field: 'agentId',
    });
    await setStatus(sam, 'available');
  });

  it('refuses a second guest while one is invited or in the conference', async () => {
    await setStatus(sam, 'available');
    await setStatus(kim, 'available');
    const chat = await chatOfAlex('second guest');
    expect((await invite(alex, chat.conversationId, sam.id)).status).toBe(201);
    await expectRefused(() => invite(alex, chat.conversationId, kim.id), chat, {
      status: 409,
      code: 'conflict',
      field: 'agentId',
    });
    await step(sam, chat.conversationId, 'accept');
    await expectRefused(() => invite(alex, chat.conversationId, kim.id), chat, {
      status: 409,
      code: 'conflict',
    });
    await step(alex, chat.conversationId, 'end');
    await setStatus(kim, 'offline');
  });

  it('refuses a conversation whose session has ended', async () => {
    await setStatus(sam, 'available');
    const chat = await chatOfAlex('ended');
    await api.call('POST', `/api/conversations/${chat.conversationId}/end-session`, {
      token: chat.visitor.token,
      body: { reason: 'customer_left' },
    });
    await expectRefused(() => invite(alex, chat.conversationId, sam.id), chat, {
      status: 409,
      code: 'session/ended',
    });
  });

  it('refuses someone who neither has the chat nor supervises', async () => {
    await setStatus(sam, 'available');
    const chat = await chatOfAlex('outsider');
    await expectRefused(() => invite(kim, chat.conversationId, sam.id), chat, {
      status: 403,
      code: 'auth/forbidden',
    });
    await invite(alex, chat.conversationId, sam.id);
    await expectRefused(() => step(kim, chat.conversationId, 'end'), chat, {
      status: 403,
      code: 'auth/forbidden',
    });
    await expectRefused(() => step(kim, chat.conversationId, 'accept'), chat, {
      status: 404,
      code: 'not-found',
    });
    await step(sam, chat.conversationId, 'decline');
  });

  it('refuses a guest who has no room for another chat', async () => {
    await setStatus(sam, 'available');
    const chat = await chatOfAlex('full');
    await api.call('PUT', `/api/agents/${sam.id}/capacity`, {
      token: admin,
      body: { messaging: 0 },
    });
    await expectRefused(() => invite(alex, chat.conversationId, sam.id), chat, {
      status: 409,
      code: 'conflict',
      field: 'agentId',
    });
    await api.call('PUT', `/api/agents/${sam.id}/capacity`, {
      token: admin,
      body: { messaging: 10 },
    });
  });

  it('refuses to accept, decline or end when there is nothing to answer', async () => {
    const chat = await chatOfAlex('nothing');
    await expectRefused(() => step(alex, chat.conversationId, 'end'), chat, {
      status: 409,
      code: 'conflict',
    });
    await expectRefused(() => step(sam, chat.conversationId, 'decline'), chat, {
      status: 404,
      code: 'not-found',
    });
    const unknown = { conversationId: randomUUID(), ticketId: chat.ticketId };
    const r = await invite(alex, unknown.conversationId, sam.id);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('conversation/not-found');
  });
});
