import { createHmac, timingSafeEqual } from 'node:crypto';

/** Receivers refuse a request whose timestamp is further than this from their clock. */
export const WEBHOOK_REPLAY_WINDOW_S = 5 * 60;

/**
 * How Parlour signs a webhook request, and how a receiver checks one.
 *
 * Every request carries `X-Parlour-Timestamp` (unix seconds) and
 * `X-Parlour-Signature: v1=<hex>`, where hex is HMAC-SHA256, keyed with the workspace's webhook
 * secret (GET /api/settings/webhook-secret), of `<timestamp>.<raw request body>`. A receiver:
 * 1. computes the HMAC over the timestamp header, a dot and the body bytes exactly as received
 *    (before any JSON parsing);
 * 2. compares it with the `v1=` value in constant time;
 * 3. refuses the request when the timestamp is more than 5 minutes from its own clock (a replay);
 * 4. may de-duplicate by `X-Parlour-Delivery` (a retry of one delivery repeats its id).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's check (what `signWebhook` documents); `nowSeconds` is the receiver's clock. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  if (Math.abs(nowSeconds - timestamp) > WEBHOOK_REPLAY_WINDOW_S) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
