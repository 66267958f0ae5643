import type { Clock } from '../clock.js';
import { LoginRateLimitedError } from './login-rate-limited-error.js';

export interface LoginRateLimiterOptions {
  /** Failed attempts allowed per email (case-insensitive) within the window. Default 5. */
  maxFailuresPerEmail?: number;
  /** Failed attempts allowed per IP within the window. Default 30. */
  maxFailuresPerIp?: number;
  /** Default 15 minutes. */
  windowMs?: number;
  /** Keys remembered per kind (emails, IPs); the least recently failed is forgotten first. Default 10,000. */
  maxKeys?: number;
}

/**
 * Throttles password guessing: per email against targeted guessing, per IP against spraying.
 * Use: `assertAllowed` before checking the password, then `recordFailure` or `recordSuccess`.
 *
 * The counts live in this process's memory: with several server processes each one enforces the
 * limits on its own, and a restart forgets them. Memory is bounded by `maxKeys`, so spraying
 * random emails evicts old entries instead of growing without end.
 */
export class LoginRateLimiter {
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly byEmail: FailureLog;
  private readonly byIp: FailureLog;

  constructor(clock: Clock, options: LoginRateLimiterOptions = {}) {
    this.clock = clock;
    this.windowMs = positive(options.windowMs ?? 15 * 60 * 1000, 'windowMs');
    const maxKeys = positive(options.maxKeys ?? 10_000, 'maxKeys');
    // Separate logs, so a flood of emails cannot evict the IP counts that would stop it.
    this.byEmail = new FailureLog(
      positive(options.maxFailuresPerEmail ?? 5, 'maxFailuresPerEmail'),
      maxKeys,
    );
    this.byIp = new FailureLog(
      positive(options.maxFailuresPerIp ?? 30, 'maxFailuresPerIp'),
      maxKeys,
    );
  }

  /** Throws LoginRateLimitedError (`auth/rate-limited`, with `retryAfterSeconds`) when either limit is reached. */
  assertAllowed(ip: string, email: string): void {
    const now = this.clock.now().getTime();
    const waitMs = Math.max(
      this.byEmail.waitMs(emailKey(email), now, this.windowMs),
      this.byIp.waitMs(ip, now, this.windowMs),
    );
    if (waitMs > 0) throw new LoginRateLimitedError(Math.ceil(waitMs / 1000));
  }

  recordFailure(ip: string, email: string): void {
    const now = this.clock.now().getTime();
    this.byEmail.add(emailKey(email), now, this.windowMs);
    this.byIp.add(ip, now, this.windowMs);
  }

  /** Clears the email's failures. The IP's stay: one known password must not reset a spray. */
  recordSuccess(_ip: string, email: string): void {
    this.byEmail.clear(emailKey(email));
  }
}

function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer`);
  return value;
}

/** Recent failure times per key, at most `limit` per key and `maxKeys` keys. */
class FailureLog {
  // A Map iterates in insertion order; re-inserting on each failure keeps the stalest key first.
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly maxKeys: number,
  ) {}

  add(key: string, now: number, windowMs: number): void {
    const times = this.recent(key, now, windowMs);
    times.push(now);
    // Only the newest `limit` failures decide whether the key is blocked.
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    this.failures.delete(key);
    this.failures.set(key, times);
    if (this.failures.size > this.maxKeys) {
      const stalest = this.failures.keys().next();
      if (!stalest.done) this.failures.delete(stalest.value);
    }
  }

  /** Milliseconds until the key may try again; 0 when it may now. */
  waitMs(key: string, now: number, windowMs: number): number {
    const times = this.recent(key, now, windowMs);
    const oldest = times[0];
    if (times.length < this.limit || oldest === undefined) return 0;
    // Blocked until the oldest counted failure leaves the window; capped in case the clock went back.
    return Math.min(oldest + windowMs - now, windowMs);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number, windowMs: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const fresh = times.filter((at) => at > now - windowMs);
    if (fresh.length === 0) this.failures.delete(key);
    else if (fresh.length !== times.length) this.failures.set(key, fresh);
    return fresh;
  }
}
