import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rateLimitedError, type RateLimiter } from '../rate-limit/rate-limiter.js';
import { tokenOf } from './access.js';

export interface HttpRateLimits {
  readonly limiter: RateLimiter;
  /** Requests per minute per token (0: no limit). */
  readonly tokenPerMinute: number;
  /** Requests per minute per client IP (0: no limit). */
  readonly ipPerMinute: number;
}

const MINUTE = 60_000;

/** Only the API is limited: the socket counts frames per connection, pages are static. */
function limited(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

async function refuse(reply: FastifyReply, retryAfterMs: number): Promise<FastifyReply> {
  const error = rateLimitedError(retryAfterMs);
  return reply
    .code(429)
    .header('retry-after', String(error.retryAfterSeconds))
    .send({ error: { code: error.code, message: error.message } });
}

/**
 * Per client IP, before authentication (so a flood of bad tokens is counted too). The IP is the
 * socket's peer (trustProxy is off): behind a proxy every client shares the proxy's limit.
 */
export function ipRateLimitHook(limits: HttpRateLimits) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    if (limits.ipPerMinute <= 0 || !limited(request)) return;
    const result = await limits.limiter.hit(`ip:${request.ip}`, limits.ipPerMinute, MINUTE);
    if (!result.allowed) return refuse(reply, result.retryAfterMs);
  };
}

/**
 * Per token, after authentication: an end user is counted by who they are (a fresh widget token
 * does not buy a fresh budget), staff by the session or API token they call with (hashed: the
 * limiter's keys may live in Redis).
 */
export function tokenRateLimitHook(limits: HttpRateLimits) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    if (limits.tokenPerMinute <= 0 || !limited(request) || !request.principal) return;
    const key =
      request.principal.kind === 'end_user'
        ? `end_user:${request.principal.id}`
        : `token:${createHash('sha256')
            .update(tokenOf(request) ?? request.principal.id)
            .digest('base64url')
            .slice(0, 32)}`;
    const result = await limits.limiter.hit(key, limits.tokenPerMinute, MINUTE);
    if (!result.allowed) return refuse(reply, result.retryAfterMs);
  };
}
