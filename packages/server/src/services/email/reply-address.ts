import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const TOKEN = /^[a-z2-7]{32}$/;

/**
 * A ticket's reply token: 160 random bits in lower-case base32, because mail systems may change
 * the case of an address's local part. It is the credential of a reply, like a CSAT link.
 */
export function makeReplyToken(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function replyAddress(token: string, domain: string): string {
  return `reply+${token}@${domain}`;
}

/**
 * What a recipient says about its ticket: `none` (not a reply address of ours), a well-formed
 * token, or `malformed` (reply+… at our domain, but no token of ours could look like that).
 */
export function tokenOfAddress(
  address: string,
  domain: string,
): { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'malformed' } {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain) return { kind: 'none' };
  const local = address.slice(0, at).toLowerCase();
  if (!local.startsWith('reply+')) return { kind: 'none' };
  const token = local.slice('reply+'.length);
  return TOKEN.test(token) ? { kind: 'token', token } : { kind: 'malformed' };
}
