import type { RateLimitResult } from './rate-limiter.js';

/**
 * One key's fixed window: a count and when the window ends. The window starts at the first hit
 * after the previous one ended. Shared by the in-memory adapter and the per-socket frame budget.
 */
export class FixedWindow {
  private count = 0;
  private endsAt = 0;

  /** Counts `cost` hits at `now` (cost 0 peeks) and says whether they fit (for a peek: one more). */
  take(now: number, limit: number, windowMs: number, cost: 0 | 1): RateLimitResult {
    if (now >= this.endsAt) {
      this.count = 0;
      this.endsAt = now + windowMs;
    } else if (this.endsAt - now > windowMs) {
      // The clock went back: a window never ends later than windowMs from now.
      this.endsAt = now + windowMs;
    }
    this.count += cost;
    return resultOf(this.count, cost, limit, this.endsAt - now);
  }

  /** Whether the window has ended by `now` (an idle key can be forgotten). */
  expired(now: number): boolean {
    return now >= this.endsAt;
  }
}

/**
 * The result for a window holding `count` hits that ends in `leftMs`: a hit (cost 1) is allowed
 * while the count is within the limit; a peek (cost 0) while one more would be.
 */
export function resultOf(
  count: number,
  cost: 0 | 1,
  limit: number,
  leftMs: number,
): RateLimitResult {
  const allowed = cost === 1 ? count <= limit : count < limit;
  return {
    allowed,
    retryAfterMs: allowed ? 0 : Math.max(0, leftMs),
    remaining: Math.max(0, limit - count),
  };
}
