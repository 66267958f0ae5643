import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { rateLimiterContract } from './contract/rate-limiter-contract.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';

rateLimiterContract('in-memory rate limiter contract', async (clock) => ({
  limiter: new MemoryRateLimiter(clock),
  close: async () => undefined,
}));

describe('in-memory rate limiter', () => {
  it('keeps at most maxKeys keys, forgetting the least recently hit first', async () => {
    const limiter = new MemoryRateLimiter(new ManualClock(), { maxKeys: 2 });
    await limiter.hit('a', 1, 60_000);
    await limiter.hit('b', 1, 60_000);
    await limiter.hit('a', 1, 60_000);
    await limiter.hit('c', 1, 60_000);
    expect(limiter.size).toBe(2);
    expect((await limiter.peek('b', 1, 60_000)).allowed).toBe(true);
    expect((await limiter.peek('a', 1, 60_000)).allowed).toBe(false);
    expect((await limiter.peek('c', 1, 60_000)).allowed).toBe(false);
  });

  it('does not remember keys that were only peeked at', async () => {
    const limiter = new MemoryRateLimiter(new ManualClock());
    for (let i = 0; i < 100; i++) await limiter.peek(`k${i}`, 1, 60_000);
    expect(limiter.size).toBe(0);
  });
});
