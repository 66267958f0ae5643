import type { Clock } from '../clock.js';
import { FixedWindow } from './fixed-window.js';
import type { RateLimiter, RateLimitResult } from './rate-limiter.js';

export interface MemoryRateLimiterOptions {
  /**
   * Keys remembered; past that, the least recently hit key is forgotten first (so a flood of new
   * keys evicts stale ones instead of growing memory without end). Default 100,000.
   */
  readonly maxKeys?: number;
}

/**
 * The rate-limit port in this process's memory: right for one process, and per process with
 * several (use the Redis adapter to count across them). Time comes from the injected clock.
 */
export class MemoryRateLimiter implements RateLimiter {
  // A Map iterates in insertion order; re-inserting on each hit keeps the stalest key first.
  private readonly windows = new Map<string, FixedWindow>();
  private readonly maxKeys: number;

  constructor(
    private readonly clock: Clock,
    options: MemoryRateLimiterOptions = {},
  ) {
    const maxKeys = options.maxKeys ?? 100_000;
    if (!Number.isInteger(maxKeys) || maxKeys <= 0)
      throw new RangeError('maxKeys must be a positive integer');
    this.maxKeys = maxKeys;
  }

  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    return Promise.resolve(this.take(key, limit, windowMs, 1));
  }

  peek(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    return Promise.resolve(this.take(key, limit, windowMs, 0));
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  /** Keys held now (for the memory bound's test). */
  get size(): number {
    return this.windows.size;
  }

  private take(key: string, limit: number, windowMs: number, cost: 0 | 1): RateLimitResult {
    const now = this.clock.now().getTime();
    const known = this.windows.get(key);
    if (cost === 0) {
      // A peek neither creates a key nor counts as its use.
      return (known ?? new FixedWindow()).take(now, limit, windowMs, 0);
    }
    const window = known ?? new FixedWindow();
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > this.maxKeys) {
      const stalest = this.windows.keys().next();
      if (!stalest.done) this.windows.delete(stalest.value);
    }
    return window.take(now, limit, windowMs, 1);
  }
}
