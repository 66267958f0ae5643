import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError } from './errors.js';

describe('DomainError', () => {
  it('carries a typed code and the field at fault', () => {
    const error = new DomainError('ticket/closed', 'A closed ticket cannot change', 'status');
    expect(error).toMatchObject({
      code: 'ticket/closed',
      field: 'status',
      message: 'A closed ticket cannot change',
      name: 'DomainError',
    });
    expect(error).toBeInstanceOf(Error);
  });

  it('tells domain errors from any other error', () => {
    expect(isDomainError(new DomainError('not-found', 'Missing'))).toBe(true);
    expect(isDomainError(new Error('boom'))).toBe(false);
    expect(isDomainError({ code: 'not-found' })).toBe(false);
  });
});
