import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditChanges } from '../services/audit/audit-changes.js';
import { isAudited, isRecordedStatus } from '../services/audit/audit-rule.js';
import type { AuditService } from '../services/audit/audit-service.js';
import { refusedPrincipalOf } from './access.js';

const USER_AGENT_MAX = 500;

/** `settings` for /api/settings, `triggers` for /api/triggers/order: what a route without parameters acts on. */
function resourceOf(url: string, params: unknown): string | null {
  if (params && typeof params === 'object' && Object.keys(params).length > 0)
    return JSON.stringify(params);
  return url.replace(/^\/api\//, '').split('/')[0] || null;
}

/**
 * After the response went out: an audited route's change (or refused attempt) becomes an audit
 * entry — who (actor), when, what (route, parameters, the body without secrets), from where (IP,
 * user agent), and the status it got. Which routes: services/audit/audit-rule.ts.
 */
export function auditHook(audit: AuditService) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const url = request.routeOptions.url;
    const config = request.routeOptions.config;
    if (url === undefined) return;
    if (!isAudited({ method: request.method, access: config.access, audit: config.audit })) return;
    if (!isRecordedStatus(reply.statusCode)) return;
    const actor = request.principal ?? refusedPrincipalOf(request);
    if (!actor) return;
    audit.record({
      actorType: actor.kind,
      actorId: actor.id,
      actorRole: actor.kind === 'user' ? actor.role : null,
      action: `${request.method} ${url}`,
      resource: resourceOf(url, request.params),
      changes: request.body === undefined ? null : auditChanges(request.body),
      ip: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, USER_AGENT_MAX) ?? null,
      status: reply.statusCode,
    });
  };
}
