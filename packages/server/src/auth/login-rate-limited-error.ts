import { DomainError } from '@parlour/core';

/**
 * `auth/rate-limited` plus how long to wait, so the HTTP edge can send `Retry-After` by checking
 * `instanceof LoginRateLimitedError` while every other edge still sees a plain DomainError.
 */
export class LoginRateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(
      'auth/rate-limited',
      `Too many login attempts; try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`,
      'email',
    );
    this.name = 'LoginRateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
