import type { FeedEntry, ServerFrame } from '@parlour/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { TestSocket } from '../../testing/ws-client.js';
import { RoutingTestBed, type TestAgent, type TestChat } from './routing-test-bed.js';

/** What the customer sees when their chat changes hands: agent.joined and agent.left. */
describe.each(availableStorageKinds())(
  'agents joining and leaving, seen by the customer, on %s',
  (kind) => {
    let bed: RoutingTestBed;
    let ana: TestAgent;
    let ben: TestAgent;
    let front: string;
    let back: string;
    const customers: TestSocket[] = [];

    beforeAll(async () => {
      bed = await RoutingTestBed.start(kind);
      ana = await bed.newAgent('Ana');
      ben = await bed.newAgent('Ben');
      front = await bed.newGroup('Front desk', [ana, ben]);
      back = await bed.newGroup('Back office', [ben]);
    });
    afterEach(async () => {
      for (const c of customers.splice(0)) await c.close();
      await bed.reset();
    });
    afterAll(async () => bed.close());

    /** The customer's socket, subscribed to their chat from the start. */
    async function customerOf(chat: TestChat): Promise<TestSocket> {
      const socket = await TestSocket.open(bed.t.url, chat.visitorToken);
      customers.push(socket);
      await socket.request({ type: 'subscribe', conversationId: chat.conversationId, afterSeq: 0 });
      return socket;
    }

    const handover = (entries: FeedEntry[]) =>
      entries.flatMap((e) =>
        e.event.type === 'agent.joined' || e.event.type === 'agent.left'
          ? [{ type: e.event.type, agentId: e.event.agentId, agentName: e.event.agentName }]
          : [],
      );

    const isHandover =
      (conversationId: string, type: 'agent.joined' | 'agent.left', agentId: string) =>
      (f: ServerFrame) =>
        f.type === 'event' &&
        f.entry.conversationId === conversationId &&
        f.entry.event.type === type &&
        f.entry.event.agentId === agentId;

    it('shows the customer that the agent joined when they accept the offer', async () => {
      await bed.available(ana);
      const chat = await bed.handoff(front);
      const customer = await customerOf(chat);

      await bed.accept(ana, chat.ticketId);

      const joined = await customer.next(isHandover(chat.conversationId, 'agent.joined', ana.id));
      if (joined.type !== 'event') throw new Error('expected an event');
      expect(joined.entry.event).toEqual({
        type: 'agent.joined',
        agentId: ana.id,
        agentName: 'Ana',
      });
      // The staff-only ticket change that came with it never reaches the customer.
      expect(customer.events(chat.conversationId).map((e) => e.event.type)).not.toContain(
        'ticket.updated',
      );
    });

    it('shows the agent leaving when the chat is transferred to a queue', async () => {
      await bed.available(ana);
      const chat = await bed.takeChat(ana, front);
      const customer = await customerOf(chat);

      const r = await bed.api.call('POST', `/api/tickets/${chat.ticketId}/transfer`, {
        token: ana.token,
        body: { groupId: back },
      });
      expect(r.status).toBe(200);

      await customer.next(isHandover(chat.conversationId, 'agent.left', ana.id));
      expect(handover(customer.events(chat.conversationId))).toEqual([
        { type: 'agent.joined', agentId: ana.id, agentName: 'Ana' },
        { type: 'agent.left', agentId: ana.id, agentName: 'Ana' },
      ]);
    });

    it('shows the first agent leaving, then the agent it was transferred to joining once they accept', async () => {
      await bed.available(ana);
      const chat = await bed.takeChat(ana, front);
      const customer = await customerOf(chat);
      await bed.available(ben);

      const r = await bed.api.call('POST', `/api/tickets/${chat.ticketId}/transfer`, {
        token: ana.token,
        body: { agentId: ben.id },
      });
      expect(r.status).toBe(200);
      await bed.settle();
      await bed.accept(ben, chat.ticketId);

      await customer.next(isHandover(chat.conversationId, 'agent.joined', ben.id));
      expect(handover(customer.events(chat.conversationId))).toEqual([
        { type: 'agent.joined', agentId: ana.id, agentName: 'Ana' },
        { type: 'agent.left', agentId: ana.id, agentName: 'Ana' },
        { type: 'agent.joined', agentId: ben.id, agentName: 'Ben' },
      ]);
      // Each entry keeps its place in the one sequence: no gaps, no repeats.
      const seqs = customer.events(chat.conversationId).map((e) => e.seq);
      expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    });

    it('shows the change when a supervisor reassigns the chat by hand', async () => {
      await bed.available(ana);
      const chat = await bed.takeChat(ana, front);
      const customer = await customerOf(chat);

      const r = await bed.api.call('PATCH', `/api/tickets/${chat.ticketId}`, {
        token: bed.admin.token,
        body: { assigneeId: ben.id },
      });
      expect(r.status).toBe(200);

      await customer.next(isHandover(chat.conversationId, 'agent.joined', ben.id));
      expect(handover(customer.events(chat.conversationId)).slice(-2)).toEqual([
        { type: 'agent.left', agentId: ana.id, agentName: 'Ana' },
        { type: 'agent.joined', agentId: ben.id, agentName: 'Ben' },
      ]);
    });

    it('says nothing to a customer who has already left', async () => {
      await bed.available(ana);
      const chat = await bed.takeChat(ana, front);
      const left = await bed.api.call(
        'POST',
        `/api/conversations/${chat.conversationId}/end-session`,
        {
          token: chat.visitorToken,
          body: { reason: 'customer_left' },
        },
      );
      expect(left.status).toBe(200);

      expect(
        (
          await bed.api.call('POST', `/api/tickets/${chat.ticketId}/transfer`, {
            token: ana.token,
            body: { groupId: back },
          })
        ).status,
      ).toBe(200);

      const feed = await bed.api.call<FeedEntry[]>(
        'GET',
        `/api/conversations/${chat.conversationId}/events`,
        { token: chat.visitorToken },
      );
      expect(handover(feed.body)).toEqual([
        { type: 'agent.joined', agentId: ana.id, agentName: 'Ana' },
      ]);
    });
  },
);
