import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { TestSocket } from '../../testing/ws-client.js';
import { BOT_TIMER, botTimerKey } from './bot-runner.js';

interface Entry {
  seq: number;
  event: {
    type: string;
    message?: {
      authorType: string;
      body: string;
      ticketId: string | null;
      clientMessageId: string | null;
      quickReplies?: { label: string; value: string }[];
    };
    ticketId?: string;
    groupId?: string | null;
  };
}

describe.each(availableStorageKinds())('the conversation bot on %s', (kind) => {
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let agent: string;
  let groups: { name: string; id: string }[];
  const clock = new ManualClock();

  beforeAll(async () => {
    t = await startTestServer(kind, { bot: true, clock });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    groups = (await api.call('GET', '/api/groups', { token: admin })).body;
  });
  afterAll(async () => t.close());

  const groupId = (name: string) => groups.find((g) => g.name === name)!.id;

  async function start(): Promise<{ token: string; endUserId: string; conversationId: string }> {
    const visitor = await api.visitor();
    const r = await api.call('POST', '/api/conversations', { token: visitor.token, body: {} });
    expect(r.status).toBe(201);
    return { ...visitor, conversationId: r.body.conversation.id };
  }

  async function say(token: string, body: string) {
    const r = await api.call('POST', '/api/widget/messages', { token, body: { body } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { conversationId: string; message: { id: string; seq: number } };
  }

  async function feed(conversationId: string, token = agent): Promise<Entry[]> {
    const r = await api.call('GET', `/api/conversations/${conversationId}/events?after=0`, {
      token,
    });
    expect(r.status).toBe(200);
    return r.body;
  }

  const botSaid = async (conversationId: string) =>
    (await feed(conversationId))
      .filter((e) => e.event.message?.authorType === 'bot')
      .map((e) => e.event.message!.body);

  async function withFlow<T>(flow: object, run: () => Promise<T>): Promise<T> {
    const before = (await api.call('GET', '/api/bot/flow', { token: admin })).body.flow;
    const saved = await api.call('PUT', '/api/bot/flow', { token: admin, body: flow });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    try {
      return await run();
    } finally {
      await api.call('PUT', '/api/bot/flow', { token: admin, body: before });
    }
  }

  it('greets a new conversation with the menu and a Talk to a person quick reply', async () => {
    const visitor = await api.visitor();
    const r = await api.call('POST', '/api/conversations', { token: visitor.token, body: {} });
    const entries = await feed(r.body.conversation.id, visitor.token);
    expect(entries).toHaveLength(1);
    expect(r.body.conversation.lastSeq).toBe(1);
    expect(entries[0]!.event.message).toMatchObject({
      authorType: 'bot',
      ticketId: null,
      body: expect.stringContaining('How can I help'),
      quickReplies: [
        { label: 'Order status', value: 'order_status' },
        { label: 'Billing question', value: 'billing' },
        { label: 'Something else', value: 'something_else' },
        { label: 'Talk to a person', value: 'handoff' },
      ],
    });
  });

  it('greets and answers when the first widget message starts the conversation', async () => {
    const visitor = await api.visitor();
    const posted = await say(visitor.token, 'What are your opening hours?');
    const said = await botSaid(posted.conversationId);
    expect(said[0]).toContain('How can I help');
    expect(said[1]).toContain('Monday to Friday');
  });

  it('leads a pressed button to its node', async () => {
    const c = await start();
    await say(c.token, 'Order status');
    expect((await botSaid(c.conversationId)).at(-1)).toContain('order number');
  });

  it('answers from an article by keyword, whatever the case and accents', async () => {
    const c = await start();
    await say(c.token, 'Something else');
    await say(c.token, 'RÜCKSENDUNG möglich?');
    const last = (await feed(c.conversationId)).at(-1)!.event.message!;
    expect(last.body).toContain('Returns and refunds');
    expect(last.quickReplies?.map((q) => q.label)).toContain('Talk to a person');
  });

  it('says it did not understand and offers the menu when nothing matches', async () => {
    const c = await start();
    await say(c.token, 'purple elephants');
    const last = (await feed(c.conversationId)).at(-1)!.event.message!;
    expect(last.body).toContain('did not catch that');
    expect(last.quickReplies?.at(-1)).toEqual({ label: 'Talk to a person', value: 'handoff' });
  });

  it('collects name and email (re-asking a bad email), then hands off to Support and falls silent', async () => {
    const c = await start();
    await say(c.token, 'Talk to a person');
    await say(c.token, 'Maria Muster');
    await say(c.token, 'maria at example');
    expect((await botSaid(c.conversationId)).at(-1)).toContain('does not look like an email');
    await say(c.token, 'Maria@Example.com');
    const entries = await feed(c.conversationId);
    const handed = entries.find((e) => e.event.type === 'conversation.handed_off')!;
    expect(handed.event.groupId).toBe(groupId('Support'));
    const ticket = (
      await api.call('GET', `/api/tickets/${handed.event.ticketId}`, { token: agent })
    ).body;
    expect(ticket).toMatchObject({ groupId: groupId('Support'), status: 'new' });
    // The offer shows who the customer is: the end user got the collected name and email.
    const conversation = await api.call('GET', `/api/conversations/${c.conversationId}`, {
      token: c.token,
    });
    expect(conversation.body.ticketId).toBe(ticket.id);
    const users = await api.call('GET', '/api/end-users?email=maria@example.com', { token: admin });
    expect(JSON.stringify(users.body)).toContain('Maria Muster');

    const botMessages = (await botSaid(c.conversationId)).length;
    await say(c.token, 'Hello? Anyone?');
    expect(await botSaid(c.conversationId)).toHaveLength(botMessages);
  });

  it('hands off with the node’s group, required skills, priority, tags and subject', async () => {
    const skill = await api.call('POST', '/api/skills', {
      token: admin,
      body: { name: `German ${kind}` },
    });
    const flow = {
      enabled: true,
      start: 'menu',
      defaultHandoff: { groupId: groupId('Support') },
      nodes: {
        menu: { type: 'message', text: 'Hi', buttons: [{ label: 'Rechnung', next: 'billing' }] },
        billing: {
          type: 'handoff',
          text: 'Ich verbinde Sie.',
          handoff: {
            groupId: groupId('Billing'),
            skillIds: [skill.body.id],
            priority: 'urgent',
            tags: ['Invoice'],
            subject: 'Rechnungsfrage',
          },
        },
      },
    };
    await withFlow(flow, async () => {
      const c = await start();
      await say(c.token, 'rechnung');
      const handed = (await feed(c.conversationId)).find(
        (e) => e.event.type === 'conversation.handed_off',
      )!;
      const ticket = (
        await api.call('GET', `/api/tickets/${handed.event.ticketId}`, { token: agent })
      ).body;
      expect(ticket).toMatchObject({
        groupId: groupId('Billing'),
        priority: 'urgent',
        tags: ['invoice'],
        subject: 'Rechnungsfrage',
      });
      const history = (await api.call('GET', `/api/tickets/${ticket.id}/events`, { token: agent }))
        .body as { type: string; actor: { type: string }; data: { to?: string[] } }[];
      expect(history.find((e) => e.type === 'ticket.skills_changed')?.data.to).toEqual([
        skill.body.id,
      ]);
      expect(history.find((e) => e.type === 'ticket.created')?.actor.type).toBe('bot');
    });
  });

  it('lets the customer ask for a person from any node, in German too', async () => {
    const c = await start();
    await say(c.token, 'Order status');
    await say(c.token, 'Ich möchte mit einem Mitarbeiter sprechen');
    const entries = await feed(c.conversationId);
    expect(entries.some((e) => e.event.type === 'conversation.handed_off')).toBe(true);
  });

  it('puts other collected fields into an internal note on the ticket', async () => {
    const flow = {
      enabled: true,
      start: 'ask',
      defaultHandoff: { groupId: groupId('Support') },
      nodes: {
        ask: { type: 'collect', field: 'order_number', prompt: 'Order number?', next: 'go' },
        go: { type: 'handoff', handoff: { groupId: groupId('Support') } },
      },
    };
    await withFlow(flow, async () => {
      const c = await start();
      await say(c.token, 'A-12345');
      const note = (await feed(c.conversationId)).find(
        (e) => e.event.type === 'message.created' && e.event.message?.body.startsWith('Collected'),
      );
      expect(note?.event.message?.body).toContain('order_number: A-12345');
      const customerSees = await feed(c.conversationId, c.token);
      expect(customerSees.some((e) => e.event.message?.body.startsWith('Collected'))).toBe(false);
    });
  });

  it('does not ask a verified visitor for what their JWT says, and never changes it', async () => {
    const secret = 'bot-tests-identity-secret-0123456789abcdef';
    await api.call('PATCH', '/api/settings', { token: admin, body: { endUserJwtSecret: secret } });
    try {
      const now = Math.floor(clock.now().getTime() / 1000);
      const jwt = await new SignJWT({
        external_id: `crm-${kind}`,
        name: 'Vera Verified',
        email: 'vera@corp.example',
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(new TextEncoder().encode(secret));
      const session = await api.call('POST', '/api/widget/session', { body: { jwt } });
      expect(session.status, JSON.stringify(session.body)).toBe(200);
      const token = session.body.token as string;
      const started = await api.call('POST', '/api/conversations', { token, body: {} });
      const conversationId = started.body.conversation.id as string;
      await say(token, 'Talk to a person');
      const said = await botSaid(conversationId);
      expect(said.at(-1)).toContain('An agent from our Support team');
      expect(said.some((s) => s.includes('What is your name'))).toBe(false);
      const found = await api.call('GET', '/api/end-users?email=vera@corp.example', {
        token: admin,
      });
      expect(JSON.stringify(found.body)).toContain('Vera Verified');
    } finally {
      await api.call('PATCH', '/api/settings', { token: admin, body: { endUserJwtSecret: null } });
    }
  });

  it('answers a customer message once, however often its timer fires', async () => {
    const c = await start();
    const posted = await say(c.token, 'Something else');
    const before = await botSaid(c.conversationId);
    // A second process, or a retry after a crash, fires the same timer again.
    await t.server.timers.schedule(
      new Date(0),
      BOT_TIMER,
      { conversationId: c.conversationId },
      { key: botTimerKey(c.conversationId) },
    );
    await Promise.all([t.server.timers.runDue(), t.server.timers.runDue()]);
    expect(await botSaid(c.conversationId)).toEqual(before);
    const replies = (await feed(c.conversationId)).filter(
      (e) => e.event.message?.clientMessageId === `bot:${posted.message.id}`,
    );
    expect(replies).toHaveLength(1);
  });

  it('answers from its durable timer when the process stopped right after the message', async () => {
    const c = await start();
    const timers = t.server.timers;
    const runKey = timers.runKey.bind(timers);
    // As if the process died once the message committed: nothing fires the timer at once.
    timers.runKey = async () => false;
    try {
      await say(c.token, 'Order status');
    } finally {
      timers.runKey = runKey;
    }
    expect(await timers.isScheduled(botTimerKey(c.conversationId))).toBe(true);
    expect((await botSaid(c.conversationId)).at(-1)).toContain('How can I help');
    await timers.runDue();
    expect((await botSaid(c.conversationId)).at(-1)).toContain('order number');
    expect(await timers.isScheduled(botTimerKey(c.conversationId))).toBe(false);
  });

  it('hands every conversation to the default group at the first message when the flow is disabled', async () => {
    const demo = (await api.call('GET', '/api/bot/flow', { token: admin })).body.flow;
    await withFlow({ ...demo, enabled: false }, async () => {
      const c = await start();
      expect(await feed(c.conversationId)).toEqual([]);
      await say(c.token, 'Hello');
      const entries = await feed(c.conversationId);
      expect(entries.map((e) => e.event.type)).toEqual([
        'message.created',
        'conversation.handed_off',
        'ticket.updated',
      ]);
      expect(entries[1]!.event.groupId).toBe(groupId('Support'));
    });
  });

  it('never repeats card data from a customer message in its reply', async () => {
    const c = await start();
    await say(c.token, 'Something else');
    await say(c.token, 'my card is 4111 1111 1111 1111 exp 12/29, refund please');
    const all = JSON.stringify(await feed(c.conversationId));
    expect(all).not.toMatch(/4111[\s-]?1111[\s-]?1111/);
    expect((await botSaid(c.conversationId)).at(-1)).toContain('Returns and refunds');
  });

  it('refuses an invalid flow with the field at fault and saves nothing', async () => {
    const before = (await api.call('GET', '/api/bot/flow', { token: admin })).body;
    const flow = structuredClone(before.flow);
    flow.nodes.menu.buttons[0].next = 'nowhere';
    const r = await api.call('PUT', '/api/bot/flow', { token: admin, body: flow });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: 'bot/invalid-flow',
      field: 'nodes.menu.buttons.0.next',
    });
    const noGroup = structuredClone(before.flow);
    noGroup.defaultHandoff.groupId = '00000000-0000-4000-8000-000000000000';
    const r2 = await api.call('PUT', '/api/bot/flow', { token: admin, body: noGroup });
    expect(r2.body.error).toMatchObject({
      code: 'bot/invalid-flow',
      field: 'defaultHandoff.groupId',
    });
    const after = (await api.call('GET', '/api/bot/flow', { token: admin })).body;
    expect(after).toEqual(before);
  });

  it('refuses a save against a stale version', async () => {
    const current = (await api.call('GET', '/api/bot/flow', { token: admin })).body;
    const r = await api.call('PUT', `/api/bot/flow?expectedVersion=${current.version - 1}`, {
      token: admin,
      body: current.flow,
    });
    expect(r.status).toBe(409);
  });

  it('lets admins write articles and staff read them', async () => {
    const created = await api.call('POST', '/api/bot/articles', {
      token: admin,
      body: { title: 'Gift cards', keywords: ['gift card', 'Gutschein'], body: 'Valid 3 years.' },
    });
    expect(created.status).toBe(201);
    const patched = await api.call('PATCH', `/api/bot/articles/${created.body.id}`, {
      token: admin,
      body: { active: false },
    });
    expect(patched.body.active).toBe(false);
    const list = await api.call('GET', '/api/bot/articles', { token: agent });
    expect(list.body.map((a: { title: string }) => a.title)).toContain('Gift cards');
    const gone = await api.call('DELETE', `/api/bot/articles/${created.body.id}`, { token: admin });
    expect(gone.status).toBe(204);
    const again = await api.call('DELETE', `/api/bot/articles/${created.body.id}`, {
      token: admin,
    });
    expect(again.body.error).toMatchObject({ code: 'not-found', field: 'articleId' });
  });
});

describe('without a flow', () => {
  it('stays out of conversations', async () => {
    const t = await startTestServer('pglite');
    try {
      const api = apiClient(t.server.app);
      const visitor = await api.visitor();
      const r = await api.call('POST', '/api/widget/messages', {
        token: visitor.token,
        body: { body: 'hello' },
      });
      const events = await api.call(
        'GET',
        `/api/conversations/${r.body.conversationId}/events?after=0`,
        { token: visitor.token },
      );
      expect(events.body).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});

describe('the bot over the socket', () => {
  it('delivers its answer, with quick replies, to the widget’s socket', async () => {
    const t = await startTestServer('pglite', { bot: true, listen: true });
    try {
      const api = apiClient(t.server.app);
      const visitor = await api.visitor();
      const started = await api.call('POST', '/api/conversations', {
        token: visitor.token,
        body: {},
      });
      const conversationId = started.body.conversation.id as string;
      const socket = await TestSocket.open(t.url, visitor.token);
      await socket.request({ type: 'subscribe', conversationId, afterSeq: 0 });
      await socket.request({
        type: 'message.send',
        conversationId,
        clientMessageId: 'c1',
        body: 'Billing question',
      });
      // The socket's ack comes after the bot's answer: everything is here by now.
      const seen = socket.events(conversationId).map((e) =>
        e.event.type === 'message.created'
          ? {
              author: e.event.message.authorType,
              quick: e.event.message.quickReplies?.length ?? 0,
            }
          : e.event.type,
      );
      expect(seen).toEqual([
        { author: 'bot', quick: 4 },
        { author: 'end_user', quick: 0 },
        { author: 'bot', quick: 0 },
        'conversation.handed_off',
      ]);
      await socket.close();
    } finally {
      await t.close();
    }
  });
});
