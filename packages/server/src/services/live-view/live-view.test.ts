import type { FeedEntry, LiveAgent, LiveModel, LiveQueue, ServerFrame } from '@parlour/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { TestSocket } from '../../testing/ws-client.js';
import { RoutingTestBed, type TestAgent, type TestChat } from '../routing/routing-test-bed.js';

type Update = Extract<ServerFrame, { type: 'live.update' }>;

describe.each(availableStorageKinds())('supervisor live view on %s', (kind) => {
  let bed: RoutingTestBed;
  let ana: TestAgent;
  let ben: TestAgent;
  let carl: TestAgent;
  let sue: TestAgent;
  let support: string;
  let billing: string;

  beforeAll(async () => {
    bed = await RoutingTestBed.start(kind);
    ana = await bed.newAgent('Ana');
    ben = await bed.newAgent('Ben');
    carl = await bed.newAgent('Carl');
    sue = await newSupervisor('Sue');
    support = await bed.newGroup('Support', [ana, ben, sue], { offerTimeoutS: 30 });
    billing = await bed.newGroup('Billing', [carl], { offerTimeoutS: 30 });
  });
  afterEach(async () => bed.reset());
  afterAll(async () => bed.close());

  async function newSupervisor(name: string): Promise<TestAgent> {
    const email = `${name.toLowerCase()}-${Date.now()}@parlour.example`;
    const created = await bed.api.call<{ id: string }>('POST', '/api/users', {
      token: bed.admin.token,
      body: { role: 'supervisor', email, name, password: 'parlour-supervisor' },
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, token: await bed.api.login(email, 'parlour-supervisor') };
  }

  /** A supervisor's socket with the live view subscribed; resolves to the snapshot. */
  async function watch(who: TestAgent): Promise<{ socket: TestSocket; model: LiveModel }> {
    const socket = await TestSocket.open(bed.t.url, who.token);
    socket.send({ type: 'live.subscribe', ref: 'live' });
    const snapshot = await socket.next<'live.snapshot'>((f) => f.type === 'live.snapshot');
    watching.push(socket);
    return { socket, model: snapshot.model };
  }
  const watching: TestSocket[] = [];
  afterEach(async () => {
    for (const s of watching.splice(0)) await s.close();
  });

  /** The next update in which this agent's row matches. */
  const agentUpdate = (socket: TestSocket, id: string, ok: (a: LiveAgent) => boolean) =>
    socket.next<'live.update'>(
      (f) => f.type === 'live.update' && f.update.agents.some((a) => a.id === id && ok(a)),
    );
  const queueUpdate = (socket: TestSocket, id: string, ok: (q: LiveQueue) => boolean) =>
    socket.next<'live.update'>(
      (f) => f.type === 'live.update' && f.update.queues.some((q) => q.groupId === id && ok(q)),
    );
  const agentIn = (u: Update, id: string) => u.update.agents.find((a) => a.id === id)!;

  const live = async (who: TestAgent) =>
    (await bed.api.call<LiveModel>('GET', '/api/live', { token: who.token })).body;

  const feed = async (chat: TestChat, token: string) =>
    (
      await bed.api.call<FeedEntry[]>('GET', `/api/conversations/${chat.conversationId}/events`, {
        token,
      })
    ).body;

  it("shows a supervisor only their groups' queues and the agents in them", async () => {
    const { model } = await watch(sue);

    expect(model.queues.map((q) => q.groupId)).toEqual([support]);
    const ids = model.agents.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining([ana.id, ben.id, sue.id]));
    expect(ids).not.toContain(carl.id);
    expect(ids).not.toContain(bed.admin.id);
  });

  it('shows admins every queue and agent', async () => {
    const model = await live(bed.admin);

    expect(model.queues.map((q) => q.groupId)).toEqual(expect.arrayContaining([support, billing]));
    expect(model.agents.map((a) => a.id)).toEqual(expect.arrayContaining([ana.id, carl.id]));
  });

  it('refuses the live view to agents', async () => {
    const socket = await TestSocket.open(bed.t.url, ana.token);
    watching.push(socket);
    socket.send({ type: 'live.subscribe', ref: 'x' });

    const error = await socket.next<'error'>((f) => f.type === 'error');
    expect(error.code).toBe('auth/forbidden');
    expect((await bed.api.call('GET', '/api/live', { token: ana.token })).status).toBe(403);
  });

  it('pushes an agent going RONA, the pending offer and the missed count without asking', async () => {
    const { socket, model } = await watch(sue);
    expect(model.queues[0]).toMatchObject({ waiting: 0, offersPending: 0, missedLast30m: 0 });
    await bed.connect(ana);
    await bed.available(ana);
    await agentUpdate(socket, ana.id, (a) => a.status === 'available' && a.online);

    const chat = await bed.handoff(support);
    const offered = await queueUpdate(socket, support, (q) => q.offersPending === 1);
    expect(offered.update.queues[0]!.longestWaitingSince).not.toBeNull();
    await bed.pass(31_000);

    const rona = await agentUpdate(socket, ana.id, (a) => a.status === 'rona');
    expect(agentIn(rona, ana.id).statusSince).toBe(bed.clock.now().toISOString());
    expect(rona.update.queues).toEqual([
      expect.objectContaining({ groupId: support, waiting: 1, offersPending: 0, missedLast30m: 1 }),
    ]);
    expect((await bed.ticket(chat.ticketId)).assigneeId).toBeNull();
  });

  it("re-reads only what a change concerns: the agent's row and their queue's counts", async () => {
    const hub = bed.t.server.services.liveView;
    const { socket } = await watch(sue);
    const before = { ...hub.reads };

    await bed.available(ana);
    const status = await agentUpdate(socket, ana.id, (a) => a.status === 'available');
    expect(status.update.agents.map((a) => a.id)).toEqual([ana.id]);
    expect(status.update.removedAgentIds).toEqual([]);
    await bed.handoff(support);
    const queued = await queueUpdate(socket, support, (q) => q.offersPending === 1);
    expect(queued.update.queues.map((q) => q.groupId)).toEqual([support]);
    expect(queued.update.agents.every((a) => a.id === ana.id)).toBe(true);

    // Targeted reads only (but for the 15 s sweep, which re-reads everything).
    expect(hub.reads.targeted).toBeGreaterThan(before.targeted);
    expect(hub.reads.full - before.full).toBeLessThanOrEqual(hub.reads.sweeps - before.sweeps);
    // What was patched is what the database says.
    const truth = await live(sue);
    expect(truth.queues).toEqual([expect.objectContaining(queued.update.queues[0]!)]);
    expect(truth.agents.find((a) => a.id === ana.id)).toMatchObject({ status: 'available' });
  });

  it('coalesces a burst of signals into two targeted reads, sending nothing when nothing changed', async () => {
    const hub = bed.t.server.services.liveView;
    const { socket } = await watch(sue);
    await bed.settle();
    await new Promise((r) => setTimeout(r, 100));
    const before = { ...hub.reads };
    const framesBefore = socket.frames.length;

    for (let i = 0; i < 40; i++)
      hub.changed({ users: [[ana, ben, carl, sue][i % 4]!.id], conversations: [] });

    // The first signal is read at once, the 39 others together after it.
    await expect.poll(() => hub.reads.targeted - before.targeted).toBe(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(hub.reads.targeted - before.targeted).toBe(2);
    expect(hub.reads.full - before.full).toBeLessThanOrEqual(hub.reads.sweeps - before.sweeps);
    expect(socket.frames.slice(framesBefore).filter((f) => f.type === 'live.update')).toEqual([]);
  });

  it('falls back to reading everything on a signal it cannot target', async () => {
    const hub = bed.t.server.services.liveView;
    const { socket } = await watch(sue);
    const before = { ...hub.reads };

    await bed.available(ana);
    hub.changed(1);

    await agentUpdate(socket, ana.id, (a) => a.status === 'available');
    await expect.poll(() => hub.reads.full - before.full).toBeGreaterThanOrEqual(1);
  });

  it('counts a missed offer for 30 minutes only', async () => {
    await bed.available(ana);
    await bed.handoff(support);
    await bed.pass(31_000);
    expect((await live(sue)).queues[0]!.missedLast30m).toBe(1);

    await bed.pass(29 * 60 * 1000);
    expect((await live(sue)).queues[0]!.missedLast30m).toBe(1);
    await bed.pass(2 * 60 * 1000);

    expect((await live(sue)).queues[0]!.missedLast30m).toBe(0);
  });

  it("shows each agent's open conversations and capacity used and free per channel", async () => {
    await bed.available(ana);
    const chat = await bed.takeChat(ana, support);

    const me = (await live(sue)).agents.find((a) => a.id === ana.id)!;

    expect(me.conversations.map((c) => c.conversationId)).toEqual([chat.conversationId]);
    expect(me.messaging).toEqual({ used: 1, capacity: 3, free: 2 });
    expect(me.email).toEqual({ used: 0, capacity: 10, free: 10 });
  });

  it('lets a supervisor set an agent in their groups Available, and refuses one outside (403)', async () => {
    const { socket } = await watch(sue);
    await bed.available(ana, carl);
    await bed.handoff(support);
    await bed.pass(31_000);
    await agentUpdate(socket, ana.id, (a) => a.status === 'rona');

    const mine = await bed.api.call('PUT', `/api/agents/${ana.id}/status`, {
      token: sue.token,
      body: { status: 'available' },
    });
    const outside = await bed.api.call('PUT', `/api/agents/${carl.id}/status`, {
      token: sue.token,
      body: { status: 'offline' },
    });

    expect(mine.status).toBe(200);
    await agentUpdate(socket, ana.id, (a) => a.status === 'available');
    expect(outside.status).toBe(403);
    expect(outside.body).toMatchObject({ error: { code: 'auth/forbidden' } });
    expect((await bed.agentView(carl)).status).toBe('available');
  });

  it('reassigns a conversation to another agent of the group, and refuses outside the groups', async () => {
    await bed.available(ana, carl);
    const chat = await bed.takeChat(ana, support);
    await bed.available(ben);

    const toCarl = await bed.api.call(
      'POST',
      `/api/live/conversations/${chat.conversationId}/reassign`,
      {
        token: sue.token,
        body: { agentId: carl.id },
      },
    );
    const toBen = await bed.api.call(
      'POST',
      `/api/live/conversations/${chat.conversationId}/reassign`,
      {
        token: sue.token,
        body: { agentId: ben.id },
      },
    );
    await bed.settle();

    expect(toCarl.status).toBe(403);
    expect(toBen.status).toBe(200);
    await bed.accept(ben, chat.ticketId);
    expect((await bed.ticket(chat.ticketId)).assigneeId).toBe(ben.id);
  });

  it('monitors a chat silently: nothing is added to the feed, the customer sees nothing', async () => {
    await bed.available(ana);
    const chat = await bed.takeChat(ana, support);
    const customerBefore = await feed(chat, chat.visitorToken);
    const staffBefore = await feed(chat, bed.admin.token);

    const monitor = await bed.api.call(
      'POST',
      `/api/live/conversations/${chat.conversationId}/monitor`,
      {
        token: sue.token,
      },
    );
    const socket = await TestSocket.open(bed.t.url, sue.token);
    watching.push(socket);
    socket.send({
      type: 'subscribe',
      conversationId: chat.conversationId,
      afterSeq: monitor.body.lastSeq,
    });
    await socket.next((f) => f.type === 'subscribed');
    await bed.api.call('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: chat.visitorToken,
      body: { body: 'Is anyone there?' },
    });

    expect(monitor.status).toBe(200);
    expect(monitor.body).toMatchObject({ ticketId: chat.ticketId, assigneeId: ana.id });
    const heard = await socket.next<'event'>((f) => f.type === 'event');
    expect(heard.entry.event).toMatchObject({ type: 'message.created' });
    const customerAfter = await feed(chat, chat.visitorToken);
    expect(customerAfter.slice(0, customerBefore.length)).toEqual(customerBefore);
    expect(customerAfter.slice(customerBefore.length).map((e) => e.event.type)).toEqual([
      'message.created',
    ]);
    expect((await feed(chat, bed.admin.token)).length).toBe(staffBefore.length + 1);
  });

  it('whispers to the agent: an internal note the customer never sees', async () => {
    await bed.available(ana);
    const chat = await bed.takeChat(ana, support);
    const agentSocket = await TestSocket.open(bed.t.url, ana.token);
    const customerSocket = await TestSocket.open(bed.t.url, chat.visitorToken);
    watching.push(agentSocket, customerSocket);
    for (const s of [agentSocket, customerSocket]) {
      s.send({ type: 'subscribe', conversationId: chat.conversationId, afterSeq: 0 });
      await s.next((f) => f.type === 'subscribed');
    }

    const whisper = await bed.api.call(
      'POST',
      `/api/live/conversations/${chat.conversationId}/whisper`,
      {
        token: sue.token,
        body: { body: 'Offer the refund' },
      },
    );
    await bed.api.call('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: chat.visitorToken,
      body: { body: 'Still here' },
    });

    expect(whisper.status).toBe(201);
    expect(whisper.body).toMatchObject({ kind: 'internal', authorId: sue.id });
    const toAgent = await agentSocket.next<'event'>(
      (f) => f.type === 'event' && JSON.stringify(f.entry).includes('Offer the refund'),
    );
    expect(toAgent.entry.event.type).toBe('message.created');
    await customerSocket.next(
      (f) => f.type === 'event' && JSON.stringify(f.entry).includes('Still here'),
    );
    expect(JSON.stringify(customerSocket.frames)).not.toContain('Offer the refund');
    expect(JSON.stringify(await feed(chat, chat.visitorToken))).not.toContain('Offer the refund');
  });

  it('barges in: the customer sees the supervisor join, then their message (once joined, no second join)', async () => {
    await bed.available(ana);
    const chat = await bed.takeChat(ana, support);
    const before = (await feed(chat, chat.visitorToken)).length;

    const first = await bed.api.call(
      'POST',
      `/api/live/conversations/${chat.conversationId}/barge`,
      {
        token: sue.token,
        body: { body: 'Hello, I am the supervisor' },
      },
    );
    await bed.api.call('POST', `/api/live/conversations/${chat.conversationId}/barge`, {
      token: sue.token,
      body: { body: 'We will sort this out' },
    });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'public', authorId: sue.id });
    const seen = (await feed(chat, chat.visitorToken)).slice(before).map((e) => e.event);
    expect(seen.map((e) => e.type)).toEqual(['agent.joined', 'message.created', 'message.created']);
    expect(seen[0]).toMatchObject({ agentId: sue.id, agentName: 'Sue' });
  });

  it("refuses every conversation action outside the supervisor's groups (403), changing nothing", async () => {
    await bed.available(carl);
    const chat = await bed.takeChat(carl, billing);
    const before = await feed(chat, bed.admin.token);

    const answers = await Promise.all(
      ['monitor', 'whisper', 'barge'].map((action) =>
        bed.api.call('POST', `/api/live/conversations/${chat.conversationId}/${action}`, {
          token: sue.token,
          ...(action === 'monitor' ? {} : { body: { body: 'hi' } }),
        }),
      ),
    );

    expect(answers.map((a) => a.status)).toEqual([403, 403, 403]);
    expect(await feed(chat, bed.admin.token)).toEqual(before);
  });

  it('refuses a whisper without text, naming the field', async () => {
    await bed.available(ana);
    const chat = await bed.takeChat(ana, support);

    const empty = await bed.api.call(
      'POST',
      `/api/live/conversations/${chat.conversationId}/whisper`,
      {
        token: sue.token,
        body: { body: '' },
      },
    );

    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('body');
  });
});
