import { redactSensitiveData } from '@parlour/core';

/**
 * The last check before data leaves Parlour (webhook payloads, emails): every string is scanned
 * for card numbers and masked. What reaches here was already guarded at its ingress; this keeps
 * a future code path that forgets from ever sending card data in clear.
 */
export function maskOutgoing<T>(value: T): T {
  if (typeof value === 'string') return redactSensitiveData(value).text as T;
  if (Array.isArray(value)) return value.map((v: unknown) => maskOutgoing(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskOutgoing(v)]),
    ) as T;
  }
  return value;
}
