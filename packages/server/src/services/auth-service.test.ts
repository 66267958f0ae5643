import type { ApiTokenInfo, CreatedApiToken, WidgetSessionReply } from '@parlour/protocol';
import type { Static } from 'typebox';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const JWT_SECRET = 'auth-tests-identity-secret-0123456789abcdef';
const ADMIN = DEMO_ACCOUNTS.admin;
const AGENT = DEMO_ACCOUNTS.agents[0];

describe.each(availableStorageKinds())('authentication over HTTP on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
    adminToken = await api.login(ADMIN.email, ADMIN.password);
  });
  afterAll(async () => t.close());

  const me = (options: { token?: string; cookie?: string }) =>
    api.call('GET', '/api/me', {
      ...(options.token ? { token: options.token } : {}),
      ...(options.cookie ? { headers: { cookie: options.cookie } } : {}),
    });

  /** The session cookie a login reply sets, as a browser would send it back. */
  function sessionCookie(setCookie: unknown): { header: string; attributes: string[] } {
    const line = [setCookie]
      .flat()
      .find((c): c is string => typeof c === 'string' && c.startsWith('parlour_session='));
    if (!line) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
    const [pair, ...attributes] = line.split(';').map((p) => p.trim());
    return { header: pair!, attributes: attributes.map((a) => a.toLowerCase()) };
  }

  const login = (email: string, password: string) =>
    api.call('POST', '/api/auth/login', { body: { email, password } });

  describe('staff login', () => {
    it('sets an httpOnly, SameSite=Strict session cookie that identifies the user', async () => {
      const r = await login(AGENT.email, AGENT.password);
      expect(r.status).toBe(200);
      const cookie = sessionCookie(r.headers['set-cookie']);
      expect(cookie.attributes).toContain('httponly');
      expect(cookie.attributes).toContain('samesite=strict');
      expect(cookie.header).toBe(`parlour_session=${r.body.token}`);
      const who = await me({ cookie: cookie.header });
      expect(who.status).toBe(200);
      expect(who.body).toMatchObject({ email: AGENT.email, role: 'agent' });
    });

    it('gives a token that works as a bearer token', async () => {
      const r = await login(AGENT.email, AGENT.password);
      expect(r.body.user).toMatchObject({ email: AGENT.email, role: 'agent' });
      const who = await me({ token: r.body.token });
      expect(who.status).toBe(200);
      expect(who.body.id).toBe(r.body.user.id);
    });

    it('ends the session at logout: the token is refused afterwards', async () => {
      const token = await api.login(AGENT.email, AGENT.password);
      expect((await me({ token })).status).toBe(200);
      const out = await api.call('POST', '/api/auth/logout', { token });
      expect(out.status).toBe(204);
      const after = await me({ token });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('auth/token-invalid');
    });

    it('ends a cookie session at logout and clears the cookie', async () => {
      const r = await login(AGENT.email, AGENT.password);
      const cookie = sessionCookie(r.headers['set-cookie']).header;
      const out = await api.call('POST', '/api/auth/logout', { headers: { cookie } });
      expect(out.status).toBe(204);
      expect(sessionCookie(out.headers['set-cookie']).header).toBe('parlour_session=');
      expect((await me({ cookie })).status).toBe(401);
    });

    it('expires a login session after a day', async () => {
      const r = await login(AGENT.email, AGENT.password);
      expect(new Date(r.body.expiresAt).getTime() - clock.now().getTime()).toBe(24 * 3600 * 1000);
      clock.advance(24 * 3600 * 1000 + 1_000);
      const after = await me({ token: r.body.token });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('auth/token-invalid');
      adminToken = await api.login(ADMIN.email, ADMIN.password);
    });

    it('answers a wrong password and an unknown email alike', async () => {
      const wrong = await login(AGENT.email, 'not-the-password');
      const unknown = await login('nobody@parlour.example', AGENT.password);
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.error.code).toBe('auth/invalid-credentials');
    });

    it('accepts the email in any case', async () => {
      const r = await login(AGENT.email.toUpperCase(), AGENT.password);
      expect(r.status).toBe(200);
    });

    it("refuses a deactivated user's login and stops their existing token", async () => {
      const created = await api.call('POST', '/api/users', {
        token: adminToken,
        body: {
          role: 'agent',
          email: 'leaving@parlour.example',
          name: 'Leah Leaving',
          password: 'leaving-pass',
        },
      });
      expect(created.status).toBe(201);
      const token = await api.login('leaving@parlour.example', 'leaving-pass');
      expect((await me({ token })).status).toBe(200);

      const off = await api.call('PATCH', `/api/users/${created.body.id}`, {
        token: adminToken,
        body: { active: false },
      });
      expect(off.body.active).toBe(false);
      // Tokens are cached for five seconds per process; after that the deactivation holds.
      clock.advance(6_000);
      const after = await me({ token });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('auth/token-invalid');
      const again = await login('leaving@parlour.example', 'leaving-pass');
      expect(again.status).toBe(401);
      expect(again.body.error.code).toBe('auth/invalid-credentials');
    });

    it('refuses a request without any token', async () => {
      const r = await me({});
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('auth/unauthenticated');
    });
  });

  describe('API tokens', () => {
    it('shows a new token once, and lists it afterwards without its secret', async () => {
      const created = await api.call<CreatedApiToken>('POST', '/api/api-tokens', {
        token: adminToken,
        body: { name: 'CRM sync' },
      });
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^plt_/);
      const list = await api.call<Static<typeof ApiTokenInfo>[]>('GET', '/api/api-tokens', {
        token: adminToken,
      });
      const listed = list.body.find((x) => x.id === created.body.id);
      expect(listed).toMatchObject({ name: 'CRM sync', revokedAt: null });
      expect(listed).not.toHaveProperty('token');
      expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    });

    it('acts as the admin who created it', async () => {
      const created = await api.call<CreatedApiToken>('POST', '/api/api-tokens', {
        token: adminToken,
        body: { name: 'Reporting' },
      });
      const token = created.body.token;
      const who = await me({ token });
      expect(who.body).toMatchObject({ email: ADMIN.email, role: 'admin' });
      expect((await api.call('GET', '/api/settings', { token })).status).toBe(200);
      const listed = (
        await api.call<Static<typeof ApiTokenInfo>[]>('GET', '/api/api-tokens', {
          token: adminToken,
        })
      ).body;
      expect(listed.find((x) => x.id === created.body.id)?.lastUsedAt).not.toBeNull();
    });

    it('stops working once revoked', async () => {
      const created = await api.call<CreatedApiToken>('POST', '/api/api-tokens', {
        token: adminToken,
        body: { name: 'Short-lived' },
      });
      expect((await me({ token: created.body.token })).status).toBe(200);
      const revoked = await api.call('DELETE', `/api/api-tokens/${created.body.id}`, {
        token: adminToken,
      });
      expect(revoked.status).toBe(204);
      const after = await me({ token: created.body.token });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('auth/token-invalid');
      const listed = (
        await api.call<Static<typeof ApiTokenInfo>[]>('GET', '/api/api-tokens', {
          token: adminToken,
        })
      ).body;
      expect(listed.find((x) => x.id === created.body.id)?.revokedAt).not.toBeNull();
    });

    it('refuses to revoke a token twice', async () => {
      const created = await api.call<CreatedApiToken>('POST', '/api/api-tokens', {
        token: adminToken,
        body: { name: 'Twice' },
      });
      await api.call('DELETE', `/api/api-tokens/${created.body.id}`, { token: adminToken });
      const again = await api.call('DELETE', `/api/api-tokens/${created.body.id}`, {
        token: adminToken,
      });
      expect(again.status).toBe(404);
    });
  });

  describe('widget sessions', () => {
    const widgetSession = (body: Record<string, unknown>) =>
      api.call<WidgetSessionReply>('POST', '/api/widget/session', { body });

    async function identityJwt(claims: Record<string, unknown>, secret = JWT_SECRET) {
      const now = Math.floor(clock.now().getTime() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(now)
        .setExpirationTime(now + 2 * 3600)
        .sign(new TextEncoder().encode(secret));
    }

    async function withSettings(
      patch: Record<string, unknown>,
      undo: Record<string, unknown>,
      run: () => Promise<void>,
    ) {
      const r = await api.call('PATCH', '/api/settings', { token: adminToken, body: patch });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      try {
        await run();
      } finally {
        await api.call('PATCH', '/api/settings', { token: adminToken, body: undo });
      }
    }

    it('gives an anonymous visitor a token', async () => {
      const r = await widgetSession({});
      expect(r.status).toBe(200);
      expect(r.body.endUser).toMatchObject({ verified: false, externalId: null, email: null });
      const mine = await api.call('GET', '/api/conversations', { token: r.body.token });
      expect(mine.status).toBe(200);
    });

    it('keeps a returning visitor who sends their token the same end user', async () => {
      const first = await widgetSession({});
      const again = await widgetSession({ token: first.body.token });
      expect(again.status).toBe(200);
      expect(again.body.endUser.id).toBe(first.body.endUser.id);
    });

    it('refuses a forged widget token', async () => {
      const r = await widgetSession({ token: 'v1.forged.token' });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error: { code: 'auth/token-invalid' } });
    });

    it("makes a visitor with the company's JWT a verified end user, the same one on every visit", async () => {
      await withSettings({ endUserJwtSecret: JWT_SECRET }, { endUserJwtSecret: null }, async () => {
        const first = await widgetSession({
          jwt: await identityJwt({
            external_id: 'crm-42',
            email: 'old@customer.example',
            name: 'Carla Customer',
          }),
        });
        expect(first.status, JSON.stringify(first.body)).toBe(200);
        expect(first.body.endUser).toMatchObject({
          verified: true,
          externalId: 'crm-42',
          email: 'old@customer.example',
          name: 'Carla Customer',
        });
        clock.advance(60_000);
        const again = await widgetSession({
          jwt: await identityJwt({
            external_id: 'crm-42',
            email: 'new@customer.example',
            name: 'Carla Customer',
          }),
        });
        expect(again.body.endUser.id).toBe(first.body.endUser.id);
        expect(again.body.endUser.email).toBe('new@customer.example');
        const other = await widgetSession({ jwt: await identityJwt({ external_id: 'crm-43' }) });
        expect(other.body.endUser.id).not.toBe(first.body.endUser.id);
      });
    });

    it('refuses a JWT while identity verification is not set up', async () => {
      const r = await widgetSession({ jwt: await identityJwt({ external_id: 'crm-41' }) });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: { code: 'validation/invalid', field: 'jwt' } });
    });

    it('refuses a JWT signed with another secret', async () => {
      await withSettings({ endUserJwtSecret: JWT_SECRET }, { endUserJwtSecret: null }, async () => {
        const r = await widgetSession({
          jwt: await identityJwt(
            { external_id: 'crm-42' },
            'someone-elses-secret-0123456789abcdef',
          ),
        });
        expect(r.status).toBe(401);
        expect(r.body).toMatchObject({ error: { code: 'auth/token-invalid', field: 'jwt' } });
      });
    });

    it('refuses an expired JWT', async () => {
      await withSettings({ endUserJwtSecret: JWT_SECRET }, { endUserJwtSecret: null }, async () => {
        const jwt = await identityJwt({ external_id: 'crm-44' });
        clock.advance(3 * 3600 * 1000);
        const r = await widgetSession({ jwt });
        expect(r.status).toBe(401);
        expect(r.body).toMatchObject({ error: { code: 'auth/token-expired' } });
      });
    });

    it('refuses anonymous visitors when a verified identity is required, but not verified ones', async () => {
      const earlier = await widgetSession({});
      await withSettings(
        { endUserJwtSecret: JWT_SECRET, requireVerifiedIdentity: true },
        { endUserJwtSecret: null, requireVerifiedIdentity: false },
        async () => {
          for (const body of [{}, { token: earlier.body.token }]) {
            const r = await widgetSession(body);
            expect(r.status).toBe(401);
            expect(r.body).toMatchObject({ error: { code: 'auth/verification-required' } });
          }
          const verified = await widgetSession({
            jwt: await identityJwt({ external_id: 'crm-45' }),
          });
          expect(verified.status).toBe(200);
          expect(verified.body.endUser.verified).toBe(true);
        },
      );
    });

    it('never sends the identity secret back', async () => {
      await withSettings({ endUserJwtSecret: JWT_SECRET }, { endUserJwtSecret: null }, async () => {
        const r = await api.call('GET', '/api/settings', { token: adminToken });
        expect(r.body.endUserJwtSecretSet).toBe(true);
        expect(JSON.stringify(r.body)).not.toContain(JWT_SECRET);
      });
    });
  });
});
