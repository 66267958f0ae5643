import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { RoutingTestBed, type TestAgent } from './routing-test-bed.js';

describe.each(availableStorageKinds())('transfer and bad input on %s', (kind) => {
  let bed: RoutingTestBed;
  let ana: TestAgent;
  let ben: TestAgent;
  let kim: TestAgent;
  let front: string;
  let back: string;

  beforeAll(async () => {
    bed = await RoutingTestBed.start(kind);
    ana = await bed.newAgent('Ana');
    ben = await bed.newAgent('Ben');
    kim = await bed.newAgent('Kim');
    front = await bed.newGroup('Front desk', [ana, ben]);
    back = await bed.newGroup('Back office', [kim]);
  });
  afterEach(async () => bed.reset());
  afterAll(async () => bed.close());

  const transfer = (ticketId: string, body: Record<string, string>) =>
    bed.api.call('POST', `/api/tickets/${ticketId}/transfer`, { token: ana.token, body });

  /** Ana holds a chat of the front desk. */
  async function anasChat() {
    await bed.available(ana);
    return bed.takeChat(ana, front);
  }

  it('transfer to a queue: the ticket is unassigned, waits in that group and is offered there', async () => {
    const chat = await anasChat();

    const r = await transfer(chat.ticketId, { groupId: back });

    expect(r.status).toBe(200);
    expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: null, groupId: back });
    expect(await bed.queued(chat.ticketId)).toMatchObject({ state: 'queued', groupId: back });
    expect((await bed.agentView(ana)).load.messaging).toBe(0);
    expect(await bed.offeredTo(chat.ticketId, [ana, ben, kim])).toEqual([]);
    const transferred = (await bed.history(chat.ticketId)).find(
      (e) => e.type === 'routing.transferred',
    );
    expect(transferred?.data).toMatchObject({ toGroupId: back, toAgentId: null });

    await bed.available(ben, kim);
    expect(await bed.offeredTo(chat.ticketId, [ana, ben, kim])).toEqual([kim]);
  });

  it('transfer to an agent: the ticket is offered to that agent only', async () => {
    const chat = await anasChat();
    // Ben is in the ticket's group and has more room; the transfer still names Kim.
    await bed.capacity(ben, { messaging: 8 });
    await bed.available(ben, kim);

    const r = await transfer(chat.ticketId, { agentId: kim.id });

    expect(r.status).toBe(200);
    await bed.settle();
    expect(await bed.offeredTo(chat.ticketId, [ana, ben, kim])).toEqual([kim]);
    await bed.accept(kim, chat.ticketId);
    expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: kim.id, status: 'open' });
  });

  it('transfer to an agent waits for that agent when they have no room', async () => {
    const chat = await anasChat();
    await bed.capacity(kim, { messaging: 0 });
    await bed.available(ben, kim);

    expect((await transfer(chat.ticketId, { agentId: kim.id })).status).toBe(200);
    await bed.settle();

    expect(await bed.offeredTo(chat.ticketId, [ana, ben, kim])).toEqual([]);
    expect((await bed.queued(chat.ticketId))?.reason).toMatch(/capacity/);
    await bed.capacity(kim, { messaging: null });
    expect(await bed.offeredTo(chat.ticketId, [ana, ben, kim])).toEqual([kim]);
  });

  it('a ticket transferred to an agent who then goes Offline returns to its group', async () => {
    const chat = await anasChat();
    await bed.available(kim);
    expect((await transfer(chat.ticketId, { agentId: kim.id })).status).toBe(200);
    await bed.settle();
    expect(await bed.offeredTo(chat.ticketId, [kim])).toEqual([kim]);
    await bed.setStatus(ana, 'offline');

    await bed.setStatus(kim, 'offline');
    await bed.available(ben);

    expect(await bed.offeredTo(chat.ticketId, [ana, ben, kim])).toEqual([ben]);
  });

  it('transfer to an Offline agent is refused with 409 routing/agent-offline and changes nothing', async () => {
    const chat = await anasChat();
    const before = await bed.history(chat.ticketId);

    const r = await transfer(chat.ticketId, { agentId: kim.id });

    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'routing/agent-offline', field: 'agentId' });
    expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: ana.id, groupId: front });
    expect(await bed.history(chat.ticketId)).toEqual(before);
  });

  it('transfer to an unknown queue or agent is refused with 404 on the field and changes nothing', async () => {
    const chat = await anasChat();
    const before = await bed.history(chat.ticketId);

    const toQueue = await transfer(chat.ticketId, { groupId: randomUUID() });
    const toAgent = await transfer(chat.ticketId, { agentId: randomUUID() });

    expect(toQueue.status).toBe(404);
    expect(toQueue.body.error).toMatchObject({ code: 'not-found', field: 'groupId' });
    expect(toAgent.status).toBe(404);
    expect(toAgent.body.error).toMatchObject({ code: 'not-found', field: 'agentId' });
    expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: ana.id, groupId: front });
    expect(await bed.history(chat.ticketId)).toEqual(before);
  });

  it('refuses a capacity below zero with 400 and changes nothing', async () => {
    await bed.capacity(ana, { messaging: 2 });

    const r = await bed.api.call('PUT', `/api/agents/${ana.id}/capacity`, {
      token: bed.admin.token,
      body: { messaging: -1 },
    });

    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'messaging' });
    expect((await bed.agentView(ana)).capacity.messaging).toBe(2);
  });

  it("refuses to accept someone else's offer with 404, and the offer stays theirs", async () => {
    await bed.available(ana);
    const chat = await bed.handoff(front);
    const offer = await bed.offerOf(ana, chat.ticketId);

    const r = await bed.api.call('POST', `/api/offers/${offer.id}/accept`, { token: ben.token });

    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not-found', field: 'offerId' });
    expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: null });
    expect(await bed.offeredTo(chat.ticketId, [ana])).toEqual([ana]);
  });

  it('refuses a second accept of the same offer with 409 routing/offer-closed', async () => {
    await bed.available(ana);
    const chat = await bed.handoff(front);
    const offer = await bed.offerOf(ana, chat.ticketId);
    const accept = () =>
      bed.api.call('POST', `/api/offers/${offer.id}/accept`, { token: ana.token });

    expect((await accept()).status).toBe(200);
    const again = await accept();

    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'routing/offer-closed', field: 'offerId' });
    expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: ana.id, status: 'open' });
  });
});
