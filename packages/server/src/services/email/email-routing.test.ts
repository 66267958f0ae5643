import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { TestSocket } from '../../testing/ws-client.js';

const SECRET = 'relay-shared-secret-0123456789';

describe.each(availableStorageKinds())('routing of new email tickets on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let sam: { token: string; id: string };
  let groups: { id: string; name: string }[];
  let counter = 0;

  beforeAll(async () => {
    t = await startTestServer(kind, {
      listen: true,
      clock,
      env: { EMAIL_REPLY_DOMAIN: 'help.parlour.test', EMAIL_INBOUND_SECRET: SECRET },
    });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const token = await api.login(DEMO_ACCOUNTS.agents[1].email, DEMO_ACCOUNTS.agents[1].password);
    sam = { token, id: (await api.call('GET', '/api/me', { token })).body.id as string };
    groups = (await api.call('GET', '/api/groups', { token: admin })).body;
  });
  afterAll(async () => t.close());

  const groupId = (name: string) => groups.find((g) => g.name === name)!.id;
  const relay = async (subject: string) => {
    clock.advance(1_000);
    const raw = [
      `From: Casey Customer <casey${++counter}@customer.example>`,
      'To: support@help.parlour.test',
      `Subject: ${subject}`,
      `Message-ID: <route-${counter}-${Date.now()}@customer.example>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello, I need help with my order.',
      '',
    ].join('\r\n');
    const r = await t.server.app.inject({
      method: 'POST',
      url: '/api/email/inbound',
      headers: { 'content-type': 'message/rfc822', 'x-parlour-email-secret': SECRET },
      payload: raw,
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { outcome: string; ticketId: string };
  };
  const ticketGroup = async (ticketId: string) =>
    (await api.call('GET', `/api/tickets/${ticketId}`, { token: admin })).body.groupId as
      string | null;

  it('sends new email tickets to the first group by name when none is set', async () => {
    expect((await api.call('GET', '/api/settings', { token: admin })).body.emailGroupId).toBeNull();
    const first = [...groups].sort((a, b) => a.name.localeCompare(b.name))[0]!;
    const opened = await relay('Which group?');
    expect(opened.outcome).toBe('created');
    expect(await ticketGroup(opened.ticketId)).toBe(first.id);
  });

  it('refuses a group that does not exist, naming the field, and changes nothing', async () => {
    const r = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { emailGroupId: '0190a5b2-0000-7000-8000-000000000000' },
    });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not-found', field: 'emailGroupId' });
    expect((await api.call('GET', '/api/settings', { token: admin })).body.emailGroupId).toBeNull();
  });

  it('offers a new email ticket to an available agent of the group set by the admin', async () => {
    const support = groupId('Support');
    const set = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { emailGroupId: support },
    });
    expect(set.status).toBe(200);
    expect(set.body.emailGroupId).toBe(support);
    // Sam belongs to Support only: the offer can only reach Sam through that group.
    const agent = await TestSocket.open(t.url, sam.token);
    const status = await api.call('PUT', '/api/agents/me/status', {
      token: sam.token,
      body: { status: 'available' },
    });
    expect(status.status).toBe(200);
    const opened = await relay('Please route me');
    expect(opened.outcome).toBe('created');
    await t.server.services.routing.idle();
    await t.server.services.routing.drain();
    const offer = await agent.next(
      (f) => f.type === 'offer' && f.offer.ticketId === opened.ticketId,
    );
    if (offer.type !== 'offer') throw new Error('expected an offer');
    expect(offer.offer).toMatchObject({ queue: { id: support, name: 'Support' } });
    expect(await ticketGroup(opened.ticketId)).toBe(support);
    await agent.close();
    // Back to the default: null clears the setting.
    const cleared = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { emailGroupId: null },
    });
    expect(cleared.body.emailGroupId).toBeNull();
  });

  it('lets only an admin choose the group', async () => {
    const r = await api.call('PATCH', '/api/settings', {
      token: sam.token,
      body: { emailGroupId: groupId('Support') },
    });
    expect(r.status).toBe(403);
  });
});
