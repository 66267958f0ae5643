import type { FastifyRequest } from 'fastify';
import type { SensitiveKind } from '@parlour/core';
import {
  droppedError,
  type ContentGuard,
  type GuardPolicy,
} from '../services/pci/content-guard.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'self': the route's use case applies the PCI guard itself (messages, ticket fields), so it
     * can drop a message and record what it kept out. Every other JSON body is guarded here.
     */
    pci?: 'self';
  }
}

/**
 * PCI DSS at the HTTP edge: every string in every JSON body (settings, macros, responses, rules,
 * names, survey comments…) is scanned before validation. In redact mode card data is masked in
 * place; in drop mode the request is refused (422 `content/card-data`, naming the field) and
 * nothing changes. Routes marked `pci: 'self'` apply the guard in their use case instead.
 */
export function contentGuardHook(guard: ContentGuard) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.routeOptions.config.pci === 'self') return;
    const body = request.body;
    if (body === null || typeof body !== 'object') return;
    const policy = await guard.policy();
    const refused = guardStrings(body as Record<string, unknown>, guard, policy, '');
    if (refused) throw droppedError(refused.counts, refused.field);
  };
}

/**
 * Secrets are never stored or shown in clear (hashed, or kept server-side) and may contain any
 * digits: a password or signing key must reach its use case exactly as typed.
 */
const SECRET_KEY = /password|secret|token|jwt/i;

interface Refused {
  readonly field: string;
  readonly counts: Readonly<Partial<Record<SensitiveKind, number>>>;
}

function guardStrings(
  node: Record<string, unknown> | unknown[],
  guard: ContentGuard,
  policy: GuardPolicy,
  path: string,
): Refused | null {
  const entries: [string | number, unknown][] = Array.isArray(node)
    ? node.map((v, i) => [i, v])
    : Object.entries(node);
  for (const [key, value] of entries) {
    const field = path === '' ? String(key) : `${path}.${key}`;
    if (typeof key === 'string' && SECRET_KEY.test(key)) continue;
    if (typeof value === 'string') {
      const outcome = guard.inspect(value, policy);
      if (outcome.action === 'dropped') return { field, counts: outcome.counts };
      if (outcome.action === 'masked')
        (node as Record<string | number, unknown>)[key] = outcome.text;
    } else if (value !== null && typeof value === 'object') {
      const refused = guardStrings(value as Record<string, unknown>, guard, policy, field);
      if (refused) return refused;
    }
  }
  return null;
}
