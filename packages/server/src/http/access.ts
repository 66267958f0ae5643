import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@parlour/core';
import { accessOf, type Access, type Principal } from '../principal.js';
import type { AuthService } from '../services/auth-service.js';

export const SESSION_COOKIE = 'parlour_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: 'public', or the roles (and end_user) allowed. Every route says. */
    access?: 'public' | readonly Access[];
    /** Record calls in the audit log even where the rule would not (services/audit/audit-rule.ts). */
    audit?: boolean;
    /** Which Content-Security-Policy the response gets (default: by content type; http/security-headers.ts). */
    csp?: 'api' | 'page' | 'widget';
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * The token a request carries and how: bearer header, then ?token= (WebSocket only), then the
 * session cookie. An explicit token wins over the cookie, which the browser attaches by itself
 * (the WebSocket handshake accepts the cookie only from the server's own pages).
 */
export function credentialOf(
  request: FastifyRequest,
): { readonly token: string | null; readonly via: 'bearer' | 'query' | 'cookie' } | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return { token: match?.[1] ?? null, via: 'bearer' };
  }
  const query = request.query as Record<string, unknown> | undefined;
  if (request.headers.upgrade?.toLowerCase() === 'websocket' && typeof query?.token === 'string')
    return { token: query.token, via: 'query' };
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) return { token: cookie, via: 'cookie' };
  return null;
}

export function tokenOf(request: FastifyRequest): string | null {
  return credentialOf(request)?.token ?? null;
}

const REFUSED = new WeakMap<FastifyRequest, Principal>();

/** Who was refused by the access check (a valid token without the role), for the audit log. */
export function refusedPrincipalOf(request: FastifyRequest): Principal | null {
  return REFUSED.get(request) ?? null;
}

/**
 * Authorizes every request by its route's declared access. A route that declares nothing is
 * refused: forgetting to declare access can never open a route by accident.
 */
export function accessHook(auth: AuthService) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    request.principal = null;
    const access = request.routeOptions.config.access;
    if (access === 'public') {
      const token = tokenOf(request);
      if (token) request.principal = await auth.resolve(token);
      return;
    }
    if (!access) {
      if (request.routeOptions.url === undefined) return; // 404s fall through to the not-found handler
      throw new DomainError('auth/forbidden', 'This route declares no access');
    }
    const token = tokenOf(request);
    if (!token)
      throw new DomainError(
        'auth/unauthenticated',
        'Log in first (bearer token or session cookie)',
      );
    const principal = await auth.resolve(token);
    if (!principal)
      throw new DomainError('auth/token-invalid', 'This token is unknown, revoked or expired');
    if (!access.includes(accessOf(principal))) {
      REFUSED.set(request, principal);
      throw new DomainError('auth/forbidden', `This needs one of: ${access.join(', ')}`);
    }
    request.principal = principal;
  };
}

export function requireUser(request: FastifyRequest): Principal & { kind: 'user' } {
  const p = request.principal;
  if (!p || p.kind !== 'user') throw new DomainError('auth/forbidden', 'Staff only');
  return p;
}

export function requireEndUser(request: FastifyRequest): Principal & { kind: 'end_user' } {
  const p = request.principal;
  if (!p || p.kind !== 'end_user') throw new DomainError('auth/forbidden', 'End users only');
  return p;
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('auth/unauthenticated', 'Log in first');
  return request.principal;
}
