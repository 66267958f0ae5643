import { describe, expect, it } from 'vitest';
import { hashToken, newOpaqueToken } from './opaque-token.js';

describe('newOpaqueToken', () => {
  it('is the prefix, an underscore and 43 base64url characters', () => {
    expect(newOpaqueToken('pls')).toMatch(/^pls_[A-Za-z0-9_-]{43}$/);
    expect(newOpaqueToken('plt')).toMatch(/^plt_[A-Za-z0-9_-]{43}$/);
  });

  it('encodes 32 random bytes', () => {
    expect(Buffer.from(newOpaqueToken('pls').slice(4), 'base64url')).toHaveLength(32);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newOpaqueToken('plt')));
    expect(tokens.size).toBe(1000);
  });
});

describe('hashToken', () => {
  it('is the SHA-256 hex digest of the token', () => {
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('differs for different tokens and is stable for the same token', () => {
    const token = newOpaqueToken('pls');
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(newOpaqueToken('pls')));
  });
});
