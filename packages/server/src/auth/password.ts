import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@parlour/core';

const SALT_BYTES = 16;
const KEY_BYTES = 64;
const COST = { N: 16384, r: 8, p: 1 } as const;

// Upper bounds on parameters read back from storage, so a corrupted or planted row cannot make
// one verification burn gigabytes of memory or minutes of CPU.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

/** Throws `validation/invalid` on field `password` unless the password is 8 to 256 characters. */
export function assertPasswordPolicy(password: string): void {
  // Counted in code points, so an emoji is one character, as the user sees it.
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new DomainError(
      'validation/invalid',
      `Password must be at least ${MIN_PASSWORD_LENGTH} characters long`,
      'password',
    );
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new DomainError(
      'validation/invalid',
      `Password must be at most ${MAX_PASSWORD_LENGTH} characters long`,
      'password',
    );
  }
}

/**
 * Hashes with scrypt into `scrypt$N$r$p$<salt b64>$<hash b64>`. The cost travels with the hash so it
 * can be raised later without invalidating existing passwords. Does not apply the policy: call
 * `assertPasswordPolicy` where a password is chosen.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

/** True when `password` matches `stored`; false (never throws) when it does not or `stored` is malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  try {
    const key = await derive(password, parsed.salt, parsed.hash.length, parsed.cost);
    return timingSafeEqual(key, parsed.hash);
  } catch {
    return false;
  }
}

interface StoredHash {
  cost: { N: number; r: number; p: number };
  salt: Buffer;
  hash: Buffer;
}

function parseStored(stored: unknown): StoredHash | null {
  if (typeof stored !== 'string') return null;
  const parts = stored.split('$');
  if (parts.length !== 6) return null;
  const [scheme, n, r, p, salt, hash] = parts;
  if (scheme !== 'scrypt') return null;
  const N = parseCount(n, MAX_N);
  const R = parseCount(r, MAX_R);
  const P = parseCount(p, MAX_P);
  if (N === null || R === null || P === null || N < 2 || (N & (N - 1)) !== 0) return null;
  if (scryptMemory(N, R) > MAX_MEMORY_BYTES) return null;
  const saltBytes = decodeBase64(salt);
  const hashBytes = decodeBase64(hash);
  if (
    !saltBytes ||
    !hashBytes ||
    saltBytes.length === 0 ||
    hashBytes.length < 16 ||
    hashBytes.length > 1024
  )
    return null;
  return { cost: { N, r: R, p: P }, salt: saltBytes, hash: hashBytes };
}

function parseCount(text: string | undefined, max: number): number | null {
  if (text === undefined || !/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

// Buffer.from(…, 'base64') silently skips junk; re-encoding catches a value that is not real base64.
function decodeBase64(text: string | undefined): Buffer | null {
  if (text === undefined || text.length === 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

function scryptMemory(N: number, r: number): number {
  return 128 * N * r;
}

function derive(
  password: string,
  salt: Buffer,
  keyBytes: number,
  cost: StoredHash['cost'],
): Promise<Buffer> {
  // Node's default maxmem (32 MiB) only just fits N=16384, r=8; leave room for raised parameters.
  const maxmem = 2 * scryptMemory(cost.N, cost.r);
  // NFC so the same password typed on systems that compose accents differently still matches.
  const normalized = password.normalize('NFC');
  return new Promise((resolve, reject) => {
    scrypt(normalized, salt, keyBytes, { ...cost, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
