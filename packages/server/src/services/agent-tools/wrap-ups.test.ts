import type { Ticket, TicketEvent, TicketWrapUp, WrapUpReason } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { recordWrapUp } from './wrap-up-service.js';

describe.each(availableStorageKinds())('wrap-up reasons over HTTP on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let agent: { token: string; id: string };
  let supportId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const token = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    agent = { token, id: (await api.call('GET', '/api/me', { token })).body.id as string };
    supportId = (
      await api.call<{ id: string; name: string }[]>('GET', '/api/groups', { token: admin })
    ).body.find((g) => g.name === 'Support')!.id;
  });
  afterAll(async () => t.close());

  const createReason = async (name: string, position?: number) => {
    const r = await api.call<WrapUpReason>('POST', '/api/wrap-up-reasons', {
      token: admin,
      body: { name, ...(position !== undefined ? { position } : {}) },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };

  async function ticket(): Promise<Ticket> {
    clock.advance(1_000);
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hello' },
    });
    const handoff = await api.call<Ticket>(
      'POST',
      `/api/conversations/${started.body.conversation.id}/handoff`,
      { token: visitor.token, body: { groupId: supportId } },
    );
    return handoff.body;
  }

  const wrapUp = (ticketId: string, reasonIds: string[]) =>
    api.call('POST', `/api/tickets/${ticketId}/wrap-up`, {
      token: agent.token,
      body: { reasonIds },
    });

  it('lists the reasons admins made, by position', async () => {
    await createReason('Zzz last', 10);
    const first = await createReason('Aaa first', -10);
    const list = (
      await api.call<WrapUpReason[]>('GET', '/api/wrap-up-reasons', { token: agent.token })
    ).body;
    expect(list[0]).toEqual({ id: first.id, name: 'Aaa first', active: true, position: -10 });
    expect(list.at(-1)!.name).toBe('Zzz last');
  });

  it('refuses a second reason with the same name, whatever its case', async () => {
    await createReason('Billing question');
    const r = await api.call('POST', '/api/wrap-up-reasons', {
      token: admin,
      body: { name: 'billing QUESTION' },
    });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'conflict', field: 'name' });
  });

  it('stores the reasons an agent picks on the ticket and in its history', async () => {
    const solved = await createReason('Solved in chat');
    const upsell = await createReason('Upsell');
    const { id } = await ticket();
    const r = await wrapUp(id, [solved.id, upsell.id]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const stored = (
      await api.call<TicketWrapUp[]>('GET', `/api/tickets/${id}/wrap-up`, { token: agent.token })
    ).body;
    expect(stored.map((w) => [w.name, w.createdBy])).toEqual([
      ['Solved in chat', agent.id],
      ['Upsell', agent.id],
    ]);
    const history = (
      await api.call<TicketEvent[]>('GET', `/api/tickets/${id}/events`, { token: agent.token })
    ).body;
    expect(history.find((e) => e.type === 'ticket.wrapped_up')).toMatchObject({
      actor: { type: 'user', id: agent.id },
      data: { reasonIds: [solved.id, upsell.id], reasons: ['Solved in chat', 'Upsell'] },
    });
  });

  it('refuses a reason that does not exist, naming which', async () => {
    const known = await createReason('Known');
    const { id } = await ticket();
    const r = await wrapUp(id, [known.id, '0190aaaa-0000-7000-8000-000000000000']);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'reasonIds.1' });
    const stored = await api.call('GET', `/api/tickets/${id}/wrap-up`, { token: agent.token });
    expect(stored.body).toEqual([]);
  });

  it('refuses a reason that was turned off', async () => {
    const retired = await createReason('Retired');
    await api.call('PATCH', `/api/wrap-up-reasons/${retired.id}`, {
      token: admin,
      body: { active: false },
    });
    const { id } = await ticket();
    const r = await wrapUp(id, [retired.id]);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field: 'reasonIds.0' });
  });

  it('takes one to ten reasons', async () => {
    const { id } = await ticket();
    expect((await wrapUp(id, [])).status).toBe(400);
    const eleven = Array.from(
      { length: 11 },
      (_, i) => `0190aaaa-0000-7000-8000-0000000000${String(i).padStart(2, '0')}`,
    );
    expect((await wrapUp(id, eleven)).status).toBe(400);
  });

  it('refuses a wrap-up of a ticket that does not exist', async () => {
    const reason = await createReason('Orphan');
    const r = await wrapUp('0190aaaa-0000-7000-8000-000000000000', [reason.id]);
    expect(r.status).toBe(404);
  });

  it('deactivates a reason in use instead of deleting it, and the ticket keeps its name', async () => {
    const used = await createReason('Used once');
    const { id } = await ticket();
    await wrapUp(id, [used.id]);
    const r = await api.call('DELETE', `/api/wrap-up-reasons/${used.id}`, { token: admin });
    expect(r.body).toEqual({ outcome: 'deactivated' });
    const list = (await api.call<WrapUpReason[]>('GET', '/api/wrap-up-reasons', { token: admin }))
      .body;
    expect(list.find((x) => x.id === used.id)).toMatchObject({ active: false });
    const stored = await api.call('GET', `/api/tickets/${id}/wrap-up`, { token: agent.token });
    expect(stored.body.map((w: TicketWrapUp) => w.name)).toEqual(['Used once']);
  });

  it('deletes a reason no ticket has', async () => {
    const unused = await createReason('Never used');
    const r = await api.call('DELETE', `/api/wrap-up-reasons/${unused.id}`, { token: admin });
    expect(r.body).toEqual({ outcome: 'deleted' });
    const list = (await api.call<WrapUpReason[]>('GET', '/api/wrap-up-reasons', { token: admin }))
      .body;
    expect(list.map((x) => x.id)).not.toContain(unused.id);
  });

  it("records a wrap-up inside a caller's transaction (as ending a chat does)", async () => {
    const reason = await createReason('Ended by agent');
    const { id } = await ticket();
    await t.server.database.db.transaction().execute((trx) =>
      recordWrapUp(trx, {
        ticketId: id,
        reasonIds: [reason.id],
        actor: { type: 'user', id: agent.id, role: 'agent' },
        at: clock.now(),
      }),
    );
    const stored = await api.call('GET', `/api/tickets/${id}/wrap-up`, { token: agent.token });
    expect(stored.body.map((w: TicketWrapUp) => w.reasonId)).toEqual([reason.id]);
  });
});
