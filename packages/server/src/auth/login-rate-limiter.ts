import type { Clock } from '../clock.js';
import { MemoryRateLimiter } from '../rate-limit/memory-rate-limiter.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { LoginRateLimitedError } from './login-rate-limited-error.js';

export interface LoginRateLimiterOptions {
  /** Failed attempts allowed per email (case-insensitive) within the window. Default 5. */
  maxFailuresPerEmail?: number;
  /** Failed attempts allowed per IP within the window. Default 30. */
  maxFailuresPerIp?: number;
  /** Default 15 minutes. */
  windowMs?: number;
  /**
   * Without `limiter`: keys remembered per kind (emails, IPs) in this process; the least recently
   * failed is forgotten first. Default 10,000.
   */
  maxKeys?: number;
  /** Where failures are counted: the server's rate-limit port (Redis: shared by every process). */
  limiter?: RateLimiter;
}

/**
 * Throttles password guessing: per email against targeted guessing, per IP against spraying.
 * Use: `assertAllowed` before checking the password, then `recordFailure` or `recordSuccess`.
 *
 * Failures are counted through the rate-limit port in fixed windows that start at a key's first
 * failure: with the Redis adapter the limits hold across every server process; without a port each
 * process counts in its own memory, bounded by `maxKeys` per kind, so spraying random emails evicts
 * old entries instead of growing without end.
 */
export class LoginRateLimiter {
  private readonly windowMs: number;
  private readonly maxPerEmail: number;
  private readonly maxPerIp: number;
  private readonly emails: RateLimiter;
  private readonly ips: RateLimiter;

  constructor(clock: Clock, options: LoginRateLimiterOptions = {}) {
    this.windowMs = positive(options.windowMs ?? 15 * 60 * 1000, 'windowMs');
    const maxKeys = positive(options.maxKeys ?? 10_000, 'maxKeys');
    this.maxPerEmail = positive(options.maxFailuresPerEmail ?? 5, 'maxFailuresPerEmail');
    this.maxPerIp = positive(options.maxFailuresPerIp ?? 30, 'maxFailuresPerIp');
    // Separate stores, so a flood of emails cannot evict the IP counts that would stop it.
    this.emails = options.limiter ?? new MemoryRateLimiter(clock, { maxKeys });
    this.ips = options.limiter ?? new MemoryRateLimiter(clock, { maxKeys });
  }

  /** Throws LoginRateLimitedError (`auth/rate-limited`, with `retryAfterSeconds`) when either limit is reached. */
  async assertAllowed(ip: string, email: string): Promise<void> {
    const [byEmail, byIp] = await Promise.all([
      this.emails.peek(emailKey(email), this.maxPerEmail, this.windowMs),
      this.ips.peek(ipKey(ip), this.maxPerIp, this.windowMs),
    ]);
    const waitMs = Math.max(byEmail.retryAfterMs, byIp.retryAfterMs);
    if (waitMs > 0) throw new LoginRateLimitedError(Math.ceil(waitMs / 1000));
  }

  async recordFailure(ip: string, email: string): Promise<void> {
    await Promise.all([
      this.emails.hit(emailKey(email), this.maxPerEmail, this.windowMs),
      this.ips.hit(ipKey(ip), this.maxPerIp, this.windowMs),
    ]);
  }

  /** Clears the email's failures. The IP's stay: one known password must not reset a spray. */
  async recordSuccess(_ip: string, email: string): Promise<void> {
    await this.emails.reset(emailKey(email));
  }
}

function emailKey(email: string): string {
  return `login:email:${email.trim().toLowerCase()}`;
}

function ipKey(ip: string): string {
  return `login:ip:${ip}`;
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer`);
  return value;
}
