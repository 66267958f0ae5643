import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

interface Entry {
  id: string;
  at: string;
  actor: { type: string; id: string; role: string | null };
  action: string;
  resource: string | null;
  changes: unknown;
  ip: string | null;
  userAgent: string | null;
  status: number;
}

describe.each(availableStorageKinds())('the audit log over HTTP on %s', (kind) => {
  const clock = new ManualClock('2026-02-02T10:00:00.000Z');
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: { token: string; id: string };
  let agent: { token: string; id: string };

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
    const who = async (account: { email: string; password: string }) => {
      const token = await api.login(account.email, account.password);
      return { token, id: (await api.call('GET', '/api/me', { token })).body.id as string };
    };
    admin = await who(DEMO_ACCOUNTS.admin);
    agent = await who(DEMO_ACCOUNTS.agents[0]);
  });
  afterAll(async () => t.close());

  /** The audit log as an admin reads it, once the entries written after the responses landed. */
  async function entries(query: string, count: number): Promise<Entry[]> {
    let found: Entry[] = [];
    await vi.waitFor(
      async () => {
        const r = await api.call('GET', `/api/audit-log?${query}`, { token: admin.token });
        expect(r.status).toBe(200);
        found = r.body.entries as Entry[];
        expect(found).toHaveLength(count);
      },
      { timeout: 5_000, interval: 20 },
    );
    return found;
  }

  it('records a settings change with who, when, from where, and the secret left out', async () => {
    clock.advance(60_000);
    const secret = 'jwt-secret-for-the-audit-test-0123456789';
    const r = await t.server.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      remoteAddress: '203.0.113.9',
      headers: {
        authorization: `Bearer ${admin.token}`,
        'content-type': 'application/json',
        'user-agent': 'AuditTest/1.0',
      },
      payload: JSON.stringify({
        endUserJwtSecret: secret,
        allowedOrigins: ['https://shop.example'],
      }),
    });
    expect(r.statusCode).toBe(200);
    const [entry] = await entries(
      `actorId=${admin.id}&action=${encodeURIComponent('PATCH /api/settings')}`,
      1,
    );
    expect(entry).toMatchObject({
      at: clock.now().toISOString(),
      actor: { type: 'user', id: admin.id, role: 'admin' },
      action: 'PATCH /api/settings',
      resource: 'settings',
      changes: { endUserJwtSecret: '[secret]', allowedOrigins: ['https://shop.example'] },
      ip: '203.0.113.9',
      userAgent: 'AuditTest/1.0',
      status: 200,
    });
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it('records a new trigger with what it was made of', async () => {
    const r = await api.call('POST', '/api/triggers', {
      token: admin.token,
      body: {
        name: 'Audited trigger',
        conditions: { all: [{ field: 'status', operator: 'changed_to', value: 'open' }], any: [] },
        actions: [{ type: 'add_tags', value: ['audited'] }],
      },
    });
    expect(r.status).toBe(201);
    const [entry] = await entries(`action=${encodeURIComponent('POST /api/triggers')}`, 1);
    expect(entry).toMatchObject({
      actor: { id: admin.id },
      resource: 'triggers',
      status: 201,
      changes: { name: 'Audited trigger', actions: [{ type: 'add_tags', value: ['audited'] }] },
    });
  });

  it('records the route parameters of a change to one resource', async () => {
    const users = (await api.call('GET', '/api/users', { token: admin.token })).body as {
      id: string;
      email: string;
    }[];
    const target = users.find((u) => u.email === DEMO_ACCOUNTS.agents[1].email)!;
    const r = await api.call('PATCH', `/api/users/${target.id}`, {
      token: admin.token,
      body: { name: 'Renamed Agent' },
    });
    expect(r.status).toBe(200);
    const [entry] = await entries(`action=${encodeURIComponent('PATCH /api/users/:userId')}`, 1);
    expect(JSON.parse(entry!.resource!)).toEqual({ userId: target.id });
    expect(entry!.changes).toEqual({ name: 'Renamed Agent' });
  });

  it('records an agent refused an admin change, with the 403 and who tried', async () => {
    const r = await api.call('PATCH', '/api/settings', {
      token: agent.token,
      body: { agentsMayEndSessions: false },
    });
    expect(r.status).toBe(403);
    const [entry] = await entries(`actorId=${agent.id}`, 1);
    expect(entry).toMatchObject({
      actor: { type: 'user', id: agent.id, role: 'agent' },
      action: 'PATCH /api/settings',
      status: 403,
      changes: null,
    });
  });

  it("leaves agents' everyday work and failed requests out of the log", async () => {
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'hello' },
    });
    expect(started.status).toBe(201);
    const bad = await api.call('PATCH', '/api/settings', {
      token: admin.token,
      body: { csatExpiryDays: 0 },
    });
    expect(bad.status).toBe(400);
    await t.server.services.audit.idle();
    await entries(`actorId=${visitor.endUserId}`, 0);
    // The settings change, the trigger and the user rename; not the refused 400.
    await entries(`actorId=${admin.id}`, 3);
  });

  it('pages newest first with a cursor', async () => {
    const all = await entries('', 4);
    const first = await api.call('GET', '/api/audit-log?limit=3', { token: admin.token });
    expect(first.body.entries.map((e: Entry) => e.id)).toEqual(all.slice(0, 3).map((e) => e.id));
    const next = await api.call(
      'GET',
      `/api/audit-log?limit=3&cursor=${first.body.nextCursor as string}`,
      { token: admin.token },
    );
    expect(next.body.entries.map((e: Entry) => e.id)).toEqual([all[3]!.id]);
    expect(next.body.nextCursor).toBeNull();
    expect(Number(all[0]!.id)).toBeGreaterThan(Number(all[1]!.id));
  });

  it('filters by time', async () => {
    clock.advance(1_000);
    const since = clock.now().toISOString();
    await api.call('POST', '/api/skills', { token: admin.token, body: { name: 'Audited skill' } });
    const recent = await entries(`since=${encodeURIComponent(since)}`, 1);
    expect(recent[0]!.action).toBe('POST /api/skills');
    await entries(`until=${encodeURIComponent(since)}`, 4);
  });

  it('refuses a cursor no page returned', async () => {
    const r = await api.call('GET', '/api/audit-log?cursor=abc', { token: admin.token });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'cursor' });
  });
});
