import { redactSensitiveData } from '@parlour/core';

const SECRET_KEY = /secret|password|token|key/i;
const MAX_DEPTH = 20;

/**
 * What the audit log keeps of a request body: every value under a key that names a secret
 * (secret, password, token, key) becomes '[secret]', and card data in any text is masked, so the
 * log proves what changed without becoming a second copy of the secrets.
 */
export function auditChanges(body: unknown): unknown {
  return scrub(body, 0);
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactSensitiveData(value).text;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== null ? '[secret]' : scrub(item, depth + 1);
  }
  return out;
}
