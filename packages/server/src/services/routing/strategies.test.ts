import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { RoutingTestBed, type TestAgent } from './routing-test-bed.js';

describe.each(availableStorageKinds())('strategies and capacity on %s', (kind) => {
  let bed: RoutingTestBed;
  let ana: TestAgent;
  let ben: TestAgent;

  beforeAll(async () => {
    bed = await RoutingTestBed.start(kind);
    ana = await bed.newAgent('Ana');
    ben = await bed.newAgent('Ben');
  });
  afterEach(async () => bed.reset());
  afterAll(async () => bed.close());

  /** Who is offered each of `count` chats handed off one after another, a second apart. */
  async function offerSequence(groupId: string, count: number): Promise<string[]> {
    const order: string[] = [];
    for (let i = 0; i < count; i++) {
      await bed.pass(1_000);
      const chat = await bed.handoff(groupId);
      const [agent] = await bed.offeredTo(chat.ticketId, [ana, ben]);
      order.push(agent === ana ? 'ana' : agent === ben ? 'ben' : 'nobody');
    }
    return order;
  }

  it('offers to the agent with the most spare capacity by default', async () => {
    await bed.capacity(ana, { messaging: 6 });
    await bed.capacity(ben, { messaging: 3 });
    const groupId = await bed.newGroup('Default', [ana, ben]);
    expect(
      (await bed.api.call('GET', `/api/groups/${groupId}/routing`, { token: ana.token })).body
        .strategy,
    ).toBe('most_spare_capacity');
    await bed.available(ana, ben);

    const order = await offerSequence(groupId, 5);

    // Ana has 6 free, Ben 3: Ana until they are level, then whoever has more room.
    expect(order.slice(0, 3)).toEqual(['ana', 'ana', 'ana']);
    expect(order.slice(3).sort()).toEqual(['ana', 'ben']);
  });

  it('round robin offers to whoever was offered longest ago, whatever their room', async () => {
    await bed.capacity(ana, { messaging: 10 });
    const groupId = await bed.newGroup('Round robin', [ana, ben], { strategy: 'round_robin' });
    await bed.available(ana, ben);

    const order = await offerSequence(groupId, 4);

    expect([...order].sort()).toEqual(['ana', 'ana', 'ben', 'ben']);
    expect(order[0]).not.toBe(order[1]);
    expect(order[1]).not.toBe(order[2]);
    expect(order[2]).not.toBe(order[3]);
  });

  it('least open conversations offers to the agent with the fewest open tickets', async () => {
    const groupId = await bed.newGroup('Least open', [ana, ben], { strategy: 'least_open' });
    // Ana has far more room, but two open chats; Ben, offered work last, has fewer.
    await bed.capacity(ana, { messaging: 10 });
    await bed.available(ana);
    await bed.takeChat(ana, groupId);
    await bed.takeChat(ana, groupId);
    await bed.available(ben);
    await bed.pass(1_000);

    const third = await bed.handoff(groupId);
    expect(await bed.offeredTo(third.ticketId, [ana, ben])).toEqual([ben]);
    await bed.accept(ben, third.ticketId);
    await bed.pass(1_000);
    const fourth = await bed.handoff(groupId);

    expect(await bed.offeredTo(fourth.ticketId, [ana, ben])).toEqual([ben]);
  });

  it('only online: an Available agent without a live connection is skipped', async () => {
    // Ben has more room, but no socket open.
    await bed.capacity(ben, { messaging: 6 });
    const groupId = await bed.newGroup('Online only', [ana, ben], { onlyOnline: true });
    await bed.connect(ana);
    await bed.available(ana, ben);

    const chat = await bed.handoff(groupId);

    expect(await bed.offeredTo(chat.ticketId, [ana, ben])).toEqual([ana]);
    const offered = (await bed.history(chat.ticketId)).find((e) => e.type === 'routing.offered');
    expect(offered?.data.considered).toEqual(
      expect.arrayContaining([expect.objectContaining({ agentId: ben.id, outcome: 'offline' })]),
    );
  });

  it('only online: a ticket waits, saying why, while no available agent is connected', async () => {
    const groupId = await bed.newGroup('Online only', [ben], { onlyOnline: true });
    await bed.available(ben);

    const chat = await bed.handoff(groupId);

    expect(await bed.offeredTo(chat.ticketId, [ben])).toEqual([]);
    expect((await bed.queued(chat.ticketId))?.reason).toMatch(/online/);
  });

  it('auto-accept assigns the ticket, Open, without an offer', async () => {
    const groupId = await bed.newGroup('Auto', [ana], { autoAccept: true });
    await bed.available(ana);

    const chat = await bed.handoff(groupId);

    expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: ana.id, status: 'open' });
    expect(await bed.offersOf(ana)).toEqual([]);
    const history = await bed.history(chat.ticketId);
    expect(history.find((e) => e.type === 'routing.offered')?.data).toMatchObject({
      agentId: ana.id,
      autoAccepted: true,
    });
    expect(history.find((e) => e.type === 'routing.offer_accepted')?.actor).toMatchObject({
      type: 'system',
    });
  });

  it('the admin default capacity applies to every agent without an override', async () => {
    await bed.settings({ messagingCapacity: 1 });
    const groupId = await bed.newGroup('Default capacity', [ana]);
    await bed.available(ana);

    const first = await bed.handoff(groupId);
    const second = await bed.handoff(groupId);

    expect(await bed.offeredTo(first.ticketId, [ana])).toEqual([ana]);
    expect(await bed.offeredTo(second.ticketId, [ana])).toEqual([]);
    expect(await bed.agentView(ana)).toMatchObject({
      capacity: { messaging: 1, email: 10 },
      load: { messaging: 1, email: 0 },
    });
  });

  it("a per-agent override replaces the default for that agent's channel only", async () => {
    await bed.settings({ messagingCapacity: 1, emailCapacity: 4 });
    await bed.capacity(ben, { messaging: 2 });
    const groupId = await bed.newGroup('Override', [ben]);
    await bed.available(ben);

    const chats = [
      await bed.handoff(groupId),
      await bed.handoff(groupId),
      await bed.handoff(groupId),
    ];

    expect((await bed.offersOf(ben)).map((o) => o.ticketId).sort()).toEqual(
      chats
        .slice(0, 2)
        .map((c) => c.ticketId)
        .sort(),
    );
    expect(await bed.agentView(ben)).toMatchObject({
      capacity: { messaging: 2, email: 4 },
      load: { messaging: 2, email: 0 },
    });
    expect((await bed.queued(chats[2]!.ticketId))?.reason).toMatch(/capacity/);
  });

  it('Pending, On-hold and Solved free capacity for the next chat', async () => {
    await bed.capacity(ana, { messaging: 1 });
    const groupId = await bed.newGroup('Freeing', [ana]);
    await bed.available(ana);
    const held = [
      await bed.takeChat(ana, groupId),
      await bed.handoff(groupId),
      await bed.handoff(groupId),
      await bed.handoff(groupId),
    ];

    for (const [i, status] of (['pending', 'on_hold', 'solved'] as const).entries()) {
      expect(await bed.offeredTo(held[i + 1]!.ticketId, [ana])).toEqual([]);
      const r = await bed.api.call('PATCH', `/api/tickets/${held[i]!.ticketId}`, {
        token: ana.token,
        body: { status },
      });
      expect(r.status).toBe(200);
      await bed.settle();
      expect(await bed.offeredTo(held[i + 1]!.ticketId, [ana])).toEqual([ana]);
      await bed.accept(ana, held[i + 1]!.ticketId);
    }
  });

  it('a customer reply that reopens a ticket counts against capacity again', async () => {
    await bed.capacity(ana, { messaging: 1 });
    const groupId = await bed.newGroup('Reopening', [ana]);
    await bed.available(ana);
    const chat = await bed.takeChat(ana, groupId);
    await bed.api.call('PATCH', `/api/tickets/${chat.ticketId}`, {
      token: ana.token,
      body: { status: 'pending' },
    });
    expect((await bed.agentView(ana)).load.messaging).toBe(0);

    const reply = await bed.api.call('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: chat.visitorToken,
      body: { body: 'Any news?' },
    });
    expect(reply.status).toBe(201);

    expect(await bed.ticket(chat.ticketId)).toMatchObject({ status: 'open' });
    expect((await bed.agentView(ana)).load.messaging).toBe(1);
    const next = await bed.handoff(groupId);
    expect(await bed.offeredTo(next.ticketId, [ana])).toEqual([]);
  });

  it('ending the session frees messaging capacity and leaves email capacity alone', async () => {
    await bed.capacity(ana, { messaging: 1 });
    const groupId = await bed.newGroup('Ending', [ana]);
    await bed.available(ana);
    const chat = await bed.takeChat(ana, groupId);
    const waiting = await bed.handoff(groupId);
    expect((await bed.agentView(ana)).load).toEqual({ messaging: 1, email: 0 });

    const ended = await bed.api.call(
      'POST',
      `/api/conversations/${chat.conversationId}/end-session`,
      {
        token: chat.visitorToken,
        body: { reason: 'customer_left' },
      },
    );
    expect(ended.status).toBe(200);
    await bed.settle();

    expect(await bed.ticket(chat.ticketId)).toMatchObject({ status: 'open', assigneeId: ana.id });
    expect(await bed.offeredTo(waiting.ticketId, [ana])).toEqual([ana]);
    expect((await bed.agentView(ana)).load).toEqual({ messaging: 1, email: 0 });
  });
});
