import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '@parlour/core';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './password.js';

function policyError(password: string): unknown {
  try {
    assertPasswordPolicy(password);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('hashPassword', () => {
  it('encodes scrypt with N=16384 r=8 p=1, a 16-byte salt and a 64-byte key', async () => {
    const stored = await hashPassword('correct horse');
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(hash ?? '', 'base64')).toHaveLength(64);
  });

  it('salts every hash differently', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });
});

describe('verifyPassword', () => {
  it('accepts the password that was hashed', async () => {
    expect(await verifyPassword('correct horse', await hashPassword('correct horse'))).toBe(true);
  });

  it('rejects a different password', async () => {
    expect(await verifyPassword('correct horsE', await hashPassword('correct horse'))).toBe(false);
  });

  it('uses the parameters stored in the hash, so they can be raised later', async () => {
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('raised cost', salt, 32, { N: 1024, r: 4, p: 2 });
    const stored = `scrypt$1024$4$2$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('raised cost', stored)).toBe(true);
  });

  it('matches a password typed with composed or decomposed accents', async () => {
    expect(
      await verifyPassword('caf\u0065\u0301 au lait', await hashPassword('caf\u00e9 au lait')),
    ).toBe(true);
  });

  it('returns false instead of throwing on a malformed stored value', async () => {
    const good = await hashPassword('correct horse');
    const [, , , , salt, hash] = good.split('$');
    const malformed = [
      '',
      'not a hash',
      'bcrypt$16384$8$1$' + salt + '$' + hash,
      `scrypt$16384$8$1$${salt}`,
      `scrypt$16384$8$1$${salt}$${hash}$extra`,
      `scrypt$1000$8$1$${salt}$${hash}`,
      `scrypt$0$8$1$${salt}$${hash}`,
      `scrypt$-16384$8$1$${salt}$${hash}`,
      `scrypt$16384$x$1$${salt}$${hash}`,
      `scrypt$16384$8$1$$${hash}`,
      `scrypt$16384$8$1$${salt}$`,
      `scrypt$16384$8$1$${salt}$!!!not-base64!!!`,
      `scrypt$16384$8$1$${salt}$${hash?.slice(0, 8)}`,
      `scrypt$1073741824$8$1$${salt}$${hash}`,
      `scrypt$1048576$32$16$${salt}$${hash}`,
    ];
    for (const stored of malformed) {
      await expect(verifyPassword('correct horse', stored), stored).resolves.toBe(false);
    }
  });
});

describe('assertPasswordPolicy', () => {
  it('accepts 8 to 256 characters', () => {
    expect(() => assertPasswordPolicy('a'.repeat(8))).not.toThrow();
    expect(() => assertPasswordPolicy('a'.repeat(256))).not.toThrow();
  });

  it('rejects fewer than 8 characters as validation/invalid on the password field', () => {
    const error = policyError('a'.repeat(7));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'validation/invalid',
      field: 'password',
      message: 'Password must be at least 8 characters long',
    });
  });

  it('rejects more than 256 characters as validation/invalid on the password field', () => {
    const error = policyError('a'.repeat(257));
    expect(error).toMatchObject({
      code: 'validation/invalid',
      field: 'password',
      message: 'Password must be at most 256 characters long',
    });
  });

  it('counts an emoji as one character', () => {
    expect(() => assertPasswordPolicy('😀'.repeat(8))).not.toThrow();
    expect(policyError('😀'.repeat(7))).toMatchObject({ code: 'validation/invalid' });
  });
});
