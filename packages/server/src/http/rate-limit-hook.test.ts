import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { TestSocket } from '../testing/ws-client.js';

/** A client IP of its own for each test, so their counts never mix. */
let nextIp = 1;
const freshIp = () => `198.51.100.${nextIp++}`;

describe('rate limits on the API', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    t = await startTestServer('pglite', {
      clock,
      env: { RATE_LIMIT_TOKEN_PER_MIN: '3', RATE_LIMIT_IP_PER_MIN: '6' },
    });
    api = apiClient(t.server.app);
  });
  afterAll(async () => t.close());

  function call(
    method: 'GET' | 'POST',
    url: string,
    options: { ip: string; token?: string; body?: unknown },
  ) {
    return t.server.app.inject({
      method,
      url,
      remoteAddress: options.ip,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
    });
  }

  async function login(ip: string): Promise<string> {
    const r = await call('POST', '/api/auth/login', {
      ip,
      body: { email: DEMO_ACCOUNTS.admin.email, password: DEMO_ACCOUNTS.admin.password },
    });
    return (JSON.parse(r.body) as { token: string }).token;
  }

  it('answers a token over its limit with 429 rate/limited, Retry-After and the error body', async () => {
    clock.advance(60_000);
    const token = await login(freshIp());
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call('GET', '/api/me', { ip, token })).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
    clock.advance(15_000);
    const refused = await call('GET', '/api/me', { ip, token });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('45');
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(refused.body)).toEqual({
      error: { code: 'rate/limited', message: 'Too many requests; try again in 45 seconds' },
    });
  });

  it('serves the token again once its minute has passed', async () => {
    clock.advance(60_000);
    const token = await login(freshIp());
    for (let i = 0; i < 4; i++) await call('GET', '/api/me', { ip: freshIp(), token });
    clock.advance(60_000);
    expect((await call('GET', '/api/me', { ip: freshIp(), token })).statusCode).toBe(200);
  });

  it('counts each token on its own', async () => {
    clock.advance(60_000);
    const [a, b] = [await login(freshIp()), await login(freshIp())];
    for (let i = 0; i < 4; i++) await call('GET', '/api/me', { ip: freshIp(), token: a });
    expect((await call('GET', '/api/me', { ip: freshIp(), token: b })).statusCode).toBe(200);
  });

  it('counts an end user by who they are, however many widget tokens they fetch', async () => {
    clock.advance(60_000);
    const first = await api.visitor();
    clock.advance(1_000);
    const again = await call('POST', '/api/widget/session', {
      ip: freshIp(),
      body: { token: first.token },
    });
    const second = (JSON.parse(again.body) as { token: string }).token;
    expect(second).not.toBe(first.token);
    for (let i = 0; i < 3; i++)
      await call('GET', '/api/conversations', { ip: freshIp(), token: first.token });
    expect(
      (await call('GET', '/api/conversations', { ip: freshIp(), token: second })).statusCode,
    ).toBe(429);
  });

  it('answers a client IP over its limit with 429, whatever tokens it uses or none', async () => {
    clock.advance(60_000);
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call('POST', '/api/widget/session', { ip, body: {} })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await call('POST', '/api/widget/session', { ip, body: {} })).statusCode).toBe(429);
    expect((await call('GET', '/api/me', { ip, token: 'pls_not-even-valid' })).statusCode).toBe(
      429,
    );
    expect(
      (await call('POST', '/api/widget/session', { ip: freshIp(), body: {} })).statusCode,
    ).toBe(200);
  });

  it('changes nothing for a refused request', async () => {
    clock.advance(60_000);
    const visitor = await api.visitor();
    const ip = freshIp();
    for (let i = 0; i < 3; i++)
      await call('POST', '/api/conversations', { ip, token: visitor.token, body: {} });
    const refused = await call('POST', '/api/conversations', {
      ip,
      token: visitor.token,
      body: { body: 'one too many' },
    });
    expect(refused.statusCode).toBe(429);
    clock.advance(60_000);
    const list = await call('GET', '/api/conversations', { ip: freshIp(), token: visitor.token });
    const conversations = JSON.parse(list.body) as unknown[];
    expect(conversations).toHaveLength(3);
  });

  it('leaves pages and the health check outside the API limits', async () => {
    clock.advance(60_000);
    const ip = freshIp();
    for (let i = 0; i < 10; i++)
      expect((await call('GET', '/healthz', { ip })).statusCode).toBe(200);
  });
});

describe('rate limits on socket frames', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    t = await startTestServer('pglite', {
      clock,
      listen: true,
      env: {
        RATE_LIMIT_WS_FRAMES_PER_10S: '5',
        RATE_LIMIT_IP_PER_MIN: '3',
        RATE_LIMIT_TOKEN_PER_MIN: '3',
      },
    });
    api = apiClient(t.server.app);
  });
  afterAll(async () => t.close());

  it('answers a frame over the connection budget with rate/limited and retryAfterSeconds, unprocessed', async () => {
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: {},
    });
    const conversationId = started.body.conversation.id as string;
    const socket = await TestSocket.open(t.url, visitor.token);
    for (let i = 0; i < 5; i++) {
      const reply = await socket.request({ type: 'ping' });
      expect(reply.type, `frame ${i}`).toBe('pong');
    }
    clock.advance(4_000);
    const refused = await socket.request({
      type: 'message.send',
      conversationId,
      clientMessageId: 'over-the-limit',
      body: 'not stored',
    });
    expect(refused).toEqual({
      type: 'error',
      ref: expect.any(String),
      code: 'rate/limited',
      message: 'Too many requests; try again in 6 seconds',
      retryAfterSeconds: 6,
    });
    clock.advance(6_000);
    expect((await socket.request({ type: 'ping' })).type).toBe('pong');
    const events = await api.call('GET', `/api/conversations/${conversationId}/events`, {
      token: visitor.token,
    });
    expect(JSON.stringify(events.body)).not.toContain('not stored');
    await socket.close();
  });

  it('never counts socket frames against the per-IP or per-token request limits', async () => {
    clock.advance(60_000);
    const visitor = await api.visitor();
    const sockets = [
      await TestSocket.open(t.url, visitor.token),
      await TestSocket.open(t.url, visitor.token),
    ];
    for (const socket of sockets)
      for (let i = 0; i < 5; i++)
        expect((await socket.request({ type: 'ping' })).type).toBe('pong');
    const r = await api.call('GET', '/api/conversations', { token: visitor.token });
    expect(r.status).toBe(200);
    for (const socket of sockets) await socket.close();
  });
});

describe.skipIf(!process.env.REDIS_URL)('login brute-force protection across processes', () => {
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    const env = { REDIS_URL: process.env.REDIS_URL ?? '' };
    a = await startTestServer('pglite', { env });
    b = await startTestServer('pglite', { env });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const attempt = (server: TestServer, ip: string, email: string, password: string) =>
    server.server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password }),
    });

  it('blocks an email in every process once its failures reach the limit in any of them', async () => {
    // Unique per run: the counts live in the shared Redis for 15 minutes.
    const run = randomBytes(4).toString('hex');
    const email = `brute-${run}@example.com`;
    const ip = `10.${parseInt(run.slice(0, 2), 16)}.${parseInt(run.slice(2, 4), 16)}.${parseInt(run.slice(4, 6), 16)}`;
    for (let i = 0; i < 5; i++)
      expect((await attempt(i % 2 ? a : b, ip, email, 'wrong')).statusCode).toBe(401);
    const blocked = await attempt(a, ip, email, 'wrong');
    expect(blocked.statusCode).toBe(429);
    expect(JSON.parse(blocked.body).error.code).toBe('auth/rate-limited');
    expect((await attempt(b, ip, email, 'wrong')).statusCode).toBe(429);
  });
});
