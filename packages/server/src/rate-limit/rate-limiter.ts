/** What one counted (or peeked) request learns from a rate limiter. */
export interface RateLimitResult {
  /** Whether this hit (for `peek`: the next hit) is within the limit. */
  readonly allowed: boolean;
  /** How long until the key's window ends and it may go again; 0 when allowed. */
  readonly retryAfterMs: number;
  /** Hits left in the current window. */
  readonly remaining: number;
}

/**
 * The rate-limit port: counts hits per key in fixed windows. A key's window starts at its first
 * hit and lasts `windowMs`; `limit` hits fit in it, later ones are refused until it ends (a
 * refused hit does not extend the window). The in-memory adapter counts per process; the Redis
 * adapter counts across every process that shares the Redis.
 */
export interface RateLimiter {
  /** Counts one hit against `key`. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Whether one more hit would be allowed now, without counting one. */
  peek(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Forgets the key's hits (a successful login clears the email's failures). */
  reset(key: string): Promise<void>;
}

/** Whole seconds to send in `Retry-After`: never 0 for a refused request. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** The error every edge answers a refused request or frame with (HTTP 429, or an error frame). */
export function rateLimitedError(retryAfterMs: number): {
  readonly code: 'rate/limited';
  readonly message: string;
  readonly retryAfterSeconds: number;
} {
  const seconds = retryAfterSeconds(retryAfterMs);
  return {
    code: 'rate/limited',
    message: `Too many requests; try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`,
    retryAfterSeconds: seconds,
  };
}
