import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, type RouteEntry } from '../../http/app.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { isAudited, isRecordedStatus } from './audit-rule.js';

const ADMIN_CHANGES = [
  'PATCH /api/settings',
  'POST /api/users',
  'PATCH /api/users/:userId',
  'POST /api/groups',
  'PATCH /api/groups/:groupId',
  'POST /api/api-tokens',
  'DELETE /api/api-tokens/:tokenId',
  'POST /api/triggers',
  'PUT /api/triggers/:triggerId',
  'DELETE /api/triggers/:triggerId',
  'PUT /api/triggers/order',
  'POST /api/automations',
  'PUT /api/automations/:automationId',
  'POST /api/workflows',
  'POST /api/workflows/:workflowId/publish',
  'POST /api/responses',
  'POST /api/wrap-up-reasons',
  'POST /api/skills',
  'PUT /api/agents/:userId/skills',
  'PUT /api/agents/:userId/capacity',
  'PATCH /api/routing/settings',
  'PATCH /api/groups/:groupId/routing',
  'PUT /api/conversation-style',
  'POST /api/webhook-deliveries/:deliveryId/retry',
];

const EVERYDAY_WORK = [
  'POST /api/conversations/:conversationId/messages',
  'PATCH /api/tickets/:ticketId',
  'POST /api/conversations/:conversationId/handoff',
  'PUT /api/agents/me/status',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/widget/session',
  'GET /api/settings',
  'GET /ws',
];

describe('the audit rule', () => {
  let t: TestServer;
  let routes: readonly RouteEntry[];
  const key = (r: RouteEntry) => `${r.method} ${r.url}`;

  beforeAll(async () => {
    t = await startTestServer('pglite', { seed: false });
    routes = registeredRoutes(t.server.app);
  });
  afterAll(async () => t.close());

  it('selects every change that only admins and supervisors may make', () => {
    const selected = new Set(routes.filter(isAudited).map(key));
    for (const route of ADMIN_CHANGES) expect(selected.has(route), route).toBe(true);
  });

  it('selects exactly the changing routes closed to agents, end users and the public', () => {
    for (const route of routes) {
      const changes = route.method !== 'GET';
      const managersOnly =
        Array.isArray(route.access) &&
        route.access.every((a: string) => a === 'admin' || a === 'supervisor');
      expect(isAudited(route), key(route)).toBe(changes && managersOnly);
    }
  });

  it("leaves out agents' and customers' everyday work, logins and reads", () => {
    const selected = new Set(routes.filter(isAudited).map(key));
    for (const route of EVERYDAY_WORK) {
      expect(
        routes.some((r) => key(r) === route),
        `${route} exists`,
      ).toBe(true);
      expect(selected.has(route), route).toBe(false);
    }
  });

  it('selects a route that asks for it, even a read or one agents may call', () => {
    expect(isAudited({ method: 'GET', access: ['admin'], audit: true })).toBe(true);
    expect(isAudited({ method: 'POST', access: ['admin', 'agent'], audit: true })).toBe(true);
  });

  it('records successes and refused attempts (403), not other failures', () => {
    expect([200, 201, 204, 403].map(isRecordedStatus)).toEqual([true, true, true, true]);
    expect([400, 401, 404, 409, 422, 500].map(isRecordedStatus)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
