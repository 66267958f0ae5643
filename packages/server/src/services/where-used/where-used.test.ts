import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';

interface Use {
  ruleType: string;
  id: string | null;
  name: string;
  variant: string | null;
  version: number | null;
  places: { path: string; label: string }[];
}

describe.each(availableStorageKinds())('where used on %s', (kind) => {
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let support: string;
  let billing: string;
  let alexId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { bot: true });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const groups = (
      await api.call<{ id: string; name: string }[]>('GET', '/api/groups', { token: admin })
    ).body;
    support = groups.find((g) => g.name === 'Support')!.id;
    billing = groups.find((g) => g.name === 'Billing')!.id;
    const users = (
      await api.call<{ id: string; email: string }[]>('GET', '/api/users', { token: admin })
    ).body;
    alexId = users.find((u) => u.email === DEMO_ACCOUNTS.agents[0].email)!.id;
  });
  afterAll(async () => t.close());

  async function ok<T>(method: 'POST' | 'PATCH', url: string, body: unknown): Promise<T> {
    const r = await api.call<T>(method, url, { token: admin, body });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  }

  async function whereUsed(kindName: string, value: string): Promise<Use[]> {
    const r = await api.call<{ uses: Use[] }>(
      'GET',
      `/api/where-used?kind=${kindName}&value=${encodeURIComponent(value)}`,
      { token: admin },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.uses;
  }

  it('lists every trigger, automation, workflow version, macro and bot handoff naming a group, and where', async () => {
    const trigger = await ok<{ id: string }>('POST', '/api/triggers', {
      name: 'VIP to Billing',
      conditions: { all: [{ field: 'tags', operator: 'contains', value: ['vip'] }], any: [] },
      actions: [
        { type: 'add_note', body: 'VIP' },
        { type: 'set_group', value: billing },
      ],
    });
    await ok('POST', '/api/automations', {
      name: 'Old Billing tickets',
      oncePerTicket: true,
      conditions: {
        all: [
          { field: 'group', operator: 'is', value: billing },
          { field: 'hours_since_created', operator: 'greater_than', value: 48 },
        ],
        any: [],
      },
      actions: [{ type: 'set_priority', value: 'high' }],
    });
    const workflow = await ok<{ id: string }>('POST', '/api/workflows', {
      name: 'Billing round robin',
      definition: {
        trigger: { type: 'conversation_opened', source: 'contact' },
        start: 'assign',
        steps: {
          assign: {
            type: 'assign_to',
            target: { groupId: billing, strategy: 'round_robin', onlyOnline: false },
          },
        },
      },
    });
    await ok('POST', `/api/workflows/${workflow.id}/publish`, {});
    // The draft moves on to Support: the published version still names Billing.
    await ok('PATCH', `/api/workflows/${workflow.id}`, {
      definition: {
        trigger: { type: 'conversation_opened', source: 'contact' },
        start: 'assign',
        steps: {
          assign: {
            type: 'assign_to',
            target: { groupId: support, strategy: 'round_robin', onlyOnline: false },
          },
        },
      },
    });
    await ok('POST', '/api/macros', {
      title: 'Send to Billing',
      shared: true,
      actions: [{ type: 'set_group', value: billing }],
    });

    const uses = await whereUsed('group', billing);
    const summary = uses.map((u) => [u.ruleType, u.name, u.variant, u.places.map((p) => p.path)]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['trigger', 'VIP to Billing', null, ['actions.1']],
        ['automation', 'Old Billing tickets', null, ['conditions.all.0']],
        ['workflow', 'Billing round robin', 'published', ['steps.assign.target.groupId']],
        ['macro', 'Send to Billing', null, ['actions.0']],
        ['bot_flow', 'Bot flow', null, ['nodes.billing.handoff.groupId']],
      ]),
    );
    expect(uses.find((u) => u.ruleType === 'trigger')).toMatchObject({ id: trigger.id });
    expect(uses.find((u) => u.places[0]!.path === 'actions.1')!.places[0]!.label).toBe(
      'Action 2: set group',
    );
    // The draft no longer names Billing; it names Support, where the published version does not.
    expect(uses.some((u) => u.ruleType === 'workflow' && u.variant === 'draft')).toBe(false);
    const forSupport = await whereUsed('group', support);
    expect(
      forSupport.filter((u) => u.ruleType === 'workflow').map((u) => [u.variant, u.version]),
    ).toEqual([['draft', null]]);
  });

  it('finds an agent, a tag whatever its case, and a field', async () => {
    await ok('POST', '/api/triggers', {
      name: 'Urgent to Alex',
      conditions: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }], any: [] },
      actions: [
        { type: 'set_assignee', value: alexId },
        { type: 'add_tags', value: ['escalated'] },
      ],
    });
    expect((await whereUsed('agent', alexId)).map((u) => u.name)).toContain('Urgent to Alex');
    const tagged = await whereUsed('tag', 'ESCALATED');
    expect(tagged.find((u) => u.name === 'Urgent to Alex')?.places.map((p) => p.path)).toEqual([
      'actions.1',
    ]);
    const byField = await whereUsed('field', 'priority');
    expect(byField.find((u) => u.name === 'Urgent to Alex')?.places.map((p) => p.path)).toEqual([
      'conditions.all.0',
    ]);
    expect(
      byField.find((u) => u.name === 'Old Billing tickets')?.places.map((p) => p.path),
    ).toEqual(['actions.0']);
  });

  it('lists nothing for a group no rule names', async () => {
    expect(await whereUsed('group', '00000000-0000-4000-8000-000000000000')).toEqual([]);
  });

  it('refuses an unknown kind, naming the kind, and a value that does not fit it', async () => {
    const bad = await api.call('GET', '/api/where-used?kind=queue&value=x', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation/invalid', field: 'kind' });
    const notId = await api.call('GET', '/api/where-used?kind=group&value=Support', {
      token: admin,
    });
    expect(notId.status).toBe(400);
    expect(notId.body.error.field).toBe('value');
    const noField = await api.call('GET', '/api/where-used?kind=field&value=mood', {
      token: admin,
    });
    expect(noField.status).toBe(400);
    expect(noField.body.error).toMatchObject({ field: 'value', message: 'Unknown field "mood"' });
    const missing = await api.call('GET', '/api/where-used?kind=tag', { token: admin });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('value');
  });

  it('is not for agents', async () => {
    const agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    const r = await api.call('GET', `/api/where-used?kind=group&value=${support}`, {
      token: agent,
    });
    expect(r.status).toBe(403);
  });
});
