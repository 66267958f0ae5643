import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { TestSocket } from '../testing/ws-client.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Bad input gets a clear 4xx naming the problem, changes nothing, and never crashes the server. */
describe('bad input', () => {
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let agent: string;
  let agentId: string;
  let supportId: string;

  beforeAll(async () => {
    t = await startTestServer('pglite', { listen: true });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    agentId = (await api.call('GET', '/api/me', { token: agent })).body.id;
    supportId = (await api.call('GET', '/api/groups', { token: agent })).body.find(
      (g: { name: string }) => g.name === 'Support',
    ).id;
  });
  afterAll(async () => t.close());

  /** Sends a raw payload (not necessarily JSON) and parses the JSON reply. */
  async function raw(
    method: 'POST' | 'PATCH' | 'GET',
    url: string,
    payload: string | Buffer | undefined,
    headers: Record<string, string>,
  ) {
    const r = await t.server.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
    return {
      status: r.statusCode,
      body: JSON.parse(r.body) as { error: { code: string; message: string; field?: string } },
      headers: r.headers,
    };
  }

  async function startChat(text = 'Where is my order?') {
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: text },
    });
    expect(started.status).toBe(201);
    return { visitor, conversationId: started.body.conversation.id as string };
  }

  async function newTicket() {
    const chat = await startChat();
    const handoff = await api.call('POST', `/api/conversations/${chat.conversationId}/handoff`, {
      token: chat.visitor.token,
      body: { groupId: supportId },
    });
    expect(handoff.status).toBe(201);
    return { ...chat, ticketId: handoff.body.id as string };
  }

  async function patchTicket(
    ticketId: string,
    body: Record<string, unknown>,
    expectedStatus = 200,
  ) {
    const r = await api.call('PATCH', `/api/tickets/${ticketId}`, { token: agent, body });
    expect(r.status, JSON.stringify(r.body)).toBe(expectedStatus);
    return r;
  }

  /** What a refusal must leave untouched: the ticket as read back, and its whole history. */
  async function ticketSnapshot(ticketId: string) {
    const ticket = await api.call('GET', `/api/tickets/${ticketId}`, { token: agent });
    const history = await api.call('GET', `/api/tickets/${ticketId}/events`, { token: agent });
    expect(ticket.status).toBe(200);
    expect(history.status).toBe(200);
    return { ticket: ticket.body, events: history.body.length as number };
  }

  async function expectRefusedUnchanged(
    ticketId: string,
    body: Record<string, unknown>,
    status: number,
    code: string,
    field?: string,
  ) {
    const before = await ticketSnapshot(ticketId);
    const r = await api.call('PATCH', `/api/tickets/${ticketId}`, { token: agent, body });
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(typeof r.body.error.message).toBe('string');
    if (field) expect(r.body.error.field).toBe(field);
    const after = await ticketSnapshot(ticketId);
    expect(after.ticket.status).toBe(before.ticket.status);
    expect(after.ticket.version).toBe(before.ticket.version);
    expect(after).toEqual(before);
  }

  async function lastSeq(conversationId: string): Promise<number> {
    const r = await api.call('GET', `/api/conversations/${conversationId}`, { token: agent });
    expect(r.status).toBe(200);
    return r.body.lastSeq as number;
  }

  it('refuses malformed JSON with 400 request/invalid-json', async () => {
    const r = await raw(
      'POST',
      '/api/auth/login',
      '{"email": "admin@parlour.example", "password":',
      { 'content-type': 'application/json' },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('request/invalid-json');
  });

  it('refuses a body that is not JSON with 415, whatever the declared type', async () => {
    const auth = { authorization: `Bearer ${admin}` };
    for (const contentType of [
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
    ]) {
      const r = await raw('POST', '/api/groups', 'name=Sneaky', {
        ...auth,
        'content-type': contentType,
      });
      expect(r.status, contentType).toBe(415);
      expect(r.body.error.code).toBe('request/unsupported-media-type');
    }
    const groups = await api.call('GET', '/api/groups', { token: admin });
    expect(groups.body.map((g: { name: string }) => g.name)).not.toContain('Sneaky');
  });

  it('names an unknown field with 400 validation/invalid', async () => {
    const r = await api.call('POST', '/api/groups', {
      token: admin,
      body: { name: 'Sales', colour: 'red' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'colour' });
    expect(r.body.error.message).toMatch(/colour.*not a known field/);
    const groups = await api.call('GET', '/api/groups', { token: admin });
    expect(groups.body.map((g: { name: string }) => g.name)).not.toContain('Sales');
  });

  it('names a missing required field with 400 validation/invalid', async () => {
    const r = await api.call('POST', '/api/users', {
      token: admin,
      body: { role: 'agent', email: 'new@parlour.example', name: 'New Agent' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'password' });
    expect(r.body.error.message).toMatch(/password/);
  });

  it('names a path id that is not a uuid with 400 validation/invalid', async () => {
    const r = await api.call('GET', '/api/tickets/not-a-uuid', { token: agent });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'ticketId' });
  });

  it('names an email that is not an email with 400 validation/invalid', async () => {
    const r = await api.call('POST', '/api/users', {
      token: admin,
      body: { role: 'agent', email: 'not an email', name: 'Nobody', password: 'long-enough-1' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'email' });
    const users = await api.call('GET', '/api/users', { token: admin });
    expect(users.body.map((u: { name: string }) => u.name)).not.toContain('Nobody');
  });

  it('names a query value that is not an id with 400 validation/invalid', async () => {
    for (const [query, field] of [
      ['assigneeId=------------------------------------', 'assigneeId'],
      ['limit=lots', 'limit'],
      [
        `cursor=${Buffer.from('2026-01-05T09:00:00.000Z|------------------------------------').toString('base64url')}`,
        'cursor',
      ],
      [
        `cursor=${Buffer.from('-271821-04-20T00:00:00.000Z|019b8d62-7a80-719f-b8bd-0540a450020b').toString('base64url')}`,
        'cursor',
      ],
    ] as const) {
      const r = await api.call('GET', `/api/tickets?${query}`, { token: agent });
      expect(r.status, `${query} -> ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'validation/invalid', field });
    }
  });

  it('refuses text containing NUL characters with 400 naming the field, storing nothing', async () => {
    const { visitor, conversationId } = await startChat();
    const seq = await lastSeq(conversationId);
    const message = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'a\u0000b' },
    });
    expect(message.status, JSON.stringify(message.body)).toBe(400);
    expect(message.body.error).toMatchObject({ code: 'validation/invalid', field: 'body' });
    expect(await lastSeq(conversationId)).toBe(seq);

    const group = await api.call('POST', '/api/groups', {
      token: admin,
      body: { name: 'Nul\u0000Group' },
    });
    expect(group.status).toBe(400);
    expect(group.body.error).toMatchObject({ code: 'validation/invalid', field: 'name' });

    const query = await api.call('GET', '/api/tickets?tag=a%00b', { token: agent });
    expect(query.status).toBe(400);
    expect(query.body.error).toMatchObject({ code: 'validation/invalid', field: 'tag' });
  });

  it('refuses a feed position beyond any sequence number with 400', async () => {
    const { visitor, conversationId } = await startChat();
    const r = await api.call(
      'GET',
      `/api/conversations/${conversationId}/events?after=100000000000000000000`,
      { token: visitor.token },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'after' });
  });

  it('answers a malformed URL or an overlong path parameter in the error shape', async () => {
    const bad = await raw('GET', '/api/users/%E0%A4%A', undefined, {
      authorization: `Bearer ${agent}`,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('request/invalid');
    const long = await raw('GET', `/api/users/${'a'.repeat(300)}`, undefined, {
      authorization: `Bearer ${agent}`,
    });
    expect(long.status).toBe(414);
    expect(long.body.error.code).toBe('request/invalid');
  });

  it('refuses a body over the size limit with 413 request/too-large', async () => {
    const { visitor, conversationId } = await startChat();
    const seq = await lastSeq(conversationId);
    const payload = JSON.stringify({ body: 'x'.repeat(1024 * 1024) });
    const r = await raw('POST', `/api/conversations/${conversationId}/messages`, payload, {
      authorization: `Bearer ${visitor.token}`,
      'content-type': 'application/json',
    });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('request/too-large');
    expect(await lastSeq(conversationId)).toBe(seq);
  });

  it('refuses a message over 10,000 characters with 400 naming body', async () => {
    const { visitor, conversationId } = await startChat();
    const seq = await lastSeq(conversationId);
    const r = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'x'.repeat(10_001) },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'body' });
    expect(await lastSeq(conversationId)).toBe(seq);
  });

  it('refuses an empty message with 400 message/empty', async () => {
    const { visitor, conversationId } = await startChat();
    const seq = await lastSeq(conversationId);
    for (const body of ['', '   \n\t ']) {
      const r = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: visitor.token,
        body: { body },
      });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'message/empty', field: 'body' });
    }
    expect(await lastSeq(conversationId)).toBe(seq);
  });

  it('refuses moving a New ticket straight to Closed with 409, changing nothing', async () => {
    const { ticketId } = await newTicket();
    await expectRefusedUnchanged(
      ticketId,
      { status: 'closed' },
      409,
      'ticket/illegal-transition',
      'status',
    );
  });

  it('refuses moving an Open ticket back to New with 409, changing nothing', async () => {
    const { ticketId } = await newTicket();
    const opened = await patchTicket(ticketId, { assigneeId: agentId });
    expect(opened.body.status).toBe('open');
    await expectRefusedUnchanged(
      ticketId,
      { status: 'new' },
      409,
      'ticket/illegal-transition',
      'status',
    );
  });

  it('refuses solving a ticket without an assignee with 422 ticket/assignee-required, changing nothing', async () => {
    const { ticketId } = await newTicket();
    await expectRefusedUnchanged(
      ticketId,
      { status: 'solved' },
      422,
      'ticket/assignee-required',
      'assigneeId',
    );
    await expectRefusedUnchanged(
      ticketId,
      { status: 'solved', priority: 'urgent', addTags: ['vip'] },
      422,
      'ticket/assignee-required',
    );
  });

  it('refuses any change to a Closed ticket with 409 ticket/closed, changing nothing', async () => {
    const { ticketId } = await newTicket();
    await patchTicket(ticketId, { assigneeId: agentId });
    await patchTicket(ticketId, { status: 'solved' });
    const closed = await patchTicket(ticketId, { status: 'closed' });
    expect(closed.body.status).toBe('closed');
    for (const body of [
      { status: 'open' },
      { assigneeId: null },
      { priority: 'high' },
      { addTags: ['again'] },
      { subject: 'Reopen me' },
      { groupId: supportId },
    ]) {
      await expectRefusedUnchanged(ticketId, body, 409, 'ticket/closed');
    }
  });

  it('refuses a stale expectedVersion with 409 conflict, changing nothing', async () => {
    const { ticketId } = await newTicket();
    const opened = await patchTicket(ticketId, { assigneeId: agentId });
    const version = opened.body.version as number;
    await patchTicket(ticketId, { priority: 'high', expectedVersion: version });
    await expectRefusedUnchanged(
      ticketId,
      { priority: 'low', expectedVersion: version },
      409,
      'conflict',
      'expectedVersion',
    );
  });

  it('refuses a customer posting an internal note with 403 message/forbidden-kind', async () => {
    const { visitor, conversationId } = await startChat();
    const seq = await lastSeq(conversationId);
    const r = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'let me in', kind: 'internal' },
    });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'message/forbidden-kind', field: 'kind' });
    expect(await lastSeq(conversationId)).toBe(seq);
  });

  it("refuses another role's route with 403 auth/forbidden, changing nothing", async () => {
    const r = await api.call('PATCH', '/api/settings', {
      token: agent,
      body: { agentsMayEndSessions: false },
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('auth/forbidden');
    const settings = await api.call('GET', '/api/settings', { token: admin });
    expect(settings.body.agentsMayEndSessions).toBe(true);
  });

  it('refuses a forged widget token with 401 auth/token-invalid', async () => {
    const { visitor } = await startChat();
    const [version, , signature] = visitor.token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: visitor.endUserId, exp: Date.UTC(2099, 0, 1) }),
    ).toString('base64url');
    for (const forged of [
      `${version}.${payload}.${signature}`,
      `v1.${payload}.${'A'.repeat(43)}`,
      'v1.not.valid',
    ]) {
      const r = await api.call('GET', '/api/conversations', { token: forged });
      expect(r.status, forged).toBe(401);
      expect(r.body.error.code).toBe('auth/token-invalid');
      const session = await api.call('POST', '/api/widget/session', { body: { token: forged } });
      expect(session.status).toBe(401);
      expect(session.body.error).toMatchObject({ code: 'auth/token-invalid', field: 'token' });
    }
    await expect(TestSocket.open(t.url, `v1.${payload}.${signature}`)).rejects.toThrow(/401/);
  });

  it('refuses a tampered login token with 401 auth/token-invalid', async () => {
    const token = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    for (const tampered of [
      `${token.slice(0, -1)}${last}`,
      `${token}x`,
      'pls_',
      `plt_${token.slice(4)}`,
    ]) {
      const r = await api.call('GET', '/api/me', { token: tampered });
      expect(r.status, tampered).toBe(401);
      expect(r.body.error.code).toBe('auth/token-invalid');
    }
    expect((await api.call('GET', '/api/me', { token })).status).toBe(200);
  });

  it('answers an unknown route with 404 route/not-found', async () => {
    for (const [method, url] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/tickets'],
      ['DELETE', '/api/tickets'],
    ] as const) {
      const r = await api.call(method, url, { token: admin });
      expect(r.status, `${method} ${url}`).toBe(404);
      expect(r.body.error.code).toBe('route/not-found');
    }
  });

  it('locks an email out after 5 wrong passwords with 429 auth/rate-limited and Retry-After, even for the right password', async () => {
    const { email, password } = DEMO_ACCOUNTS.agents[1];
    for (let i = 0; i < 5; i++) {
      const wrong = await api.call('POST', '/api/auth/login', {
        body: { email, password: `wrong-${i}` },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('auth/invalid-credentials');
    }
    for (const attempt of ['wrong-again', password]) {
      const r = await api.call('POST', '/api/auth/login', { body: { email, password: attempt } });
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('auth/rate-limited');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    // The limit is per email: another account still logs in.
    expect(
      (
        await api.call('POST', '/api/auth/login', {
          body: { email: DEMO_ACCOUNTS.admin.email, password: DEMO_ACCOUNTS.admin.password },
        })
      ).status,
    ).toBe(200);
  });

  it('answers a non-JSON frame with frame/invalid-json and keeps the socket open', async () => {
    const socket = await TestSocket.open(t.url, agent);
    socket.sendRaw('{"type": "ping"');
    const error = await socket.next((f) => f.type === 'error');
    expect(error).toMatchObject({ type: 'error', code: 'frame/invalid-json' });
    socket.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({
      code: 'frame/invalid-json',
    });
    expect(await socket.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await socket.close();
  });

  it('answers an unknown frame type or an extra field with validation/invalid naming it, and keeps the socket open', async () => {
    const socket = await TestSocket.open(t.url, agent);
    const unknown = await socket.request({ type: 'teleport' });
    expect(unknown).toMatchObject({ type: 'error', code: 'validation/invalid', field: 'type' });
    const extra = await socket.request({ type: 'ping', sneaky: true });
    expect(extra).toMatchObject({ type: 'error', code: 'validation/invalid', field: 'sneaky' });
    const missing = await socket.request({ type: 'unsubscribe' });
    expect(missing).toMatchObject({
      type: 'error',
      code: 'validation/invalid',
      field: 'conversationId',
    });
    expect(await socket.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    await socket.close();
  });

  it('answers frames the storage could not hold with validation/invalid, storing nothing', async () => {
    const { visitor, conversationId } = await startChat();
    const seq = await lastSeq(conversationId);
    const socket = await TestSocket.open(t.url, visitor.token);
    const nul = await socket.request({
      type: 'message.send',
      conversationId,
      clientMessageId: 'n1',
      body: 'a\u0000b',
    });
    expect(nul).toMatchObject({ type: 'error', code: 'validation/invalid', field: 'body' });
    const far = await socket.request({ type: 'subscribe', conversationId, afterSeq: 2 ** 40 });
    expect(far).toMatchObject({ type: 'error', code: 'validation/invalid', field: 'afterSeq' });
    expect(await socket.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    expect(await lastSeq(conversationId)).toBe(seq);
    await socket.close();
  });

  it('refuses a WebSocket handshake from a disallowed Origin with 403', async () => {
    await expect(TestSocket.open(t.url, agent, { origin: 'https://evil.example' })).rejects.toThrow(
      /403/,
    );
  });

  it('accepts a WebSocket handshake from an Origin an admin allowed', async () => {
    const r = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { allowedOrigins: ['https://shop.example'] },
    });
    expect(r.status).toBe(200);
    const socket = await TestSocket.open(t.url, agent, { origin: 'https://shop.example' });
    expect(await socket.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await socket.close();
    await expect(TestSocket.open(t.url, agent, { origin: 'https://evil.example' })).rejects.toThrow(
      /403/,
    );
  });
});

describe('expired tokens', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    t = await startTestServer('pglite', { listen: true, clock });
    api = apiClient(t.server.app);
  });
  afterAll(async () => t.close());

  it('refuses an expired widget token with 401, and a new session from it with auth/token-expired', async () => {
    const visitor = await api.visitor();
    expect((await api.call('GET', '/api/conversations', { token: visitor.token })).status).toBe(
      200,
    );
    clock.advance(31 * DAY_MS);
    const r = await api.call('GET', '/api/conversations', { token: visitor.token });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth/token-invalid');
    const session = await api.call('POST', '/api/widget/session', {
      body: { token: visitor.token },
    });
    expect(session.status).toBe(401);
    expect(session.body.error).toMatchObject({ code: 'auth/token-expired', field: 'token' });
    await expect(TestSocket.open(t.url, visitor.token)).rejects.toThrow(/401/);
  });
});
