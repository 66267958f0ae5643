import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { API_CSP, pageCsp, securityHeadersHook } from './security-headers.js';

const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self' wss://support.example.com; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

describe('security headers', () => {
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    t = await startTestServer('pglite', { env: { PUBLIC_URL: 'https://support.example.com' } });
    api = apiClient(t.server.app);
  });
  afterAll(async () => t.close());

  it('gives a JSON API response nosniff, no Referer, no framing and the API CSP', async () => {
    const token = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const r = await api.call('GET', '/api/me', { token });
    expect(r.status).toBe(200);
    expect(r.headers).toMatchObject({
      'content-type': expect.stringMatching(/^application\/json/),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    });
  });

  it('gives errors and unknown routes the same headers', async () => {
    for (const [url, status] of [
      ['/api/me', 401],
      ['/api/no-such-route', 404],
    ] as const) {
      const r = await api.call('GET', url);
      expect(r.status, url).toBe(status);
      expect(r.headers['content-security-policy'], url).toBe(API_CSP);
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toBe('DENY');
    }
  });

  it('sends Strict-Transport-Security when the public URL is https', async () => {
    const r = await api.call('GET', '/healthz');
    expect(r.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('serves the CSAT page under the strict page CSP, framed by nobody', async () => {
    const r = await api.call('GET', `/csat/${'A'.repeat(43)}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
  });

  it('keeps the CSAT page working under its CSP: no inline code, and its script is served', async () => {
    const page = String((await api.call('GET', `/csat/${'A'.repeat(43)}`)).body);
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/[^"]+"/);
      expect(content!.trim()).toBe('');
    }
    expect(page).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    for (const [, attributes] of scripts) {
      const src = /\bsrc="([^"]+)"/.exec(attributes!)![1]!;
      const script = await api.call('GET', src);
      expect(script.status, src).toBe(200);
      expect(script.headers['content-type'], src).toMatch(/^text\/javascript/);
      expect(script.headers['x-content-type-options'], src).toBe('nosniff');
    }
  });
});

describe('security headers of a route that declares its CSP', () => {
  async function appWith(publicUrl: string, allowedOrigins: readonly string[]) {
    const app = Fastify();
    app.addHook(
      'onSend',
      securityHeadersHook({ publicUrl, allowedOrigins: async () => allowedOrigins }),
    );
    app.get('/widget', { config: { csp: 'widget' } }, async (_request, reply) =>
      reply.type('text/html').send('<!doctype html><title>widget</title>'),
    );
    app.get('/page-as-json', { config: { csp: 'page' } }, async () => ({ ok: true }));
    await app.ready();
    return app;
  }

  it("lets the widget's page be framed by the admin's allowed origins, and no others", async () => {
    const app = await appWith('https://support.example.com', ['https://shop.example.com']);
    const r = await app.inject({ method: 'GET', url: '/widget' });
    expect(r.headers['content-security-policy']).toContain(
      "frame-ancestors 'self' https://shop.example.com",
    );
    expect(r.headers['x-frame-options']).toBeUndefined();
    await app.close();
  });

  it('keeps a stored origin that is not a plain origin out of the header', async () => {
    const app = await appWith('https://support.example.com', [
      "https://shop.example.com; script-src 'unsafe-inline'",
      'https://ok.example.com:8443',
    ]);
    const r = await app.inject({ method: 'GET', url: '/widget' });
    const csp = String(r.headers['content-security-policy']);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'self' https://ok.example.com:8443");
    await app.close();
  });

  it('uses the CSP a route declares whatever its content type', async () => {
    const app = await appWith('http://127.0.0.1:8080', []);
    const r = await app.inject({ method: 'GET', url: '/page-as-json' });
    expect(r.headers['content-security-policy']).toBe(
      pageCsp({ socketOrigin: 'ws://127.0.0.1:8080' }),
    );
    await app.close();
  });

  it('sends no Strict-Transport-Security over plain http', async () => {
    const app = await appWith('http://127.0.0.1:8080', []);
    const r = await app.inject({ method: 'GET', url: '/page-as-json' });
    expect(r.headers['strict-transport-security']).toBeUndefined();
    await app.close();
  });
});
