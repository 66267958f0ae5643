import type { PredefinedResponse, RenderedResponse, Ticket } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';

describe.each(availableStorageKinds())('predefined responses over HTTP on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let agent: string;
  let supportId: string;
  let billingId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    const groups = (
      await api.call<{ id: string; name: string }[]>('GET', '/api/groups', { token: admin })
    ).body;
    supportId = groups.find((g) => g.name === 'Support')!.id;
    billingId = groups.find((g) => g.name === 'Billing')!.id;
    for (const body of [
      {
        title: 'Greeting',
        shortcut: 'hi',
        body: 'Hi {{requester.first_name}}, I am {{agent.first_name}}.',
      },
      {
        title: 'Refund policy',
        shortcut: 'refund',
        body: 'Refunds take 5 days.',
        groupId: billingId,
      },
      { title: 'Shipping times', shortcut: 'ship', body: 'Parcels arrive within a WEEK.' },
      { title: '100% sure', body: 'I am sure.' },
    ]) {
      const r = await api.call('POST', '/api/responses', { token: admin, body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
  });
  afterAll(async () => t.close());

  const search = async (query: string) => {
    const r = await api.call<RenderedResponse[]>('GET', `/api/responses?${query}`, {
      token: agent,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  async function ticketIn(groupId: string) {
    clock.advance(1_000);
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hello' },
    });
    const conversationId = started.body.conversation.id as string;
    return (
      await api.call<Ticket>('POST', `/api/conversations/${conversationId}/handoff`, {
        token: visitor.token,
        body: { groupId },
      })
    ).body;
  }

  it('finds responses by title, shortcut or text, whatever the case', async () => {
    expect((await search('q=POLICY')).map((r) => r.title)).toEqual(['Refund policy']);
    expect((await search('q=ship')).map((r) => r.title)).toEqual(['Shipping times']);
    expect((await search('q=week')).map((r) => r.title)).toEqual(['Shipping times']);
  });

  it('puts the response whose shortcut was typed first, with or without the slash', async () => {
    expect((await search('q=%2Fhi'))[0]!.title).toBe('Greeting');
  });

  it('matches % and _ as themselves', async () => {
    expect((await search('q=100%25')).map((r) => r.title)).toEqual(['100% sure']);
    expect(await search('q=i_am')).toEqual([]);
  });

  it('limits how many responses come back', async () => {
    expect(await search('limit=2')).toHaveLength(2);
  });

  it('fills the placeholders for the ticket and the agent', async () => {
    const ticket = await ticketIn(supportId);
    const [greeting] = await search(`q=greeting&ticketId=${ticket.id}`);
    expect(greeting).toMatchObject({
      body: 'Hi {{requester.first_name}}, I am {{agent.first_name}}.',
      text: 'Hi there, I am Alex.',
    });
  });

  it("offers only responses for every group or the ticket's group", async () => {
    const support = await ticketIn(supportId);
    const billing = await ticketIn(billingId);
    expect((await search(`q=refund&ticketId=${support.id}`)).map((r) => r.title)).toEqual([]);
    expect((await search(`q=refund&ticketId=${billing.id}`)).map((r) => r.title)).toEqual([
      'Refund policy',
    ]);
  });

  it('refuses an unknown placeholder, naming it', async () => {
    const r = await api.call('POST', '/api/responses', {
      token: admin,
      body: { title: 'Bad', body: 'Dear {{requester.surname}}' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'body' });
    expect(r.body.error.message).toContain('{{requester.surname}}');
  });

  it('refuses an unknown group', async () => {
    const r = await api.call('POST', '/api/responses', {
      token: admin,
      body: { title: 'Lost', body: 'Text', groupId: '0190aaaa-0000-7000-8000-000000000000' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field: 'groupId' });
  });

  it('refuses a shortcut another response has, whatever its case', async () => {
    const r = await api.call('POST', '/api/responses', {
      token: admin,
      body: { title: 'Other refund', shortcut: 'REFUND', body: 'Text' },
    });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'conflict', field: 'shortcut' });
  });

  it('lets admins change and delete a response', async () => {
    const created = await api.call<PredefinedResponse>('POST', '/api/responses', {
      token: admin,
      body: { title: 'Draft', shortcut: 'draft', body: 'First' },
    });
    const changed = await api.call<PredefinedResponse>(
      'PATCH',
      `/api/responses/${created.body.id}`,
      { token: admin, body: { body: 'Second', shortcut: null } },
    );
    expect(changed.body).toMatchObject({ title: 'Draft', body: 'Second', shortcut: null });
    const removed = await api.call('DELETE', `/api/responses/${created.body.id}`, { token: admin });
    expect(removed.status).toBe(204);
    expect(await search('q=draft')).toEqual([]);
  });
});
