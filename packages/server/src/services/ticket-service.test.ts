import type { Conversation, FeedEntry, Ticket, TicketEvent } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

describe.each(availableStorageKinds())('tickets over HTTP on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let alex: { token: string; id: string };
  let sam: { token: string; id: string };
  let supportId: string;
  let billingId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
    const agent = async (account: { email: string; password: string }) => {
      const token = await api.login(account.email, account.password);
      return { token, id: (await api.call('GET', '/api/me', { token })).body.id as string };
    };
    alex = await agent(DEMO_ACCOUNTS.agents[0]);
    sam = await agent(DEMO_ACCOUNTS.agents[1]);
    const groups = (
      await api.call<{ id: string; name: string }[]>('GET', '/api/groups', { token: alex.token })
    ).body;
    supportId = groups.find((g) => g.name === 'Support')!.id;
    billingId = groups.find((g) => g.name === 'Billing')!.id;
  });
  afterAll(async () => t.close());

  interface Opened {
    readonly ticket: Ticket;
    readonly conversationId: string;
    readonly visitor: { token: string; endUserId: string };
  }

  /** A customer chats, and the bot hands the chat to people: a New ticket. Each one a second later. */
  async function openTicket(
    options: {
      groupId?: string | null;
      tags?: string[];
      subject?: string;
      visitor?: { token: string; endUserId: string };
    } = {},
  ): Promise<Opened> {
    clock.advance(1_000);
    const visitor = options.visitor ?? (await api.visitor());
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hello, I need help' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const handoff = await api.call<Ticket>('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: {
        groupId: options.groupId === undefined ? supportId : options.groupId,
        ...(options.tags ? { tags: options.tags } : {}),
        ...(options.subject ? { subject: options.subject } : {}),
      },
    });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    return { ticket: handoff.body, conversationId, visitor };
  }

  /** The reply is a Ticket on success and an error body otherwise. */
  const patch = (ticketId: string, body: Record<string, unknown>, token = alex.token) =>
    api.call<Ticket & { error?: { code: string; field?: string } }>(
      'PATCH',
      `/api/tickets/${ticketId}`,
      { token, body },
    );
  const history = async (ticketId: string) =>
    (await api.call<TicketEvent[]>('GET', `/api/tickets/${ticketId}/events`, { token: alex.token }))
      .body;
  const listIds = async (query: string) => {
    const r = await api.call<{ items: Ticket[]; nextCursor: string | null }>(
      'GET',
      `/api/tickets?${query}`,
      { token: alex.token },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items.map((x) => x.id).sort();
  };
  const sorted = (...opened: Opened[]) => opened.map((o) => o.ticket.id).sort();

  describe('listing', () => {
    it('filters by a list of statuses', async () => {
      const tag = 'status-filter';
      const fresh = await openTicket({ tags: [tag] });
      const open = await openTicket({ tags: [tag] });
      const pending = await openTicket({ tags: [tag] });
      await patch(open.ticket.id, { assigneeId: alex.id });
      await patch(pending.ticket.id, { assigneeId: alex.id, status: 'pending' });
      expect(await listIds(`tag=${tag}&status=new,open`)).toEqual(sorted(fresh, open));
      expect(await listIds(`tag=${tag}&status=pending`)).toEqual(sorted(pending));
    });

    it('filters by group', async () => {
      const tag = 'group-filter';
      const support = await openTicket({ tags: [tag], groupId: supportId });
      const billing = await openTicket({ tags: [tag], groupId: billingId });
      await openTicket({ tags: [tag], groupId: null });
      expect(await listIds(`tag=${tag}&groupId=${supportId}`)).toEqual(sorted(support));
      expect(await listIds(`tag=${tag}&groupId=${billingId}`)).toEqual(sorted(billing));
    });

    it('filters by assignee: me, nobody, or a given agent', async () => {
      const tag = 'assignee-filter';
      const mine = await openTicket({ tags: [tag] });
      const sams = await openTicket({ tags: [tag] });
      const nobodys = await openTicket({ tags: [tag] });
      await patch(mine.ticket.id, { assigneeId: alex.id });
      await patch(sams.ticket.id, { assigneeId: sam.id });
      expect(await listIds(`tag=${tag}&assigneeId=me`)).toEqual(sorted(mine));
      expect(await listIds(`tag=${tag}&assigneeId=none`)).toEqual(sorted(nobodys));
      expect(await listIds(`tag=${tag}&assigneeId=${sam.id}`)).toEqual(sorted(sams));
    });

    it('filters by requester', async () => {
      const visitor = await api.visitor();
      const first = await openTicket({ visitor });
      const second = await openTicket({ visitor });
      await openTicket();
      expect(await listIds(`requesterId=${visitor.endUserId}`)).toEqual(sorted(first, second));
    });

    it('filters by tag, whatever its case', async () => {
      const vip = await openTicket({ tags: ['VIP-Filter', 'other'] });
      await openTicket({ tags: ['other'] });
      expect(await listIds('tag=vip-filter')).toEqual(sorted(vip));
      expect(await listIds('tag=VIP-FILTER')).toEqual(sorted(vip));
    });

    it('filters by channel', async () => {
      const chat = await openTicket({ tags: ['channel-filter'] });
      expect(await listIds('tag=channel-filter&channel=messaging')).toEqual(sorted(chat));
      expect(await listIds('tag=channel-filter&channel=email')).toEqual([]);
    });

    it('refuses an unknown status with the field at fault', async () => {
      const r = await api.call('GET', '/api/tickets?status=new,done', { token: alex.token });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'status' });
    });

    it('refuses an assignee filter that is not a user id, "me" or "none"', async () => {
      const r = await api.call('GET', '/api/tickets?assigneeId=somebody', { token: alex.token });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'assigneeId' });
    });

    it('refuses a cursor it did not give out', async () => {
      const r = await api.call('GET', '/api/tickets?cursor=not-a-cursor', { token: alex.token });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'cursor' });
    });

    it('walks every ticket exactly once, page by page, newest activity first', async () => {
      const tag = 'page-walk';
      const opened: Opened[] = [];
      for (let i = 0; i < 30; i++) opened.push(await openTicket({ tags: [tag] }));
      // Touching the oldest ticket makes it the one with the newest activity.
      clock.advance(1_000);
      const touched = await patch(opened[0]!.ticket.id, { priority: 'high' });
      expect(touched.status).toBe(200);

      const seen: Ticket[] = [];
      const pageSizes: number[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/tickets?tag=${tag}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await api.call<{ items: Ticket[]; nextCursor: string | null }>('GET', url, {
          token: alex.token,
        });
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        seen.push(...page.body.items);
        pageSizes.push(page.body.items.length);
        cursor = page.body.nextCursor;
      } while (cursor && pageSizes.length < 10);

      expect(pageSizes).toEqual([7, 7, 7, 7, 2]);
      expect(seen.map((x) => x.id).sort()).toEqual(sorted(...opened));
      expect(new Set(seen.map((x) => x.id)).size).toBe(30);
      const expectedOrder = [opened[0]!, ...opened.slice(1).reverse()].map((o) => o.ticket.id);
      expect(seen.map((x) => x.id)).toEqual(expectedOrder);
    });
  });

  describe('reading', () => {
    it('shows one ticket as handed off: New, in its group, with its tags and subject', async () => {
      const { ticket, conversationId, visitor } = await openTicket({
        tags: ['Refund'],
        subject: 'Card declined',
      });
      const r = await api.call<Ticket>('GET', `/api/tickets/${ticket.id}`, { token: sam.token });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        id: ticket.id,
        conversationId,
        requesterId: visitor.endUserId,
        channel: 'messaging',
        status: 'new',
        priority: 'normal',
        groupId: supportId,
        assigneeId: null,
        tags: ['refund'],
        subject: 'Card declined',
        version: 1,
      });
      expect(r.body.number).toBeGreaterThan(0);
    });

    it('answers 404 for a ticket that does not exist', async () => {
      const r = await api.call('GET', '/api/tickets/00000000-0000-7000-8000-000000000000', {
        token: alex.token,
      });
      expect(r.status).toBe(404);
      expect(r.body.error?.code).toBe('ticket/not-found');
    });
  });

  describe('changing a ticket', () => {
    /** Applies the patch at a known instant and returns the history lines it added. */
    async function changeAndRecord(
      ticketId: string,
      body: Record<string, unknown>,
      token = alex.token,
    ) {
      const before = (await history(ticketId)).length;
      const at = clock.advance(60_000).toISOString();
      const r = await patch(ticketId, body, token);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      // Routing's own lines (a waiting ticket re-queued in its new group) are checked in routing's tests.
      const added = (await history(ticketId))
        .slice(before)
        .filter((e: { type: string }) => !e.type.startsWith('routing.'));
      return { ticket: r.body, added, at };
    }

    it('opens a New ticket when it is assigned, and records both changes with who and when', async () => {
      const { ticket } = await openTicket();
      const {
        ticket: after,
        added,
        at,
      } = await changeAndRecord(ticket.id, { assigneeId: alex.id });
      expect(after).toMatchObject({ status: 'open', assigneeId: alex.id, version: 2 });
      expect(added).toEqual([
        expect.objectContaining({
          type: 'ticket.assignee_changed',
          actor: { type: 'user', id: alex.id },
          at,
          data: expect.objectContaining({ from: null, to: alex.id }),
        }),
        expect.objectContaining({
          type: 'ticket.status_changed',
          actor: { type: 'user', id: alex.id },
          at,
          data: expect.objectContaining({ from: 'new', to: 'open', cause: 'assignment' }),
        }),
      ]);
    });

    it('records a status change', async () => {
      const { ticket } = await openTicket();
      await patch(ticket.id, { assigneeId: alex.id });
      const {
        ticket: after,
        added,
        at,
      } = await changeAndRecord(ticket.id, { status: 'pending' }, sam.token);
      expect(after.status).toBe('pending');
      expect(added).toEqual([
        expect.objectContaining({
          type: 'ticket.status_changed',
          actor: { type: 'user', id: sam.id },
          at,
          data: expect.objectContaining({ from: 'open', to: 'pending' }),
        }),
      ]);
    });

    it('records a group change', async () => {
      const { ticket } = await openTicket();
      const { ticket: after, added, at } = await changeAndRecord(ticket.id, { groupId: billingId });
      expect(after.groupId).toBe(billingId);
      expect(added).toEqual([
        expect.objectContaining({
          type: 'ticket.group_changed',
          actor: { type: 'user', id: alex.id },
          at,
          data: expect.objectContaining({ from: supportId, to: billingId }),
        }),
      ]);
    });

    it('records tags added, removed and replaced', async () => {
      const { ticket } = await openTicket({ tags: ['first'] });
      const added = await changeAndRecord(ticket.id, { addTags: ['Second', 'third'] });
      expect(added.ticket.tags).toEqual(['first', 'second', 'third']);
      expect(added.added).toEqual([
        expect.objectContaining({
          type: 'ticket.tags_changed',
          actor: { type: 'user', id: alex.id },
          at: added.at,
          data: expect.objectContaining({ added: ['second', 'third'], removed: [] }),
        }),
      ]);
      const removed = await changeAndRecord(ticket.id, { removeTags: ['FIRST'] });
      expect(removed.ticket.tags).toEqual(['second', 'third']);
      expect(removed.added).toEqual([
        expect.objectContaining({
          type: 'ticket.tags_changed',
          at: removed.at,
          data: expect.objectContaining({ added: [], removed: ['first'] }),
        }),
      ]);
      const replaced = await changeAndRecord(ticket.id, { tags: ['third', 'fourth'] });
      expect(replaced.ticket.tags).toEqual(['third', 'fourth']);
      expect(replaced.added).toEqual([
        expect.objectContaining({
          type: 'ticket.tags_changed',
          at: replaced.at,
          data: expect.objectContaining({ added: ['fourth'], removed: ['second'] }),
        }),
      ]);
    });

    it('records a priority change', async () => {
      const { ticket } = await openTicket();
      const { ticket: after, added, at } = await changeAndRecord(ticket.id, { priority: 'urgent' });
      expect(after.priority).toBe('urgent');
      expect(added).toEqual([
        expect.objectContaining({
          type: 'ticket.priority_changed',
          actor: { type: 'user', id: alex.id },
          at,
          data: expect.objectContaining({ from: 'normal', to: 'urgent' }),
        }),
      ]);
    });

    it('records a subject change', async () => {
      const { ticket } = await openTicket({ subject: 'Late order' });
      const {
        ticket: after,
        added,
        at,
      } = await changeAndRecord(ticket.id, { subject: 'Very late order' });
      expect(after.subject).toBe('Very late order');
      expect(added).toEqual([
        expect.objectContaining({
          type: 'ticket.subject_changed',
          actor: { type: 'user', id: alex.id },
          at,
          data: expect.objectContaining({ from: 'Late order', to: 'Very late order' }),
        }),
      ]);
    });

    it('changes nothing and records nothing when the patch restates the ticket', async () => {
      const { ticket } = await openTicket({ tags: ['same'] });
      const { ticket: after, added } = await changeAndRecord(ticket.id, {
        priority: 'normal',
        tags: ['same'],
        groupId: supportId,
      });
      expect(after.version).toBe(1);
      expect(added).toEqual([]);
    });

    it("refuses an assignee who is not a member of the ticket's group, and changes nothing", async () => {
      const { ticket } = await openTicket({ groupId: billingId });
      const r = await patch(ticket.id, { assigneeId: sam.id });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: { code: 'validation/invalid', field: 'assigneeId' } });
      const now = await api.call<Ticket>('GET', `/api/tickets/${ticket.id}`, { token: alex.token });
      expect(now.body).toMatchObject({ assigneeId: null, status: 'new', version: 1 });
    });

    it('refuses to move a ticket to a group its assignee is not a member of', async () => {
      const { ticket } = await openTicket({ groupId: supportId });
      await patch(ticket.id, { assigneeId: sam.id });
      const r = await patch(ticket.id, { groupId: billingId });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'groupId' });
      const now = await api.call<Ticket>('GET', `/api/tickets/${ticket.id}`, { token: alex.token });
      expect(now.body).toMatchObject({ groupId: supportId, assigneeId: sam.id });
    });

    it('moves a ticket to another group together with a new assignee who is a member there', async () => {
      const { ticket } = await openTicket({ groupId: supportId });
      await patch(ticket.id, { assigneeId: sam.id });
      const r = await patch(ticket.id, { groupId: billingId, assigneeId: alex.id });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ groupId: billingId, assigneeId: alex.id });
    });

    it('refuses a group or an assignee that does not exist, and changes nothing', async () => {
      const { ticket } = await openTicket();
      const ghost = '00000000-0000-7000-8000-000000000000';
      const group = await patch(ticket.id, { groupId: ghost, priority: 'high' });
      expect(group.status).toBe(404);
      expect(group.body.error).toMatchObject({ code: 'not-found', field: 'groupId' });
      const assignee = await patch(ticket.id, { assigneeId: ghost });
      expect(assignee.status).toBe(404);
      expect(assignee.body.error).toMatchObject({ code: 'not-found', field: 'assigneeId' });
      expect(
        (await api.call<Ticket>('GET', `/api/tickets/${ticket.id}`, { token: alex.token })).body,
      ).toMatchObject({ priority: 'normal', version: 1 });
    });

    it('refuses an update based on a version that is no longer current', async () => {
      const { ticket } = await openTicket();
      await patch(ticket.id, { priority: 'high' });
      const r = await patch(ticket.id, { priority: 'low', expectedVersion: 1 });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'conflict', field: 'expectedVersion' });
      expect(
        (await api.call<Ticket>('GET', `/api/tickets/${ticket.id}`, { token: alex.token })).body
          .priority,
      ).toBe('high');
    });

    it('refuses to solve a ticket nobody is assigned to', async () => {
      const { ticket } = await openTicket();
      const r = await patch(ticket.id, { status: 'solved' });
      expect(r.status).toBe(422);
      expect(r.body.error?.code).toBe('ticket/assignee-required');
    });

    it('loses no update when twenty agents tag one ticket at the same moment', async () => {
      const { ticket } = await openTicket();
      await patch(ticket.id, { assigneeId: alex.id });
      const tags = Array.from({ length: 20 }, (_, i) => `parallel-${i}`);
      const replies = await Promise.all(
        tags.map((tag, i) =>
          patch(ticket.id, { addTags: [tag] }, i % 2 === 0 ? alex.token : sam.token),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(tags.map(() => 200));
      const final = (
        await api.call<Ticket>('GET', `/api/tickets/${ticket.id}`, { token: alex.token })
      ).body;
      expect([...final.tags].sort()).toEqual([...tags].sort());
      expect(final.version).toBe(1 + 1 + 20);
      const tagEvents = (await history(ticket.id)).filter((e) => e.type === 'ticket.tags_changed');
      expect(tagEvents).toHaveLength(20);
      expect(tagEvents.flatMap((e) => e.data.added as string[]).sort()).toEqual([...tags].sort());
    });
  });

  describe('history and the customer', () => {
    it('lists public replies and internal notes in the ticket history', async () => {
      const { ticket, conversationId } = await openTicket();
      const reply = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: alex.token,
        body: { body: 'Looking into it' },
      });
      const note = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: sam.token,
        body: { body: 'Customer sounds upset', kind: 'internal' },
      });
      expect([reply.status, note.status]).toEqual([201, 201]);
      const lines = await history(ticket.id);
      expect(lines).toContainEqual(
        expect.objectContaining({
          type: 'message.public_reply',
          actor: { type: 'user', id: alex.id },
          data: expect.objectContaining({ body: 'Looking into it' }),
        }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({
          type: 'message.internal_note',
          actor: { type: 'user', id: sam.id },
          data: expect.objectContaining({ body: 'Customer sounds upset' }),
        }),
      );
      expect(lines[0]).toMatchObject({ type: 'ticket.created' });
    });

    it.each(['pending', 'on_hold', 'solved'] as const)(
      'reopens a ticket that is %s when the customer replies',
      async (status) => {
        const { ticket, conversationId, visitor } = await openTicket();
        await patch(ticket.id, { assigneeId: alex.id, status });
        const at = clock.advance(60_000).toISOString();
        const r = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
          token: visitor.token,
          body: { body: 'Any news?' },
        });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        const now = (
          await api.call<Ticket>('GET', `/api/tickets/${ticket.id}`, { token: alex.token })
        ).body;
        expect(now).toMatchObject({ status: 'open', assigneeId: alex.id, solvedAt: null });
        expect(await history(ticket.id)).toContainEqual(
          expect.objectContaining({
            type: 'ticket.status_changed',
            actor: { type: 'end_user', id: visitor.endUserId },
            at,
            data: expect.objectContaining({ from: status, to: 'open', cause: 'customer_reply' }),
          }),
        );
      },
    );

    it('ends the session and closes the conversation when a Solved ticket is closed; the next widget message starts anew', async () => {
      const { ticket, conversationId, visitor } = await openTicket();
      await patch(ticket.id, { assigneeId: alex.id, status: 'solved' });
      const closed = await patch(ticket.id, { status: 'closed' });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed' });
      expect(closed.body.closedAt).not.toBeNull();

      const conversation = (
        await api.call<Conversation>('GET', `/api/conversations/${conversationId}`, {
          token: visitor.token,
        })
      ).body;
      expect(conversation).toMatchObject({
        state: 'closed',
        session: { state: 'ended', endReason: 'ticket_closed' },
      });
      expect(await history(ticket.id)).toContainEqual(
        expect.objectContaining({
          type: 'session.ended',
          actor: { type: 'user', id: alex.id },
          data: expect.objectContaining({ reason: 'ticket_closed' }),
        }),
      );
      const feed = (
        await api.call<FeedEntry[]>('GET', `/api/conversations/${conversationId}/events?after=0`, {
          token: visitor.token,
        })
      ).body;
      const types = feed.map((e) => e.event.type);
      expect(feed.map((e) => e.event)).toContainEqual({
        type: 'session.ended',
        reason: 'ticket_closed',
      });
      expect(types).toContain('conversation.closed');
      expect(types).not.toContain('ticket.updated');

      const next = await api.call('POST', '/api/widget/messages', {
        token: visitor.token,
        body: { body: 'One more thing' },
      });
      expect(next.status).toBe(201);
      expect(next.body.started).toBe(true);
      expect(next.body.conversationId).not.toBe(conversationId);
    });

    it('refuses any change to a Closed ticket', async () => {
      const { ticket } = await openTicket();
      await patch(ticket.id, { assigneeId: alex.id, status: 'solved' });
      await patch(ticket.id, { status: 'closed' });
      const r = await patch(ticket.id, { status: 'open' });
      expect(r.status).toBe(409);
      expect(r.body.error?.code).toBe('ticket/closed');
    });

    it('refuses to close a ticket that is not Solved', async () => {
      const { ticket } = await openTicket();
      await patch(ticket.id, { assigneeId: alex.id });
      const r = await patch(ticket.id, { status: 'closed' });
      expect(r.status).toBe(409);
      expect(r.body.error?.code).toBe('ticket/illegal-transition');
    });
  });
});
