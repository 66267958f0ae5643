import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { rateLimiterContract } from './contract/rate-limiter-contract.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';

const url = process.env.REDIS_URL;

function randomPrefix(): string {
  return `parlour-test:rl:${randomBytes(6).toString('hex')}:`;
}

describe.skipIf(!url)('redis rate limiter', () => {
  const redisUrl = url ?? '';

  rateLimiterContract('redis rate limiter contract', async (clock) => {
    const limiter = createRedisRateLimiter({ url: redisUrl, clock, prefix: randomPrefix() });
    await limiter.ready();
    return { limiter, close: () => limiter.close() };
  });

  it('shares the count between two processes that use the same Redis', async () => {
    const clock = new ManualClock();
    const prefix = randomPrefix();
    const a = createRedisRateLimiter({ url: redisUrl, clock, prefix });
    const b = createRedisRateLimiter({ url: redisUrl, clock, prefix });
    await Promise.all([a.ready(), b.ready()]);
    await a.hit('login:ada', 2, 60_000);
    await b.hit('login:ada', 2, 60_000);
    expect((await a.peek('login:ada', 2, 60_000)).allowed).toBe(false);
    await b.reset('login:ada');
    expect((await a.peek('login:ada', 2, 60_000)).allowed).toBe(true);
    await a.close();
    await b.close();
  });
});

describe('redis rate limiter without a server', () => {
  it('counts in memory while Redis cannot be reached', async () => {
    const errors: unknown[] = [];
    const limiter = createRedisRateLimiter({
      url: 'redis://127.0.0.1:1',
      clock: new ManualClock(),
      onError: (err) => errors.push(err),
    });
    expect((await limiter.hit('k', 1, 60_000)).allowed).toBe(true);
    expect((await limiter.hit('k', 1, 60_000)).allowed).toBe(false);
    await limiter.close();
  });
});
