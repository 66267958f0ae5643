import { describe, expect, it } from 'vitest';
import { auditChanges } from './audit-changes.js';

describe('auditChanges', () => {
  it('replaces every value under a key that names a secret, at any depth', () => {
    expect(
      auditChanges({
        endUserJwtSecret: 'a'.repeat(40),
        password: 'hunter22',
        nested: [{ apiToken: 'plt_x', signingKey: 'k' }],
        name: 'kept',
      }),
    ).toEqual({
      endUserJwtSecret: '[secret]',
      password: '[secret]',
      nested: [{ apiToken: '[secret]', signingKey: '[secret]' }],
      name: 'kept',
    });
  });

  it('keeps a secret being cleared (null) visible as null', () => {
    expect(auditChanges({ endUserJwtSecret: null })).toEqual({ endUserJwtSecret: null });
  });

  it('masks card numbers in any text', () => {
    const changes = auditChanges({ body: 'Card 4111 1111 1111 1111 please' }) as { body: string };
    expect(changes.body).not.toMatch(/4111 1111 1111 1111|4111111111111111/);
    expect(changes.body).toContain('1111 please');
  });

  it('keeps numbers, booleans and null as they are', () => {
    expect(auditChanges({ a: 1, b: true, c: null, d: [2] })).toEqual({
      a: 1,
      b: true,
      c: null,
      d: [2],
    });
  });
});
