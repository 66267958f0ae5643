import { createHash, randomBytes } from 'node:crypto';

/** `pls`: a login session token; `plt`: a long-lived API token. The prefix makes leaked tokens easy to recognise and scan for. */
export type OpaqueTokenPrefix = 'pls' | 'plt';

const TOKEN_BYTES = 32;

/** `<prefix>_<43 base64url chars>`: 256 random bits, unguessable without any signature. */
export function newOpaqueToken(prefix: OpaqueTokenPrefix): string {
  return `${prefix}_${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

/**
 * SHA-256 hex of the token. Tokens are stored only hashed, so a database leak yields no usable
 * tokens; a plain fast hash suffices because the token already carries 256 bits of entropy.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
