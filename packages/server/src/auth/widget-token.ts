import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@parlour/core';
import type { Clock } from '../clock.js';

/**
 * Stateless tokens for anonymous widget visitors: `v1.<base64url JSON {sub, exp}>.<base64url HMAC-SHA256>`.
 * `exp` is epoch milliseconds (not JWT seconds). The MAC covers `v1.<payload>`, so the version
 * cannot be swapped. Nothing is stored server-side; revocation is rotating the secret.
 */
const VERSION = 'v1';
// Far above any real token; stops us spending HMAC time on megabyte-long junk.
const MAX_TOKEN_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface WidgetTokenClaims {
  endUserId: string;
  ttlMs: number;
}

export interface WidgetTokenSubject {
  endUserId: string;
}

export function signWidgetToken(
  { endUserId, ttlMs }: WidgetTokenClaims,
  secret: string,
  clock: Clock,
): string {
  assertSecret(secret);
  if (endUserId.length === 0) throw new TypeError('endUserId must not be empty');
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new RangeError('ttlMs must be a positive finite number');
  const payload = Buffer.from(
    JSON.stringify({ sub: endUserId, exp: clock.now().getTime() + ttlMs }),
    'utf8',
  ).toString('base64url');
  const signed = `${VERSION}.${payload}`;
  return `${signed}.${mac(signed, secret)}`;
}

/** Returns the end user, or throws `auth/token-invalid` / `auth/token-expired`; never any other error. */
export function verifyWidgetToken(token: string, secret: string, clock: Clock): WidgetTokenSubject {
  assertSecret(secret);
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)
    throw invalid('Widget token is malformed');
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid('Widget token is malformed');
  const [version, payload, signature] = parts as [string, string, string];
  if (version !== VERSION) throw invalid('Widget token version is not supported');
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature))
    throw invalid('Widget token is malformed');

  // Compare the canonical encodings, so one signature has exactly one accepted spelling.
  const expected = Buffer.from(mac(`${version}.${payload}`, secret), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalid('Widget token signature is invalid');
  }

  const claims = parseClaims(payload);
  if (!claims) throw invalid('Widget token payload is invalid');
  if (clock.now().getTime() >= claims.exp) {
    throw new DomainError('auth/token-expired', 'Widget token has expired', 'token');
  }
  return { endUserId: claims.sub };
}

function parseClaims(payload: string): { sub: string; exp: number } | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { sub, exp } = value as Record<string, unknown>;
  if (typeof sub !== 'string' || sub.length === 0) return null;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  return { sub, exp };
}

function mac(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data, 'utf8').digest('base64url');
}

function assertSecret(secret: string): void {
  // A missing secret is a wiring bug, not a bad token: fail loudly rather than sign with ''.
  if (typeof secret !== 'string' || secret.length === 0)
    throw new TypeError('Widget token secret must not be empty');
}

function invalid(message: string): DomainError {
  return new DomainError('auth/token-invalid', message, 'token');
}
