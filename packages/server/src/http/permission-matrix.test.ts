import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { TestSocket } from '../testing/ws-client.js';
import { CLIENT_FRAME_TYPES } from '@parlour/protocol';
import { FRAME_ACCESS } from '../realtime/gateway.js';
import { registeredRoutes } from './app.js';

type Who = 'anonymous' | 'admin' | 'supervisor' | 'agent' | 'end_user';
const A = 'admin',
  S = 'supervisor',
  G = 'agent',
  E = 'end_user',
  P = 'public';
const STAFF = [A, S, G];
const EVERYONE = [A, S, G, E];

/**
 * The permission matrix: who may call what. A route missing here, or behaving otherwise, fails.
 * 'public' routes need no token.
 */
const MATRIX: Record<string, readonly string[]> = {
  'GET /healthz': [P],
  'GET /api/openapi.json': [P],
  'GET /': [P],
  'GET /agent': [P],
  'GET /agent/*': [P],
  'GET /widget.js': [P],
  'GET /widget/*': [P],
  'GET /demo': [P],
  'POST /api/auth/login': [P],
  'POST /api/auth/logout': STAFF,
  'GET /api/me': STAFF,
  'GET /api/api-tokens': [A],
  'POST /api/api-tokens': [A],
  'DELETE /api/api-tokens/:tokenId': [A],
  'POST /api/widget/session': [P],
  'GET /api/users': STAFF,
  'POST /api/users': [A],
  'GET /api/users/:userId': STAFF,
  'PATCH /api/users/:userId': [A],
  'GET /api/groups': STAFF,
  'POST /api/groups': [A],
  'GET /api/groups/:groupId': STAFF,
  'PATCH /api/groups/:groupId': [A],
  'POST /api/conversations': [E],
  'GET /api/conversations': [E],
  'POST /api/widget/messages': [E],
  'GET /api/conversations/:conversationId': EVERYONE,
  'GET /api/conversations/:conversationId/events': EVERYONE,
  'POST /api/conversations/:conversationId/messages': EVERYONE,
  'POST /api/conversations/:conversationId/handoff': EVERYONE,
  'POST /api/conversations/:conversationId/end-session': EVERYONE,
  'GET /api/tickets': STAFF,
  'GET /api/tickets/:ticketId': STAFF,
  'PATCH /api/tickets/:ticketId': STAFF,
  'GET /api/tickets/:ticketId/events': STAFF,
  'GET /api/settings': [A],
  'PATCH /api/settings': [A],
  'GET /api/widget/config': [P],
  'GET /ws': EVERYONE,
  'GET /api/agents': STAFF,
  'PUT /api/agents/me/status': STAFF,
  'PUT /api/agents/:userId/status': [A, S],
  'GET /api/agents/:userId/status-events': [A, S],
  // The live view: supervisors act only within their groups (403 outside, tested beside it).
  'GET /api/live': [A, S],
  'POST /api/live/conversations/:conversationId/monitor': [A, S],
  'POST /api/live/conversations/:conversationId/whisper': [A, S],
  'POST /api/live/conversations/:conversationId/barge': [A, S],
  'POST /api/live/conversations/:conversationId/reassign': [A, S],
  // Prometheus scrapes with an admin's API token as bearer.
  'GET /metrics': [A],
  'PUT /api/agents/:userId/capacity': [A],
  'PUT /api/agents/:userId/skills': [A],
  'GET /api/agents/me/offers': STAFF,
  'GET /api/agents/me/unread': STAFF,
  'POST /api/offers/:offerId/accept': STAFF,
  'POST /api/offers/:offerId/decline': STAFF,
  'GET /api/routing/queue': STAFF,
  'GET /api/routing/settings': STAFF,
  'PATCH /api/routing/settings': [A],
  'GET /api/groups/:groupId/routing': STAFF,
  'PATCH /api/groups/:groupId/routing': [A],
  'GET /api/skills': STAFF,
  'POST /api/skills': [A],
  'PATCH /api/skills/:skillId': [A],
  'DELETE /api/skills/:skillId': [A],
  'GET /api/idle-reasons': STAFF,
  'POST /api/idle-reasons': [A],
  'PATCH /api/idle-reasons/:idleReasonId': [A],
  'PUT /api/tickets/:ticketId/required-skills': STAFF,
  'POST /api/tickets/:ticketId/transfer': STAFF,
  'POST /api/conversations/:conversationId/conference': STAFF,
  'POST /api/conversations/:conversationId/conference/accept': STAFF,
  'POST /api/conversations/:conversationId/conference/decline': STAFF,
  'POST /api/conversations/:conversationId/conference/end': STAFF,
  'GET /api/conversations/:conversationId/participants': STAFF,
  'GET /api/macros': STAFF,
  'POST /api/macros': STAFF,
  'GET /api/macros/:macroId': STAFF,
  'PATCH /api/macros/:macroId': STAFF,
  'DELETE /api/macros/:macroId': STAFF,
  'POST /api/tickets/:ticketId/macros/:macroId/preview': STAFF,
  'POST /api/tickets/:ticketId/macros/:macroId/apply': STAFF,
  'GET /api/responses': STAFF,
  'POST /api/responses': [A],
  'PATCH /api/responses/:responseId': [A],
  'DELETE /api/responses/:responseId': [A],
  'GET /api/wrap-up-reasons': STAFF,
  'POST /api/wrap-up-reasons': [A],
  'PATCH /api/wrap-up-reasons/:reasonId': [A],
  'DELETE /api/wrap-up-reasons/:reasonId': [A],
  'POST /api/tickets/:ticketId/wrap-up': STAFF,
  'GET /api/tickets/:ticketId/wrap-up': STAFF,
  'GET /api/csat/:token': [P],
  'POST /api/csat/:token': [P],
  'POST /api/conversations/:conversationId/csat': [E],
  'GET /api/tickets/:ticketId/csat': STAFF,
  'GET /csat/:token': [P],
  'GET /assets/csat.js': [P],
  'GET /api/webhook-deliveries': [A, S],
  'POST /api/webhook-deliveries/:deliveryId/retry': [A],
  // The relay endpoint authenticates inside (shared secret or admin token): see email-routes.test.ts.
  'POST /api/email/inbound': [P],
  'GET /api/email/dead': [A],
  'POST /api/email/dead/:emailId/retry': [A],
  'GET /api/settings/webhook-secret': [A],
  'POST /api/channels/api/:inboxId/messages': [P],
  'GET /api/channels/api/inboxes': [A],
  'POST /api/channels/api/inboxes': [A],
  'GET /api/channels/api/inboxes/:inboxId': [A],
  'PATCH /api/channels/api/inboxes/:inboxId': [A],
  'DELETE /api/channels/api/inboxes/:inboxId': [A],
  'POST /api/channels/api/inboxes/:inboxId/rotate-secret': [A],
  'GET /api/channels/api/inboxes/:inboxId/deliveries': [A],
  'POST /api/channels/api/inboxes/:inboxId/deliveries/:deliveryId/retry': [A],
  'POST /api/conversations/:conversationId/templates': STAFF,
  'GET /api/workflows': [A, S],
  'POST /api/workflows': [A],
  'GET /api/workflows/:workflowId': [A, S],
  'PATCH /api/workflows/:workflowId': [A],
  'DELETE /api/workflows/:workflowId': [A],
  'POST /api/workflows/:workflowId/publish': [A],
  'GET /api/workflows/:workflowId/versions': [A, S],
  'GET /api/workflows/:workflowId/runs': [A, S],
  'GET /api/conversations/:conversationId/workflow-runs': STAFF,
  'POST /api/conversations/:conversationId/workflows/:workflowId/runs': STAFF,
  'POST /api/workflow-runs/:runId/cancel': [A, S],
  'GET /api/rules/fields': [A, S],
  'GET /api/triggers': [A, S],
  'POST /api/triggers': [A],
  'PUT /api/triggers/order': [A],
  'POST /api/triggers/dry-run': [A, S],
  'GET /api/triggers/:triggerId': [A, S],
  'PUT /api/triggers/:triggerId': [A],
  'DELETE /api/triggers/:triggerId': [A],
  'GET /api/automations': [A, S],
  'POST /api/automations': [A],
  'PUT /api/automations/order': [A],
  'GET /api/automations/:automationId': [A, S],
  'PUT /api/automations/:automationId': [A],
  'DELETE /api/automations/:automationId': [A],
  'GET /api/conversation-style': [A, S],
  'PUT /api/conversation-style': [A],
  'POST /api/conversations/:conversationId/attachments': EVERYONE,
  'GET /api/conversations/:conversationId/attachments': EVERYONE,
  'GET /api/attachments/:attachmentId': EVERYONE,
  'GET /api/audit-log': [A],
  'GET /api/end-users': [A, S],
  'GET /api/end-users/:endUserId/export': [A],
  'DELETE /api/end-users/:endUserId': [A],
  'GET /api/bot/flow': [A, S],
  'PUT /api/bot/flow': [A],
  'GET /api/bot/articles': STAFF,
  'POST /api/bot/articles': [A],
  'PATCH /api/bot/articles/:articleId': [A],
  'DELETE /api/bot/articles/:articleId': [A],
  'GET /api/reports/metrics': [A, S],
  'GET /api/reports': [A, S],
  'GET /api/reports/export.csv': [A, S],
  'GET /api/business-hours': [A, S],
  'POST /api/business-hours': [A],
  'GET /api/business-hours/:id': [A, S],
  'PUT /api/business-hours/:id': [A],
  'DELETE /api/business-hours/:id': [A],
  'GET /api/where-used': [A, S],
};

describe('permission matrix', () => {
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  const tokens: Partial<Record<Who, string>> = {};

  beforeAll(async () => {
    t = await startTestServer('pglite', { listen: true });
    api = apiClient(t.server.app);
    tokens.admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    tokens.agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    await api.call('POST', '/api/users', {
      token: tokens.admin,
      body: {
        role: 'supervisor',
        email: 'sup@parlour.example',
        name: 'Sue Pervisor',
        password: 'supervisor-pass',
      },
    });
    tokens.supervisor = await api.login('sup@parlour.example', 'supervisor-pass');
    tokens.end_user = (await api.visitor()).token;
  });
  afterAll(async () => t.close());

  const PASSWORDS = {
    admin: [DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password],
    agent: [DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password],
    supervisor: ['sup@parlour.example', 'supervisor-pass'],
  } as const;
  const freshLogin = (who: 'admin' | 'agent' | 'supervisor') =>
    api.login(PASSWORDS[who][0], PASSWORDS[who][1]);

  it('lists every registered route, and only those', () => {
    const registered = registeredRoutes(t.server.app)
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(registered).toEqual(Object.keys(MATRIX).sort());
  });

  it('has every route declare who may call it, matching the matrix', () => {
    for (const route of registeredRoutes(t.server.app)) {
      const expected = MATRIX[`${route.method} ${route.url}`]!;
      expect(route.access, `${route.method} ${route.url}`).toEqual(
        expected[0] === P ? 'public' : expected,
      );
    }
  });

  const whos: Who[] = ['anonymous', 'admin', 'supervisor', 'agent', 'end_user'];
  it.each(whos)('lets %s call exactly the routes the matrix allows', async (who) => {
    for (const route of registeredRoutes(t.server.app)) {
      if (route.websocket) continue;
      const allowed = MATRIX[`${route.method} ${route.url}`]!;
      const url = route.url.replace(/:[a-zA-Z]+/g, () => randomUUID());
      // Logging out must not end the session the rest of the loop uses: log out a fresh one.
      const token =
        who === 'anonymous'
          ? undefined
          : route.url === '/api/auth/logout' && who !== 'end_user'
            ? await freshLogin(who)
            : tokens[who];
      const r = await api.call(route.method as 'GET', url, {
        ...(token ? { token } : {}),
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} }),
      });
      const label = `${who} ${route.method} ${route.url} -> ${r.status} ${JSON.stringify(r.body)}`;
      if (allowed.includes(P) || allowed.includes(who)) {
        expect([401, 403], label).not.toContain(
          r.status === 401 && route.url === '/api/auth/login' ? 0 : r.status,
        );
      } else if (who === 'anonymous') {
        expect(r.status, label).toBe(401);
        expect(r.body.error.code, label).toBe('auth/unauthenticated');
      } else {
        expect(r.status, label).toBe(403);
        expect(r.body.error.code, label).toBe('auth/forbidden');
      }
    }
  });

  it('refuses the WebSocket handshake without a valid token', async () => {
    await expect(TestSocket.open(t.url, 'v1.forged.token')).rejects.toThrow(/401/);
    const r = await api.call('GET', '/ws');
    expect(r.status).toBe(401);
  });

  it('declares who may send every socket frame', () => {
    expect(Object.keys(FRAME_ACCESS).sort()).toEqual([...CLIENT_FRAME_TYPES].sort());
  });

  it.each(['admin', 'supervisor', 'agent', 'end_user'] as const)(
    'lets %s use the socket frames the table allows',
    async (who) => {
      const socket = await TestSocket.open(t.url, tokens[who]!);
      for (const type of CLIENT_FRAME_TYPES) {
        const frame: Record<string, unknown> & { type: string } =
          type === 'ping'
            ? { type }
            : type === 'message.send'
              ? { type, conversationId: randomUUID(), clientMessageId: 'x', body: 'hi' }
              : type === 'subscribe'
                ? { type, conversationId: randomUUID(), afterSeq: 0 }
                : type === 'offer.accept' || type === 'offer.decline'
                  ? { type, offerId: randomUUID() }
                  : type === 'typing'
                    ? { type, conversationId: randomUUID(), typing: true }
                    : type === 'read'
                      ? { type, conversationId: randomUUID(), seq: 0 }
                      : type === 'live.subscribe' || type === 'live.unsubscribe'
                        ? { type }
                        : { type, conversationId: randomUUID() };
        const reply = await socket.request(frame);
        const allowed = FRAME_ACCESS[type].includes(who);
        if (allowed)
          expect(reply.type === 'error' ? reply.code : 'ok', `${who} ${type}`).not.toBe(
            'auth/forbidden',
          );
        else expect(reply).toMatchObject({ type: 'error', code: 'auth/forbidden' });
      }
      await socket.close();
    },
  );
});
