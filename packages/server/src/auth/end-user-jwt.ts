import { errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { DomainError } from '@parlour/core';
import type { Clock } from '../clock.js';

/**
 * A company's backend vouches for one of its users with an HS256 JWT signed by a shared secret.
 * Claims: `external_id` (required), `exp` (required), `email` and `name` (optional; null counts as
 * absent), `iat` and `nbf` (optional).
 */
export interface EndUserIdentity {
  externalId: string;
  email: string | null;
  name: string | null;
}

const CLOCK_SKEW_SECONDS = 60;
// Identity tokens should be minted per page load; a long-lived one is a standing credential.
const MAX_LIFETIME_SECONDS = 24 * 60 * 60;
const MAX_TEXT_LENGTH = 255;
const MAX_EMAIL_LENGTH = 254;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function verifyEndUserJwt(
  jwt: string,
  secret: string,
  clock: Clock,
): Promise<EndUserIdentity> {
  // An empty secret is a wiring bug, not a bad token: fail loudly.
  if (typeof secret !== 'string' || secret.length === 0)
    throw new TypeError('End-user JWT secret must not be empty');
  const now = clock.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      currentDate: now,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    throw fromJose(error);
  }
  assertLifetime(payload, Math.floor(now.getTime() / 1000));
  return {
    externalId: readExternalId(payload.external_id),
    email: readEmail(payload.email),
    name: readName(payload.name),
  };
}

function assertLifetime(payload: JWTPayload, nowSeconds: number): void {
  // jose has already checked that exp and iat, when present, are numbers.
  const exp = payload.exp as number;
  const iat = payload.iat;
  if (iat !== undefined && iat > nowSeconds + CLOCK_SKEW_SECONDS) {
    throw invalid('JWT "iat" is in the future');
  }
  // Without iat we can only measure from our own clock, which may lag the issuer's.
  const lifetime = iat !== undefined ? exp - iat : exp - nowSeconds - CLOCK_SKEW_SECONDS;
  if (lifetime > MAX_LIFETIME_SECONDS) {
    throw invalid('JWT lifetime exceeds 24 hours; "exp" must be at most 24 hours after "iat"');
  }
}

function readExternalId(value: unknown): string {
  if (value === undefined) throw invalid('JWT claim "external_id" is required');
  if (typeof value !== 'string' || value.length === 0)
    throw invalid('JWT claim "external_id" must be a non-empty string');
  if ([...value].length > MAX_TEXT_LENGTH)
    throw invalid(`JWT claim "external_id" must be at most ${MAX_TEXT_LENGTH} characters`);
  return value;
}

function readEmail(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > MAX_EMAIL_LENGTH || !EMAIL.test(value)) {
    throw invalid('JWT claim "email" must be an email address');
  }
  return value;
}

function readName(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid('JWT claim "name" must be a string');
  if ([...value].length > MAX_TEXT_LENGTH)
    throw invalid(`JWT claim "name" must be at most ${MAX_TEXT_LENGTH} characters`);
  return value.length > 0 ? value : null;
}

function fromJose(error: unknown): DomainError {
  if (error instanceof errors.JWTExpired)
    return new DomainError('auth/token-expired', 'JWT has expired', 'jwt');
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('JWT must be signed with HS256');
  if (error instanceof errors.JOSENotSupported)
    return invalid('JWT uses an unsupported header parameter');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return invalid('JWT signature is invalid');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalid(
      error.reason === 'missing'
        ? `JWT claim "${error.claim}" is required`
        : `JWT claim "${error.claim}" is invalid`,
    );
  }
  // JWSInvalid, JWTInvalid and anything else jose rejects input with: not a well-formed JWT.
  return invalid('JWT is malformed');
}

function invalid(message: string): DomainError {
  return new DomainError('auth/token-invalid', message, 'jwt');
}
