import type { Access } from '../../principal.js';

export interface AuditedRoute {
  readonly method: string;
  readonly access: 'public' | readonly Access[] | readonly string[] | undefined;
  readonly audit?: boolean;
}

/**
 * Which routes the audit log records — the rule:
 *
 * 1. a route that declares `config.audit: true`, whatever its method and access;
 * 2. otherwise every route that changes something (not GET, HEAD or OPTIONS) and that neither
 *    agents nor end users may call, and is not public: the changes only admins and supervisors
 *    make (users, groups, settings, API tokens, rules, workflows, routing, responses, skills…).
 *
 * Agents' and customers' everyday work (messages, ticket updates) is in the tickets' own history;
 * the audit log is for changes to how the workspace works.
 */
export function isAudited(route: AuditedRoute): boolean {
  if (route.audit === true) return true;
  if (['GET', 'HEAD', 'OPTIONS'].includes(route.method.toUpperCase())) return false;
  if (route.access === undefined || route.access === 'public') return false;
  return !route.access.includes('agent') && !route.access.includes('end_user');
}

/** Of an audited route's responses, the changes that happened (< 400) and the refused attempts (403). */
export function isRecordedStatus(status: number): boolean {
  return status < 400 || status === 403;
}
