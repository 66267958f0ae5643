import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { RoutingTestBed, type TestAgent } from './routing-test-bed.js';

describe.each(availableStorageKinds())('agent status and presence on %s', (kind) => {
  let bed: RoutingTestBed;
  let ana: TestAgent;
  let ben: TestAgent;
  let groupId: string;
  let lunch: string;

  beforeAll(async () => {
    bed = await RoutingTestBed.start(kind);
    ana = await bed.newAgent('Ana');
    ben = await bed.newAgent('Ben');
    groupId = await bed.newGroup('Presence', [ana, ben], { offerTimeoutS: 30 });
    lunch = await createIdleReason('Lunch');
  });
  afterEach(async () => bed.reset());
  afterAll(async () => bed.close());

  async function createIdleReason(name: string): Promise<string> {
    const r = await bed.api.call('POST', '/api/idle-reasons', {
      token: bed.admin.token,
      body: { name },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  }

  /** Ana misses an offer: the system puts her in RONA. */
  async function missAnOffer(agent: TestAgent): Promise<void> {
    await bed.available(agent);
    const chat = await bed.handoff(groupId);
    expect(await bed.offeredTo(chat.ticketId, [agent])).toEqual([agent]);
    await bed.pass(31_000);
    expect((await bed.agentView(agent)).status).toBe('rona');
  }

  const statusEvents = async (agent: TestAgent) =>
    (
      await bed.api.call('GET', `/api/agents/${agent.id}/status-events`, {
        token: bed.admin.token,
      })
    ).body as { from: string; to: string; cause: string; idleReasonId: string | null }[];

  it('going Idle needs an existing, active idle reason', async () => {
    const retired = await createIdleReason('Retired reason');
    await bed.api.call('PATCH', `/api/idle-reasons/${retired}`, {
      token: bed.admin.token,
      body: { active: false },
    });

    const without = await bed.setStatus(ana, 'idle');
    const unknown = await bed.setStatus(ana, 'idle', randomUUID());
    const inactive = await bed.setStatus(ana, 'idle', retired);

    expect(without.status).toBe(400);
    expect(without.body.error).toMatchObject({ code: 'validation/invalid', field: 'status' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ field: 'idleReasonId' });
    expect(inactive.status).toBe(404);
    expect(await bed.agentView(ana)).toMatchObject({ status: 'offline', idleReasonId: null });

    expect((await bed.setStatus(ana, 'idle', lunch)).status).toBe(200);
    expect(await bed.agentView(ana)).toMatchObject({ status: 'idle', idleReasonId: lunch });
  });

  it('only the system sets RONA: neither the agent nor a supervisor can', async () => {
    await bed.available(ana);

    const byAgent = await bed.setStatus(ana, 'rona');
    const bySupervisor = await bed.api.call('PUT', `/api/agents/${ana.id}/status`, {
      token: bed.admin.token,
      body: { status: 'rona' },
    });

    expect(byAgent.status).toBe(409);
    expect(byAgent.body.error).toMatchObject({ code: 'routing/status-illegal', field: 'status' });
    expect(bySupervisor.status).toBe(409);
    expect((await bed.agentView(ana)).status).toBe('available');
  });

  it('an agent in RONA gets no offers until they choose Available again', async () => {
    await missAnOffer(ana);
    const chat = await bed.handoff(groupId);
    expect(await bed.offeredTo(chat.ticketId, [ana])).toEqual([]);

    expect((await bed.setStatus(ana, 'available')).status).toBe(200);
    await bed.settle();

    expect(await bed.offeredTo(chat.ticketId, [ana])).toEqual([ana]);
  });

  it('RONA is left by choosing Idle or Offline too', async () => {
    await missAnOffer(ana);
    expect((await bed.setStatus(ana, 'idle', lunch)).status).toBe(200);
    await missAnOffer(ben);
    expect((await bed.setStatus(ben, 'offline')).status).toBe(200);

    expect((await bed.agentView(ana)).status).toBe('idle');
    expect((await bed.agentView(ben)).status).toBe('offline');
  });

  it('going Idle withdraws pending offers: the ticket returns to the queue and the agent is told', async () => {
    const socket = await bed.connect(ana);
    await bed.available(ana);
    const chat = await bed.handoff(groupId);
    const offer = await bed.offerOf(ana, chat.ticketId);

    expect((await bed.setStatus(ana, 'idle', lunch)).status).toBe(200);

    await socket.next(
      (f) => f.type === 'offer.closed' && f.offerId === offer.id && f.outcome === 'withdrawn',
    );
    expect(await bed.offersOf(ana)).toEqual([]);
    expect(await bed.queued(chat.ticketId)).toMatchObject({ state: 'queued', position: 1 });
    expect(await bed.historyTypes(chat.ticketId)).toContain('routing.offer_withdrawn');
  });

  it('goes Offline once the grace period after the last socket closed has passed', async () => {
    await bed.settings({ presenceGraceS: 30 });
    const socket = await bed.connect(ana);
    await bed.available(ana);

    await bed.disconnect(ana, socket);
    await bed.pass(31_000);

    expect((await bed.agentView(ana)).status).toBe('offline');
    expect((await statusEvents(ana))[0]).toMatchObject({
      from: 'available',
      to: 'offline',
      cause: 'presence: all connections closed',
    });
  });

  it('keeps the status during the grace period, and while another socket stays open', async () => {
    await bed.settings({ presenceGraceS: 30 });
    const first = await bed.connect(ana);
    const second = await bed.connect(ana);
    await bed.available(ana);

    await bed.disconnect(ana, first, true);
    await bed.pass(60_000);
    expect((await bed.agentView(ana)).status).toBe('available');

    await bed.disconnect(ana, second);
    await bed.pass(29_000);
    expect((await bed.agentView(ana)).status).toBe('available');
  });

  it('stays in their status when they reconnect within the grace period', async () => {
    await bed.settings({ presenceGraceS: 30 });
    const socket = await bed.connect(ana);
    await bed.available(ana);

    await bed.disconnect(ana, socket);
    await bed.pass(20_000);
    await bed.connect(ana);
    await bed.pass(60_000);

    expect((await bed.agentView(ana)).status).toBe('available');
  });

  it('an agent going Offline hands their live messaging chats back to the queue', async () => {
    await bed.available(ana);
    const live = await bed.takeChat(ana, groupId);
    const ended = await bed.takeChat(ana, groupId);
    await bed.api.call('POST', `/api/conversations/${ended.conversationId}/end-session`, {
      token: ended.visitorToken,
      body: { reason: 'customer_left' },
    });

    expect((await bed.setStatus(ana, 'offline')).status).toBe(200);
    await bed.settle();

    expect(await bed.ticket(live.ticketId)).toMatchObject({ assigneeId: null, status: 'open' });
    expect(await bed.queued(live.ticketId)).toMatchObject({ state: 'queued' });
    const requeued = (await bed.history(live.ticketId)).find((e) => e.type === 'routing.requeued');
    expect(requeued?.data).toMatchObject({ fromAgentId: ana.id });
    // A chat whose session has ended is not live: it stays with its agent.
    expect(await bed.ticket(ended.ticketId)).toMatchObject({ assigneeId: ana.id });

    await bed.available(ben);
    expect(await bed.offeredTo(live.ticketId, [ben])).toEqual([ben]);
  });

  it('lists every status change with its cause', async () => {
    const cleo = await bed.newAgent('Cleo');
    await bed.api.call('PATCH', `/api/groups/${groupId}`, {
      token: bed.admin.token,
      body: { memberIds: [ana.id, ben.id, cleo.id] },
    });
    await bed.settings({ presenceGraceS: 10 });
    await missAnOffer(cleo);
    await bed.setStatus(cleo, 'idle', lunch);
    await bed.api.call('PUT', `/api/agents/${cleo.id}/status`, {
      token: bed.admin.token,
      body: { status: 'available' },
    });
    const socket = await bed.connect(cleo);
    await bed.disconnect(cleo, socket);
    await bed.pass(11_000);

    const events = await statusEvents(cleo);

    expect(
      events.map(({ from, to, cause, idleReasonId }) => ({ from, to, cause, idleReasonId })),
    ).toEqual([
      {
        from: 'available',
        to: 'offline',
        cause: 'presence: all connections closed',
        idleReasonId: null,
      },
      { from: 'idle', to: 'available', cause: `set by ${bed.admin.id}`, idleReasonId: null },
      { from: 'rona', to: 'idle', cause: 'agent', idleReasonId: lunch },
      { from: 'available', to: 'rona', cause: 'no answer to an offer', idleReasonId: null },
      { from: 'offline', to: 'available', cause: 'agent', idleReasonId: null },
    ]);
  });
});
