import type { ServerFrame } from '@parlour/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import {
  RoutingTestBed,
  type TestAgent,
  type TestChat,
} from '../services/routing/routing-test-bed.js';
import { TestSocket } from '../testing/ws-client.js';

type Typing = Extract<ServerFrame, { type: 'typing' }>;
type Read = Extract<ServerFrame, { type: 'read' }>;

describe.each(availableStorageKinds())('typing indicator and read state on %s', (kind) => {
  let bed: RoutingTestBed;
  let ana: TestAgent;
  let ben: TestAgent;
  let front: string;
  const customers: TestSocket[] = [];

  beforeAll(async () => {
    bed = await RoutingTestBed.start(kind);
    ana = await bed.newAgent('Ana');
    ben = await bed.newAgent('Ben');
    front = await bed.newGroup('Front desk', [ana, ben]);
  });
  afterEach(async () => {
    for (const c of customers.splice(0)) await c.close();
    await bed.reset();
  });
  afterAll(async () => bed.close());

  async function subscribe(socket: TestSocket, conversationId: string) {
    const reply = await socket.request({ type: 'subscribe', conversationId, afterSeq: 0 });
    if (reply.type !== 'subscribed') throw new Error(`subscribe: ${JSON.stringify(reply)}`);
    return reply;
  }

  async function customerOf(chat: TestChat | { visitorToken: string }): Promise<TestSocket> {
    const socket = await TestSocket.open(bed.t.url, chat.visitorToken);
    customers.push(socket);
    return socket;
  }

  /** Ana's chat, with the customer's and Ana's sockets subscribed to it. */
  async function anasLiveChat() {
    await bed.available(ana);
    const chat = await bed.takeChat(ana, front);
    const customer = await customerOf(chat);
    const agent = await bed.connect(ana);
    await subscribe(customer, chat.conversationId);
    await subscribe(agent, chat.conversationId);
    return { chat, customer, agent };
  }

  /** A round trip on the socket: every frame the server sent it before is in by then. */
  const flush = async (socket: TestSocket) => {
    expect((await socket.request({ type: 'ping' })).type).toBe('pong');
  };
  const typingFrames = (socket: TestSocket, conversationId: string) =>
    socket.frames.filter(
      (f): f is Typing => f.type === 'typing' && f.conversationId === conversationId,
    );
  const readFrames = (socket: TestSocket, conversationId: string) =>
    socket.frames.filter(
      (f): f is Read => f.type === 'read' && f.conversationId === conversationId,
    );
  const lastSeqOf = async (chat: TestChat) =>
    (
      await bed.api.call<{ lastSeq: number }>('GET', `/api/conversations/${chat.conversationId}`, {
        token: ana.token,
      })
    ).body.lastSeq;
  const unread = async (agent: TestAgent) =>
    (
      await bed.api.call<{ items: { conversationId: string; ticketId: string; unread: number }[] }>(
        'GET',
        '/api/agents/me/unread',
        { token: agent.token },
      )
    ).body.items;
  const say = (chat: TestChat, token: string, body: string, kind?: 'internal') =>
    bed.api.call('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token,
      body: { body, ...(kind ? { kind } : {}) },
    });

  describe('typing', () => {
    it('tells the agent the customer is typing, and never echoes it to the customer', async () => {
      const { chat, customer, agent } = await anasLiveChat();
      const id = chat.conversationId;

      expect(
        (await customer.request({ type: 'typing', conversationId: id, typing: true })).type,
      ).toBe('ok');

      const seen = await agent.next((f) => f.type === 'typing' && f.conversationId === id);
      expect(seen).toMatchObject({
        type: 'typing',
        conversationId: id,
        actor: { type: 'end_user', name: null },
        typing: true,
      });
      await flush(customer);
      expect(typingFrames(customer, id)).toEqual([]);
    });

    it('tells the customer the agent is typing, by name, but not while they write an internal note', async () => {
      const { chat, customer, agent } = await anasLiveChat();
      const id = chat.conversationId;
      const colleague = await bed.connect(ben);
      await subscribe(colleague, id);

      agent.send({ type: 'typing', conversationId: id, typing: true, kind: 'internal' });
      const internal = await colleague.next((f) => f.type === 'typing' && f.conversationId === id);
      expect(internal).toMatchObject({ actor: { type: 'user', id: ana.id, name: 'Ana' } });
      agent.send({ type: 'typing', conversationId: id, typing: true });

      const seen = await customer.next((f) => f.type === 'typing' && f.conversationId === id);
      expect(seen).toEqual({
        type: 'typing',
        conversationId: id,
        actor: { type: 'user', id: ana.id, name: 'Ana' },
        typing: true,
      });
      await colleague.next((f) => f.type === 'typing' && f.conversationId === id);
      await flush(customer);
      // Published before the public one, on the same topic: had it been sent, it would be here.
      expect(typingFrames(customer, id)).toHaveLength(1);
      await flush(agent);
      expect(typingFrames(agent, id)).toEqual([]);
    });

    it('drops typing frames beyond one per second per socket, but always passes the stop', async () => {
      const { chat, customer, agent } = await anasLiveChat();
      const id = chat.conversationId;

      for (let i = 0; i < 3; i++)
        customer.send({ type: 'typing', conversationId: id, typing: true });
      await flush(customer);
      bed.clock.advance(1_000);
      customer.send({ type: 'typing', conversationId: id, typing: true });
      customer.send({ type: 'typing', conversationId: id, typing: false });

      await agent.next((f) => f.type === 'typing' && f.conversationId === id && !f.typing);
      expect(typingFrames(agent, id).map((f) => f.typing)).toEqual([true, true, false]);
      // Dropped silently: no error frames.
      await flush(customer);
      expect(customer.frames.filter((f) => f.type === 'error')).toEqual([]);
    });

    it('refuses typing in a conversation that is not the customer’s, and internal typing from a customer', async () => {
      const { chat, customer } = await anasLiveChat();
      const stranger = await customerOf(
        await bed.api.visitor().then((v) => ({ visitorToken: v.token })),
      );

      const foreign = await stranger.request({
        type: 'typing',
        conversationId: chat.conversationId,
        typing: true,
      });
      expect(foreign).toMatchObject({ type: 'error', code: 'conversation/not-found' });

      const internal = await customer.request({
        type: 'typing',
        conversationId: chat.conversationId,
        typing: true,
        kind: 'internal',
      });
      expect(internal).toMatchObject({ type: 'error', code: 'auth/forbidden', field: 'kind' });
    });
  });

  describe('read state', () => {
    it('stores a read, tells the other side, and never lowers it', async () => {
      const { chat, customer, agent } = await anasLiveChat();
      const id = chat.conversationId;
      const lastSeq = await lastSeqOf(chat);

      expect((await agent.request({ type: 'read', conversationId: id, seq: lastSeq })).type).toBe(
        'ok',
      );
      const told = await customer.next((f) => f.type === 'read' && f.conversationId === id);
      expect(told).toEqual({
        type: 'read',
        conversationId: id,
        reader: { type: 'user', id: ana.id },
        seq: lastSeq,
      });

      // A lower seq is taken but changes nothing, and nobody is told.
      expect((await agent.request({ type: 'read', conversationId: id, seq: 1 })).type).toBe('ok');
      await flush(customer);
      expect(readFrames(customer, id)).toHaveLength(1);
      await flush(agent);
      expect(readFrames(agent, id)).toEqual([]);

      // The customer's read reaches the agent.
      await customer.request({ type: 'read', conversationId: id, seq: 1 });
      expect(await agent.next((f) => f.type === 'read' && f.conversationId === id)).toMatchObject({
        reader: { type: 'end_user' },
        seq: 1,
      });

      // A reloaded page gets both marks with its subscription.
      const reloaded = await customerOf(chat);
      expect((await subscribe(reloaded, id)).reads).toEqual({ endUser: 1, staff: lastSeq });
    });

    it('refuses a seq beyond the conversation, and a read of someone else’s conversation', async () => {
      const { chat, customer } = await anasLiveChat();
      const id = chat.conversationId;
      const lastSeq = await lastSeqOf(chat);

      const beyond = await customer.request({ type: 'read', conversationId: id, seq: lastSeq + 1 });
      expect(beyond).toMatchObject({ type: 'error', code: 'validation/invalid', field: 'seq' });

      const stranger = await customerOf(
        await bed.api.visitor().then((v) => ({ visitorToken: v.token })),
      );
      const foreign = await stranger.request({ type: 'read', conversationId: id, seq: 1 });
      expect(foreign).toMatchObject({ type: 'error', code: 'conversation/not-found' });

      const reloaded = await customerOf(chat);
      expect((await subscribe(reloaded, id)).reads).toEqual({ endUser: 0, staff: 0 });
    });

    it('counts an agent’s unread messages from others, internal notes included, until they read', async () => {
      const { chat, agent } = await anasLiveChat();
      const id = chat.conversationId;
      await agent.request({ type: 'read', conversationId: id, seq: await lastSeqOf(chat) });
      expect((await unread(ana)).find((u) => u.conversationId === id)).toBeUndefined();

      expect((await say(chat, chat.visitorToken, 'Are you there?')).status).toBe(201);
      expect((await say(chat, chat.visitorToken, 'Hello?')).status).toBe(201);
      expect((await say(chat, ana.token, 'Yes, looking into it')).status).toBe(201);
      expect((await say(chat, bed.admin.token, 'Check the refund policy', 'internal')).status).toBe(
        201,
      );

      expect((await unread(ana)).find((u) => u.conversationId === id)).toEqual({
        conversationId: id,
        ticketId: chat.ticketId,
        unread: 3,
      });

      await agent.request({ type: 'read', conversationId: id, seq: await lastSeqOf(chat) });
      expect((await unread(ana)).find((u) => u.conversationId === id)).toBeUndefined();
      expect((await say(chat, chat.visitorToken, 'Thanks!')).status).toBe(201);
      expect((await unread(ana)).find((u) => u.conversationId === id)?.unread).toBe(1);
      // Not Ben's chat: nothing for him.
      expect((await unread(ben)).find((u) => u.conversationId === id)).toBeUndefined();
    });
  });

  describe('the customer leaves', () => {
    it('lets the customer end their own session, and the agent sees that they left', async () => {
      const { chat, agent } = await anasLiveChat();
      const stranger = await bed.api.visitor();
      const foreign = await bed.api.call(
        'POST',
        `/api/conversations/${chat.conversationId}/end-session`,
        { token: stranger.token, body: { reason: 'customer_left' } },
      );
      expect(foreign.status).toBe(404);

      const left = await bed.api.call(
        'POST',
        `/api/conversations/${chat.conversationId}/end-session`,
        { token: chat.visitorToken, body: { reason: 'customer_left' } },
      );
      expect(left.status).toBe(200);
      expect(left.body.session).toMatchObject({ state: 'ended', endReason: 'customer_left' });

      const ended = await agent.next(
        (f) =>
          f.type === 'event' &&
          f.entry.conversationId === chat.conversationId &&
          f.entry.event.type === 'session.ended',
      );
      if (ended.type !== 'event') throw new Error('expected an event');
      expect(ended.entry.event).toEqual({ type: 'session.ended', reason: 'customer_left' });
    });
  });
});
