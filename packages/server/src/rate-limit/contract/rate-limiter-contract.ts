import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import type { RateLimiter } from '../rate-limiter.js';

export interface LimiterUnderTest {
  readonly limiter: RateLimiter;
  close(): Promise<void>;
}

const MINUTE = 60_000;

/** The behaviour every rate-limiter adapter promises; each adapter's test calls it with its factory. */
export function rateLimiterContract(
  name: string,
  make: (clock: ManualClock) => Promise<LimiterUnderTest>,
): void {
  describe(name, () => {
    let clock: ManualClock;
    let subject: LimiterUnderTest;
    let limiter: RateLimiter;

    beforeEach(async () => {
      clock = new ManualClock();
      subject = await make(clock);
      limiter = subject.limiter;
    });
    afterEach(async () => subject.close());

    async function hits(key: string, n: number, limit: number, windowMs = MINUTE) {
      const results = [];
      for (let i = 0; i < n; i++) results.push(await limiter.hit(key, limit, windowMs));
      return results;
    }

    it('allows `limit` hits in a window and refuses the next', async () => {
      const results = await hits('k', 4, 3);
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    });

    it('counts down the hits that remain in the window', async () => {
      const results = await hits('k', 4, 3);
      expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    });

    it('tells a refused hit to wait until the window that began with the first hit ends', async () => {
      await hits('k', 1, 2);
      clock.advance(20_000);
      await hits('k', 1, 2);
      clock.advance(10_000);
      const refused = await limiter.hit('k', 2, MINUTE);
      expect(refused).toEqual({ allowed: false, retryAfterMs: 30_000, remaining: 0 });
    });

    it('starts a fresh window once the window has passed', async () => {
      await hits('k', 3, 2);
      clock.advance(MINUTE);
      expect(await limiter.hit('k', 2, MINUTE)).toEqual({
        allowed: true,
        retryAfterMs: 0,
        remaining: 1,
      });
    });

    it('does not extend the window for refused hits', async () => {
      await hits('k', 2, 2);
      clock.advance(59_000);
      await hits('k', 5, 2);
      clock.advance(1_000);
      expect((await limiter.hit('k', 2, MINUTE)).allowed).toBe(true);
    });

    it('counts each key on its own', async () => {
      await hits('a', 2, 2);
      expect((await limiter.hit('b', 2, MINUTE)).allowed).toBe(true);
      expect((await limiter.hit('a', 2, MINUTE)).allowed).toBe(false);
    });

    it('peeks whether one more hit would be allowed, without counting it', async () => {
      expect(await limiter.peek('k', 2, MINUTE)).toMatchObject({ allowed: true, remaining: 2 });
      await hits('k', 1, 2);
      expect(await limiter.peek('k', 2, MINUTE)).toMatchObject({ allowed: true, remaining: 1 });
      expect(await limiter.peek('k', 2, MINUTE)).toMatchObject({ allowed: true, remaining: 1 });
      clock.advance(15_000);
      await hits('k', 1, 2);
      expect(await limiter.peek('k', 2, MINUTE)).toEqual({
        allowed: false,
        retryAfterMs: 45_000,
        remaining: 0,
      });
    });

    it('forgets a key on reset', async () => {
      await hits('k', 2, 2);
      await limiter.reset('k');
      expect(await limiter.hit('k', 2, MINUTE)).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('counts concurrent hits exactly: no more than `limit` are allowed', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, () => limiter.hit('burst', 20, MINUTE)),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(20);
    });
  });
}
