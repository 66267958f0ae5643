import { describe, expect, it } from 'vitest';
import { DomainError } from '@parlour/core';
import { ManualClock } from '../clock.js';
import { LoginRateLimitedError } from './login-rate-limited-error.js';
import { LoginRateLimiter } from './login-rate-limiter.js';

const MINUTE = 60 * 1000;

async function fail(
  limiter: LoginRateLimiter,
  times: number,
  ip: string,
  email: string | ((i: number) => string),
): Promise<void> {
  for (let i = 0; i < times; i++)
    await limiter.recordFailure(ip, typeof email === 'string' ? email : email(i));
}

async function blockOf(
  limiter: LoginRateLimiter,
  ip: string,
  email: string,
): Promise<LoginRateLimitedError | undefined> {
  try {
    await limiter.assertAllowed(ip, email);
    return undefined;
  } catch (error) {
    if (error instanceof LoginRateLimitedError) return error;
    throw error;
  }
}

describe('LoginRateLimiter', () => {
  it('allows 5 failed attempts per email and blocks the 6th', async () => {
    const limiter = new LoginRateLimiter(new ManualClock());
    await fail(limiter, 4, '10.0.0.1', 'ada@example.com');
    expect(await blockOf(limiter, '10.0.0.1', 'ada@example.com')).toBeUndefined();
    await fail(limiter, 1, '10.0.0.1', 'ada@example.com');
    expect(await blockOf(limiter, '10.0.0.1', 'ada@example.com')).toBeDefined();
  });

  it('fails with auth/rate-limited on the email field, saying how many minutes to wait', async () => {
    const limiter = new LoginRateLimiter(new ManualClock());
    await fail(limiter, 5, '10.0.0.1', 'ada@example.com');
    const error = await blockOf(limiter, '10.0.0.1', 'ada@example.com');
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'auth/rate-limited',
      field: 'email',
      message: 'Too many login attempts; try again in 15 minutes',
      retryAfterSeconds: 15 * 60,
    });
  });

  it('counts the wait from the oldest failure in the window', async () => {
    const clock = new ManualClock();
    const limiter = new LoginRateLimiter(clock);
    await fail(limiter, 1, '10.0.0.1', 'ada@example.com');
    clock.advance(10 * MINUTE);
    await fail(limiter, 4, '10.0.0.1', 'ada@example.com');
    clock.advance(4 * MINUTE + 30_000);
    expect(await blockOf(limiter, '10.0.0.1', 'ada@example.com')).toMatchObject({
      retryAfterSeconds: 30,
      message: 'Too many login attempts; try again in 1 minute',
    });
    clock.advance(30_000);
    expect(await blockOf(limiter, '10.0.0.1', 'ada@example.com')).toBeUndefined();
  });

  it('treats emails case-insensitively', async () => {
    const limiter = new LoginRateLimiter(new ManualClock());
    await fail(limiter, 5, '10.0.0.1', (i) => (i % 2 ? 'Ada@Example.com' : ' ada@example.COM'));
    expect(await blockOf(limiter, '10.0.0.2', 'ADA@EXAMPLE.COM')).toBeDefined();
  });

  it('blocks an email whichever IP the next attempt comes from', async () => {
    const limiter = new LoginRateLimiter(new ManualClock());
    await fail(limiter, 5, '10.0.0.1', 'ada@example.com');
    expect(await blockOf(limiter, '192.168.1.1', 'ada@example.com')).toBeDefined();
    expect(await blockOf(limiter, '10.0.0.1', 'grace@example.com')).toBeUndefined();
  });

  it('allows 30 failed attempts per IP across emails and blocks the 31st', async () => {
    const limiter = new LoginRateLimiter(new ManualClock());
    await fail(limiter, 29, '10.0.0.1', (i) => `user${i}@example.com`);
    expect(await blockOf(limiter, '10.0.0.1', 'new@example.com')).toBeUndefined();
    await fail(limiter, 1, '10.0.0.1', 'user29@example.com');
    expect(await blockOf(limiter, '10.0.0.1', 'new@example.com')).toMatchObject({
      code: 'auth/rate-limited',
      retryAfterSeconds: 15 * 60,
    });
    expect(await blockOf(limiter, '10.0.0.2', 'new@example.com')).toBeUndefined();
  });

  it('forgets failures older than 15 minutes', async () => {
    const clock = new ManualClock();
    const limiter = new LoginRateLimiter(clock);
    await fail(limiter, 5, '10.0.0.1', 'ada@example.com');
    clock.advance(15 * MINUTE);
    expect(await blockOf(limiter, '10.0.0.1', 'ada@example.com')).toBeUndefined();
  });

  it('clears the email failures on success but keeps the IP failures', async () => {
    const limiter = new LoginRateLimiter(new ManualClock(), { maxFailuresPerIp: 6 });
    await fail(limiter, 5, '10.0.0.1', 'ada@example.com');
    await limiter.recordSuccess('10.0.0.1', 'ADA@example.com');
    expect(await blockOf(limiter, '10.0.0.2', 'ada@example.com')).toBeUndefined();
    await fail(limiter, 1, '10.0.0.1', 'grace@example.com');
    expect(await blockOf(limiter, '10.0.0.1', 'someone@example.com')).toBeDefined();
  });

  it('takes both limits and the window from constructor options', async () => {
    const clock = new ManualClock();
    const limiter = new LoginRateLimiter(clock, {
      maxFailuresPerEmail: 2,
      maxFailuresPerIp: 3,
      windowMs: MINUTE,
    });
    await fail(limiter, 2, '10.0.0.1', 'ada@example.com');
    expect(await blockOf(limiter, '10.0.0.2', 'ada@example.com')).toMatchObject({
      retryAfterSeconds: 60,
    });
    await fail(limiter, 1, '10.0.0.1', 'grace@example.com');
    expect(await blockOf(limiter, '10.0.0.1', 'other@example.com')).toBeDefined();
    clock.advance(MINUTE);
    expect(await blockOf(limiter, '10.0.0.1', 'ada@example.com')).toBeUndefined();
  });

  it('reports the longer wait when both the email and the IP are blocked', async () => {
    const clock = new ManualClock();
    const limiter = new LoginRateLimiter(clock, { maxFailuresPerEmail: 1, maxFailuresPerIp: 2 });
    await fail(limiter, 1, '10.0.0.2', 'ada@example.com');
    await fail(limiter, 1, '10.0.0.1', 'grace@example.com');
    clock.advance(5 * MINUTE);
    await fail(limiter, 1, '10.0.0.1', 'bob@example.com');
    await fail(limiter, 1, '10.0.0.3', 'bob@example.com');
    await fail(limiter, 1, '10.0.0.3', 'carol@example.com');
    // 10.0.0.1 frees up in 10 minutes, bob in 15: the email waits longer.
    expect(await blockOf(limiter, '10.0.0.1', 'bob@example.com')).toMatchObject({
      retryAfterSeconds: 15 * 60,
    });
    // ada frees up in 10 minutes, 10.0.0.3 in 15: the IP waits longer.
    expect(await blockOf(limiter, '10.0.0.3', 'ada@example.com')).toMatchObject({
      retryAfterSeconds: 15 * 60,
    });
  });

  it('keeps memory bounded by forgetting the least recently failed keys first', async () => {
    const limiter = new LoginRateLimiter(new ManualClock(), {
      maxKeys: 3,
      maxFailuresPerEmail: 1,
      maxFailuresPerIp: 1000,
    });
    await fail(limiter, 1, '10.0.0.1', 'a@example.com');
    await fail(limiter, 1, '10.0.0.1', 'b@example.com');
    await fail(limiter, 1, '10.0.0.1', 'a@example.com'); // a is now the most recent
    await fail(limiter, 1, '10.0.0.1', 'c@example.com');
    await fail(limiter, 1, '10.0.0.1', 'd@example.com'); // evicts b
    expect(await blockOf(limiter, '10.0.0.1', 'b@example.com')).toBeUndefined();
    for (const email of ['a@example.com', 'c@example.com', 'd@example.com']) {
      expect(await blockOf(limiter, '10.0.0.1', email), email).toBeDefined();
    }
  });

  it('does not let a flood of emails evict the IP count', async () => {
    const limiter = new LoginRateLimiter(new ManualClock(), { maxKeys: 10, maxFailuresPerIp: 30 });
    await fail(limiter, 30, '10.0.0.1', (i) => `spray${i}@example.com`);
    expect(await blockOf(limiter, '10.0.0.1', 'fresh@example.com')).toBeDefined();
  });

  it('holds at most 10,000 keys by default under an email spray', async () => {
    const limiter = new LoginRateLimiter(new ManualClock(), {
      maxFailuresPerEmail: 1,
      maxFailuresPerIp: Number.MAX_SAFE_INTEGER,
    });
    await fail(limiter, 10_001, '10.0.0.1', (i) => `spray${i}@example.com`);
    expect(await blockOf(limiter, '10.0.0.2', 'spray0@example.com')).toBeUndefined();
    expect(await blockOf(limiter, '10.0.0.2', 'spray1@example.com')).toBeDefined();
    expect(await blockOf(limiter, '10.0.0.2', 'spray10000@example.com')).toBeDefined();
  });
});
