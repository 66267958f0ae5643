import type { FeedEntry, Macro, Ticket, TicketEvent } from '@parlour/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { END_CHAT_MACRO_PRESET } from './default-macros.js';

const JWT_SECRET = 'macro-tests-shared-secret-0123456789abcdef';

describe.each(availableStorageKinds())('macros over HTTP on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let alex: { token: string; id: string };
  let sam: { token: string; id: string };
  let supportId: string;
  let billingId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const agent = async (account: { email: string; password: string }) => {
      const token = await api.login(account.email, account.password);
      return { token, id: (await api.call('GET', '/api/me', { token })).body.id as string };
    };
    alex = await agent(DEMO_ACCOUNTS.agents[0]);
    sam = await agent(DEMO_ACCOUNTS.agents[1]);
    const groups = (
      await api.call<{ id: string; name: string }[]>('GET', '/api/groups', { token: admin })
    ).body;
    supportId = groups.find((g) => g.name === 'Support')!.id;
    billingId = groups.find((g) => g.name === 'Billing')!.id;
    await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { endUserJwtSecret: JWT_SECRET },
    });
  });
  afterAll(async () => t.close());

  /** A named customer's chat, handed off to Support and assigned to Alex. */
  async function assignedTicket() {
    clock.advance(1_000);
    const now = Math.floor(clock.now().getTime() / 1000);
    const jwt = await new SignJWT({
      external_id: `crm-${clock.now().getTime()}`,
      email: 'vera@example.com',
      name: 'Vera Verified',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const visitor = (await api.call('POST', '/api/widget/session', { body: { jwt } })).body
      .token as string;
    const started = await api.call('POST', '/api/conversations', {
      token: visitor,
      body: { body: 'Where is my parcel?' },
    });
    const conversationId = started.body.conversation.id as string;
    const handoff = await api.call<Ticket>('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor,
      body: { groupId: supportId, subject: 'Parcel' },
    });
    expect(handoff.status).toBe(201);
    const assigned = await api.call<Ticket>('PATCH', `/api/tickets/${handoff.body.id}`, {
      token: alex.token,
      body: { assigneeId: alex.id },
    });
    expect(assigned.status).toBe(200);
    return { ticket: assigned.body, conversationId };
  }

  const createMacro = (token: string, body: Record<string, unknown>) =>
    api.call<Macro & { error?: { code: string; field?: string; message: string } }>(
      'POST',
      '/api/macros',
      { token, body },
    );
  const listMacros = async (token: string) =>
    (await api.call<Macro[]>('GET', '/api/macros', { token })).body;

  it('offers every agent a shared "End the chat session" macro saying a new message starts a new conversation', async () => {
    const macro = (await listMacros(sam.token)).find((m) => m.title === 'End the chat session');
    expect(macro).toMatchObject({ shared: true, active: true, bodyKind: 'public', actions: [] });
    expect(macro!.body).toMatch(/end this chat session/);
    expect(macro!.body).toMatch(/new conversation/);
    expect(END_CHAT_MACRO_PRESET).toBe('end_chat_session');
  });

  it('keeps a personal macro for its owner alone', async () => {
    const created = await createMacro(alex.token, {
      title: 'My greeting',
      body: 'Hi {{requester.first_name}}!',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ shared: false, ownerId: alex.id });
    expect((await listMacros(alex.token)).map((m) => m.id)).toContain(created.body.id);
    expect((await listMacros(sam.token)).map((m) => m.id)).not.toContain(created.body.id);
    const peek = await api.call('GET', `/api/macros/${created.body.id}`, { token: sam.token });
    expect(peek.status).toBe(404);
    const edit = await api.call('PATCH', `/api/macros/${created.body.id}`, {
      token: sam.token,
      body: { title: 'Mine now' },
    });
    expect(edit.status).toBe(404);
  });

  it('lists shared macros before personal ones', async () => {
    await createMacro(alex.token, { title: 'Aaa personal', body: 'Personal text' });
    const list = await listMacros(alex.token);
    const firstPersonal = list.findIndex((m) => !m.shared);
    expect(list.slice(firstPersonal).every((m) => !m.shared)).toBe(true);
  });

  it('refuses a shared macro from anyone but an admin', async () => {
    const r = await createMacro(alex.token, { title: 'For all', body: 'Hello', shared: true });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'auth/forbidden', field: 'shared' });
  });

  it('lets every agent use a shared macro but only admins change or delete it', async () => {
    const shared = await createMacro(admin, {
      title: 'Shared thanks',
      body: 'Thanks!',
      shared: true,
    });
    expect(shared.status).toBe(201);
    expect((await listMacros(sam.token)).map((m) => m.id)).toContain(shared.body.id);
    const edit = await api.call('PATCH', `/api/macros/${shared.body.id}`, {
      token: sam.token,
      body: { title: 'Sam was here' },
    });
    expect(edit.status).toBe(403);
    const remove = await api.call('DELETE', `/api/macros/${shared.body.id}`, { token: sam.token });
    expect(remove.status).toBe(403);
    const byAdmin = await api.call<Macro>('PATCH', `/api/macros/${shared.body.id}`, {
      token: admin,
      body: { title: 'Shared thanks (v2)' },
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.title).toBe('Shared thanks (v2)');
  });

  it('lets an owner delete their personal macro', async () => {
    const created = await createMacro(sam.token, { title: 'Temporary', body: 'Soon gone' });
    const r = await api.call('DELETE', `/api/macros/${created.body.id}`, { token: sam.token });
    expect(r.status).toBe(204);
    expect((await listMacros(sam.token)).map((m) => m.id)).not.toContain(created.body.id);
  });

  it('refuses an unknown placeholder, naming it', async () => {
    const r = await createMacro(alex.token, { title: 'Typo', body: 'Hi {{customer.name}}' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'body' });
    expect(r.body.error!.message).toContain('{{customer.name}}');
  });

  it('refuses an action a macro cannot carry, naming it', async () => {
    const r = await createMacro(alex.token, {
      title: 'Survey',
      actions: [{ type: 'set_priority', value: 'high' }, { type: 'send_csat' }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'actions.1.type' });
  });

  it('refuses an action with a bad value', async () => {
    const r = await createMacro(alex.token, {
      title: 'Bad status',
      actions: [{ type: 'set_status', value: 'done' }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'actions.0.value' });
  });

  it('refuses a group that does not exist', async () => {
    const r = await createMacro(alex.token, {
      title: 'Nowhere',
      actions: [{ type: 'set_group', value: '0190aaaa-0000-7000-8000-000000000000' }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'actions.0.value' });
  });

  it('refuses an assignee outside the group the macro sets', async () => {
    const r = await createMacro(alex.token, {
      title: 'To billing with Sam',
      actions: [
        { type: 'set_group', value: billingId },
        { type: 'set_assignee', value: sam.id },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field: 'actions.1.value' });
  });

  it('refuses a macro with neither text nor actions', async () => {
    const r = await createMacro(alex.token, { title: 'Empty', body: '   ' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'body' });
  });

  it('refuses a second macro of the same owner with the same title', async () => {
    await createMacro(sam.token, { title: 'Twice', body: 'One' });
    const r = await createMacro(sam.token, { title: 'twice', body: 'Two' });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'conflict', field: 'title' });
  });

  it('previews what a macro would change and its text for the ticket, writing nothing', async () => {
    const { ticket } = await assignedTicket();
    const macro = await createMacro(alex.token, {
      title: 'Waiting for details',
      body: 'Hi {{requester.first_name}}, {{agent.first_name}} here about #{{ticket.number}} ({{group.name}}).',
      actions: [
        { type: 'set_status', value: 'pending' },
        { type: 'set_priority', value: 'high' },
        { type: 'add_tags', value: ['needs-info'] },
      ],
    });
    const preview = await api.call(
      'POST',
      `/api/tickets/${ticket.id}/macros/${macro.body.id}/preview`,
      { token: alex.token, body: {} },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.text).toBe(`Hi Vera, Alex here about #${ticket.number} (Support).`);
    expect(preview.body.ticket).toMatchObject({
      status: 'pending',
      priority: 'high',
      tags: ['needs-info'],
    });
    expect(preview.body.changes.map((c: TicketEvent) => c.type)).toEqual([
      'ticket.status_changed',
      'ticket.priority_changed',
      'ticket.tags_changed',
    ]);
    const now = await api.call<Ticket>('GET', `/api/tickets/${ticket.id}`, { token: alex.token });
    expect(now.body).toMatchObject({ status: 'open', priority: 'normal', version: ticket.version });
  });

  it('applies a macro: changes the ticket, posts the text and records the macro in its history', async () => {
    const { ticket, conversationId } = await assignedTicket();
    const macro = await createMacro(alex.token, {
      title: 'Solve with thanks',
      body: 'Thanks {{requester.first_name}}, glad we could help!',
      actions: [
        { type: 'set_status', value: 'solved' },
        { type: 'add_tags', value: ['happy'] },
      ],
    });
    const applied = await api.call(
      'POST',
      `/api/tickets/${ticket.id}/macros/${macro.body.id}/apply`,
      {
        token: alex.token,
        body: {},
      },
    );
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.ticket).toMatchObject({ status: 'solved', tags: ['happy'] });
    expect(applied.body.message).toMatchObject({
      kind: 'public',
      body: 'Thanks Vera, glad we could help!',
      authorId: alex.id,
    });
    const feed = (
      await api.call<FeedEntry[]>('GET', `/api/conversations/${conversationId}/events`, {
        token: alex.token,
      })
    ).body;
    expect(
      feed.some(
        (e) =>
          e.event.type === 'message.created' &&
          e.event.message.body === 'Thanks Vera, glad we could help!',
      ),
    ).toBe(true);
    const history = (
      await api.call<TicketEvent[]>('GET', `/api/tickets/${ticket.id}/events`, {
        token: alex.token,
      })
    ).body;
    const fired = history.find((e) => e.type === 'rule.fired');
    expect(fired).toMatchObject({
      actor: { type: 'user', id: alex.id },
      data: {
        ruleType: 'macro',
        ruleId: macro.body.id,
        name: 'Solve with thanks',
        actions: ['send_message', 'set_status', 'add_tags'],
      },
    });
  });

  it("sends the agent's edited text, as the kind they chose, instead of the macro's", async () => {
    const { ticket } = await assignedTicket();
    const macro = await createMacro(alex.token, { title: 'Editable', body: 'Original text' });
    const applied = await api.call(
      'POST',
      `/api/tickets/${ticket.id}/macros/${macro.body.id}/apply`,
      {
        token: alex.token,
        body: { body: 'Checked with {{agent.first_name}}', kind: 'internal' },
      },
    );
    expect(applied.status).toBe(200);
    expect(applied.body.message).toMatchObject({ kind: 'internal', body: 'Checked with Alex' });
    expect(applied.body.ticket.status).toBe('open');
  });

  it('applies a macro of actions only without posting anything', async () => {
    const { ticket } = await assignedTicket();
    const macro = await createMacro(alex.token, {
      title: 'Escalate',
      actions: [{ type: 'set_priority', value: 'urgent' }],
    });
    const applied = await api.call(
      'POST',
      `/api/tickets/${ticket.id}/macros/${macro.body.id}/apply`,
      {
        token: alex.token,
        body: {},
      },
    );
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ ticket: { priority: 'urgent' }, message: null });
  });

  it('refuses to apply a macro that is turned off', async () => {
    const { ticket } = await assignedTicket();
    const macro = await createMacro(alex.token, { title: 'Retired', body: 'Old', active: false });
    const r = await api.call('POST', `/api/tickets/${ticket.id}/macros/${macro.body.id}/apply`, {
      token: alex.token,
      body: {},
    });
    expect(r.status).toBe(409);
  });

  it("refuses to apply another agent's personal macro", async () => {
    const { ticket } = await assignedTicket();
    const macro = await createMacro(sam.token, { title: 'Sam only', body: 'Hi from Sam' });
    const r = await api.call('POST', `/api/tickets/${ticket.id}/macros/${macro.body.id}/apply`, {
      token: alex.token,
      body: {},
    });
    expect(r.status).toBe(404);
  });
});
