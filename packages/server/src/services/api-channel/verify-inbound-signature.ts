import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '@parlour/core';
import { signWebhook, WEBHOOK_REPLAY_WINDOW_S } from '../outbound/webhook-signature.js';

/**
 * Checks a signed inbound request with the scheme Parlour's own webhooks use
 * (`webhook-signature.ts`): `X-Parlour-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
 * and `X-Parlour-Timestamp` in unix seconds, at most five minutes from the server's clock.
 * A forged signature and an old (or future) timestamp are refused with distinct codes; a
 * reused signature is refused by the caller, which remembers them for the window.
 */
export function verifyInboundSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowSeconds: number,
): { signature: string; timestamp: number } {
  const { signature } = headers;
  if (!signature || headers.timestamp === undefined)
    throw new DomainError(
      'api-channel/bad-signature',
      'Sign the request: X-Parlour-Timestamp and X-Parlour-Signature are required',
      'X-Parlour-Signature',
    );
  if (!/^\d{1,12}$/.test(headers.timestamp))
    throw new DomainError(
      'api-channel/bad-signature',
      'X-Parlour-Timestamp is the time of signing in unix seconds',
      'X-Parlour-Timestamp',
    );
  const timestamp = Number(headers.timestamp);
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new DomainError(
      'api-channel/bad-signature',
      'The signature does not match: v1=HMAC-SHA256(secret, "<X-Parlour-Timestamp>.<body>") in hex',
      'X-Parlour-Signature',
    );
  // Checked after the signature, so an unsigned request learns nothing about the clock.
  if (Math.abs(nowSeconds - timestamp) > WEBHOOK_REPLAY_WINDOW_S)
    throw new DomainError(
      'api-channel/stale-timestamp',
      `X-Parlour-Timestamp is more than ${WEBHOOK_REPLAY_WINDOW_S / 60} minutes from the server's clock: sign again`,
      'X-Parlour-Timestamp',
    );
  return { signature, timestamp };
}
