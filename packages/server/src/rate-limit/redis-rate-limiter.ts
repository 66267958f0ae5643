import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import type { Clock } from '../clock.js';
import { resultOf } from './fixed-window.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import type { RateLimiter, RateLimitResult } from './rate-limiter.js';

export interface RedisRateLimiterOptions {
  readonly url: string;
  readonly clock: Clock;
  /** Namespaces the keys, so several deployments (or test runs) can share one Redis. */
  readonly prefix?: string;
  readonly onError?: (err: unknown) => void;
}

export interface RedisRateLimiter extends RateLimiter {
  /** Resolves once connected (until then, hits count in memory); never rejects. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One key's fixed window as a hash {count, ends}, read and written in one atomic script, so every
 * process sharing the Redis counts the same hits. Time is the caller's clock (ARGV[1]), like the
 * in-memory adapter's; the key expires when its window ends. ARGV: now ms, window ms, cost (0|1).
 */
const SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'count', 'ends')
local count = tonumber(state[1]) or 0
local ends = tonumber(state[2]) or 0
if now >= ends then
  count = 0
  ends = now + window
elseif ends - now > window then
  ends = now + window
end
if cost > 0 then
  count = count + cost
  redis.call('HSET', KEYS[1], 'count', count, 'ends', ends)
  redis.call('PEXPIRE', KEYS[1], ends - now)
end
return {count, ends - now}
`;
const SHA = createHash('sha1').update(SCRIPT).digest('hex');

/**
 * The rate-limit port over Redis: limits hold across server processes. While Redis is not
 * reachable it counts in this process's memory instead (a limit per process beats none, and a
 * Redis outage must not take the API or the login down with it).
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const onError = options.onError ?? ((err: unknown) => console.error('redis rate limiter', err));
  const prefix = options.prefix ?? 'parlour:rl:';
  const client = createClient({ url: options.url });
  const fallback = new MemoryRateLimiter(options.clock);
  let closed = false;
  // Without an 'error' listener a dropped connection would be an uncaught exception.
  client.on('error', (err: unknown) => {
    if (!closed) onError(err);
  });
  const connected = client.connect().then(
    () => undefined,
    (err: unknown) => {
      if (!closed) onError(err);
    },
  );

  async function run(key: string, windowMs: number, cost: 0 | 1): Promise<[number, number]> {
    const call = {
      keys: [`${prefix}${key}`],
      arguments: [String(options.clock.now().getTime()), String(windowMs), String(cost)],
    };
    try {
      return (await client.evalSha(SHA, call)) as [number, number];
    } catch (error) {
      // The first call on a fresh Redis (or after SCRIPT FLUSH) sends the script itself.
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return (await client.eval(SCRIPT, call)) as [number, number];
    }
  }

  async function take(
    key: string,
    limit: number,
    windowMs: number,
    cost: 0 | 1,
  ): Promise<RateLimitResult> {
    if (client.isReady) {
      try {
        const [count, leftMs] = await run(key, windowMs, cost);
        return resultOf(Number(count), cost, limit, Number(leftMs));
      } catch (error) {
        onError(error);
      }
    }
    return cost === 1 ? fallback.hit(key, limit, windowMs) : fallback.peek(key, limit, windowMs);
  }

  return {
    hit: (key, limit, windowMs) => take(key, limit, windowMs, 1),
    peek: (key, limit, windowMs) => take(key, limit, windowMs, 0),
    async reset(key) {
      await fallback.reset(key);
      if (client.isReady) {
        try {
          await client.del(`${prefix}${key}`);
        } catch (error) {
          onError(error);
        }
      }
    },
    ready: () => connected,
    async close() {
      if (closed) return;
      closed = true;
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}
