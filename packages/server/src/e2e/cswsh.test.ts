import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const OWN = 'https://support.example.com';
const SHOP = 'https://shop.example.com';
const EVIL = 'https://evil.example';

interface Handshake {
  /** The HTTP status of a refused handshake; 101 when the socket opened. */
  readonly status: number;
  /** Frames the server sent (a refused handshake must have none). */
  readonly frames: unknown[];
}

/**
 * Cross-site WebSocket hijacking: a page on another origin opens the server's socket and the
 * browser attaches the visitor's cookie. Real sockets, real handshakes, the Origin a browser sends.
 */
describe('cross-site WebSocket hijacking', () => {
  let t: TestServer;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestServer('pglite', { listen: true, env: { PUBLIC_URL: OWN } });
    const response = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: DEMO_ACCOUNTS.agents[0].email,
        password: DEMO_ACCOUNTS.agents[0].password,
      }),
    });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    cookie = /parlour_session=[^;]+/.exec(setCookie)![0];
    const admin = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: DEMO_ACCOUNTS.admin.email,
        password: DEMO_ACCOUNTS.admin.password,
      }),
    });
    const { token } = (await admin.json()) as { token: string };
    const patched = await fetch(`${t.url}/api/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ allowedOrigins: [SHOP] }),
    });
    expect(patched.status).toBe(200);
  });
  afterAll(async () => t.close());

  /** Opens /ws as a browser would, waits for the welcome frame or the refusal, then closes. */
  function handshake(headers: Record<string, string>, query = ''): Promise<Handshake> {
    return new Promise((resolve, reject) => {
      const frames: unknown[] = [];
      const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/ws${query}`, { headers });
      ws.on('message', (data) => {
        frames.push(JSON.parse(String(data)));
        ws.close();
      });
      ws.once('close', () => resolve({ status: 101, frames }));
      ws.once('unexpected-response', (_request, response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, frames });
      });
      ws.once('error', (error) => {
        if (!frames.length) reject(error);
      });
    });
  }

  async function widgetToken(): Promise<string> {
    const response = await fetch(`${t.url}/api/widget/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return ((await response.json()) as { token: string }).token;
  }

  it('refuses a handshake from another origin carrying a valid session cookie, before any frame', async () => {
    const result = await handshake({ cookie, origin: EVIL });
    expect(result).toEqual({ status: 403, frames: [] });
  });

  it("opens a socket for the same cookie from the server's own origin", async () => {
    const result = await handshake({ cookie, origin: OWN });
    expect(result.status).toBe(101);
    expect(result.frames).toMatchObject([{ type: 'welcome', principal: { kind: 'user' } }]);
  });

  it('refuses the session cookie even from an origin the admin allowed for the widget', async () => {
    const result = await handshake({ cookie, origin: SHOP });
    expect(result).toEqual({ status: 403, frames: [] });
  });

  it('opens a widget socket from an origin the admin allowed, with the widget token', async () => {
    const token = await widgetToken();
    const result = await handshake({ origin: SHOP }, `?token=${encodeURIComponent(token)}`);
    expect(result.status).toBe(101);
    expect(result.frames).toMatchObject([{ type: 'welcome', principal: { kind: 'end_user' } }]);
  });

  it('takes the explicit widget token over a cookie the browser attached on an allowed origin', async () => {
    const token = await widgetToken();
    const result = await handshake({ cookie, origin: SHOP }, `?token=${encodeURIComponent(token)}`);
    expect(result.status).toBe(101);
    expect(result.frames).toMatchObject([{ type: 'welcome', principal: { kind: 'end_user' } }]);
  });

  it('refuses a widget token from an origin nobody allowed', async () => {
    const token = await widgetToken();
    const result = await handshake({ origin: EVIL }, `?token=${encodeURIComponent(token)}`);
    expect(result).toEqual({ status: 403, frames: [] });
  });
});
