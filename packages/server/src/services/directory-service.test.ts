import type { Group, User } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

describe.each(availableStorageKinds())('the staff directory over HTTP on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let adminToken: string;
  let adminId: string;
  let agentToken: string;
  let counter = 0;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
    adminToken = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    adminId = (await api.call<User>('GET', '/api/me', { token: adminToken })).body.id;
    agentToken = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
  });
  afterAll(async () => t.close());

  const login = (email: string, password: string) =>
    api.call('POST', '/api/auth/login', { body: { email, password } });

  async function createUser(
    overrides: Partial<{ role: string; email: string; name: string; password: string }> = {},
  ) {
    counter += 1;
    const body = {
      role: 'agent',
      email: `staff${counter}@parlour.example`,
      name: `Staff ${counter}`,
      password: 'staff-password',
      ...overrides,
    };
    const r = await api.call<User>('POST', '/api/users', { token: adminToken, body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { ...r.body, password: body.password };
  }

  async function createGroup(name: string, memberIds: string[] = []) {
    const r = await api.call<Group>('POST', '/api/groups', {
      token: adminToken,
      body: { name, memberIds },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }

  describe('staff members', () => {
    it('lets an admin create an agent who can then log in', async () => {
      const agent = await createUser({ name: '  Nora New  ' });
      expect(agent).toMatchObject({ role: 'agent', name: 'Nora New', active: true, groupIds: [] });
      expect((await login(agent.email, agent.password)).status).toBe(200);
      const listed = await api.call<User[]>('GET', '/api/users?role=agent', { token: agentToken });
      expect(listed.body.map((u) => u.id)).toContain(agent.id);
    });

    it('lets an admin create a supervisor', async () => {
      const supervisor = await createUser({ role: 'supervisor' });
      expect(supervisor.role).toBe('supervisor');
      const token = (await login(supervisor.email, supervisor.password)).body.token as string;
      expect((await api.call('GET', '/api/me', { token })).body.role).toBe('supervisor');
    });

    it('refuses a second user with the same email, whatever its case', async () => {
      const first = await createUser();
      const r = await api.call('POST', '/api/users', {
        token: adminToken,
        body: {
          role: 'agent',
          email: first.email.toUpperCase(),
          name: 'Copy Cat',
          password: 'another-password',
        },
      });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'conflict', field: 'email' });
    });

    it('refuses a password shorter than eight characters', async () => {
      const r = await api.call('POST', '/api/users', {
        token: adminToken,
        body: { role: 'agent', email: 'short@parlour.example', name: 'Short', password: 'short' },
      });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'password' });
    });

    it('changes role and name', async () => {
      const user = await createUser();
      const r = await api.call<User>('PATCH', `/api/users/${user.id}`, {
        token: adminToken,
        body: { role: 'supervisor', name: 'Promoted Person' },
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ role: 'supervisor', name: 'Promoted Person' });
      expect(
        (await api.call<User>('GET', `/api/users/${user.id}`, { token: agentToken })).body,
      ).toMatchObject({ role: 'supervisor', name: 'Promoted Person' });
    });

    it('deactivates and reactivates a user: only an active user can log in', async () => {
      const user = await createUser();
      const off = await api.call<User>('PATCH', `/api/users/${user.id}`, {
        token: adminToken,
        body: { active: false },
      });
      expect(off.body.active).toBe(false);
      expect((await login(user.email, user.password)).status).toBe(401);
      const on = await api.call<User>('PATCH', `/api/users/${user.id}`, {
        token: adminToken,
        body: { active: true },
      });
      expect(on.body.active).toBe(true);
      expect((await login(user.email, user.password)).status).toBe(200);
    });

    it('sets a new password: the old one stops working', async () => {
      const user = await createUser();
      const r = await api.call('PATCH', `/api/users/${user.id}`, {
        token: adminToken,
        body: { password: 'brand-new-password' },
      });
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain('brand-new-password');
      const old = await login(user.email, user.password);
      expect(old.status).toBe(401);
      expect(old.body.error.code).toBe('auth/invalid-credentials');
      expect((await login(user.email, 'brand-new-password')).status).toBe(200);
    });

    it('refuses to change an email to one another user has', async () => {
      const a = await createUser();
      const b = await createUser();
      const r = await api.call('PATCH', `/api/users/${b.id}`, {
        token: adminToken,
        body: { email: a.email.toUpperCase() },
      });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'conflict', field: 'email' });
    });

    it('does not let an admin deactivate themselves or give up their own admin role', async () => {
      const off = await api.call('PATCH', `/api/users/${adminId}`, {
        token: adminToken,
        body: { active: false },
      });
      expect(off.status).toBe(400);
      expect(off.body.error).toMatchObject({ code: 'validation/invalid', field: 'active' });
      const demote = await api.call('PATCH', `/api/users/${adminId}`, {
        token: adminToken,
        body: { role: 'agent' },
      });
      expect(demote.status).toBe(400);
      expect(demote.body.error).toMatchObject({ code: 'validation/invalid', field: 'role' });
      expect((await api.call<User>('GET', '/api/me', { token: adminToken })).body).toMatchObject({
        active: true,
        role: 'admin',
      });
    });

    it('answers 404 for a user that does not exist', async () => {
      const r = await api.call('PATCH', '/api/users/00000000-0000-7000-8000-000000000000', {
        token: adminToken,
        body: { name: 'Ghost' },
      });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not-found');
    });

    it('does not let an agent create staff', async () => {
      const r = await api.call('POST', '/api/users', {
        token: agentToken,
        body: {
          role: 'admin',
          email: 'sneaky@parlour.example',
          name: 'Sneaky',
          password: 'sneaky-pass',
        },
      });
      expect(r.status).toBe(403);
    });
  });

  describe('groups', () => {
    it('creates a group with its members, who see it among their groups', async () => {
      const member = await createUser();
      const group = await createGroup('Returns', [member.id]);
      expect(group).toMatchObject({ name: 'Returns', memberIds: [member.id] });
      expect(
        (await api.call<User>('GET', `/api/users/${member.id}`, { token: adminToken })).body
          .groupIds,
      ).toEqual([group.id]);
      expect(
        (
          await api.call<User[]>('GET', `/api/users?groupId=${group.id}`, { token: agentToken })
        ).body.map((u) => u.id),
      ).toEqual([member.id]);
    });

    it('renames a group', async () => {
      const group = await createGroup('Shipping');
      const r = await api.call<Group>('PATCH', `/api/groups/${group.id}`, {
        token: adminToken,
        body: { name: 'Delivery', description: 'Parcels' },
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ name: 'Delivery', description: 'Parcels' });
      expect(
        (await api.call<Group>('GET', `/api/groups/${group.id}`, { token: agentToken })).body.name,
      ).toBe('Delivery');
    });

    it('replaces the members of a group', async () => {
      const [a, b, c] = [await createUser(), await createUser(), await createUser()];
      const group = await createGroup('Escalations', [a.id, b.id]);
      const r = await api.call<Group>('PATCH', `/api/groups/${group.id}`, {
        token: adminToken,
        body: { memberIds: [b.id, c.id] },
      });
      expect(r.status).toBe(200);
      expect([...r.body.memberIds].sort()).toEqual([b.id, c.id].sort());
      expect(
        (await api.call<User>('GET', `/api/users/${a.id}`, { token: adminToken })).body.groupIds,
      ).toEqual([]);
    });

    it('refuses an unknown member and changes nothing', async () => {
      const member = await createUser();
      const group = await createGroup('Wholesale', [member.id]);
      const r = await api.call('PATCH', `/api/groups/${group.id}`, {
        token: adminToken,
        body: {
          name: 'Wholesale B2B',
          memberIds: [member.id, '00000000-0000-7000-8000-000000000000'],
        },
      });
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 'not-found', field: 'memberIds' });
      expect(
        (await api.call<Group>('GET', `/api/groups/${group.id}`, { token: adminToken })).body,
      ).toMatchObject({ name: 'Wholesale', memberIds: [member.id] });
    });

    it('refuses to create a group with an unknown member', async () => {
      const r = await api.call('POST', '/api/groups', {
        token: adminToken,
        body: { name: 'Phantoms', memberIds: ['00000000-0000-7000-8000-000000000000'] },
      });
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 'not-found', field: 'memberIds' });
      const groups = await api.call<Group[]>('GET', '/api/groups', { token: adminToken });
      expect(groups.body.map((g) => g.name)).not.toContain('Phantoms');
    });

    it('refuses a second group with the same name, whatever its case', async () => {
      await createGroup('VIP Customers');
      const r = await api.call('POST', '/api/groups', {
        token: adminToken,
        body: { name: 'vip customers' },
      });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'conflict', field: 'name' });
    });

    it("refuses to rename a group to another group's name", async () => {
      const group = await createGroup('Partners');
      const r = await api.call('PATCH', `/api/groups/${group.id}`, {
        token: adminToken,
        body: { name: 'Support' },
      });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'conflict', field: 'name' });
    });

    it('keeps its own name when a group is renamed to itself in another case', async () => {
      const group = await createGroup('Onboarding');
      const r = await api.call<Group>('PATCH', `/api/groups/${group.id}`, {
        token: adminToken,
        body: { name: 'ONBOARDING' },
      });
      expect(r.status).toBe(200);
      expect(r.body.name).toBe('ONBOARDING');
    });
  });
});
