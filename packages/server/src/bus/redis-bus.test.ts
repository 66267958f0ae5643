import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { describe, expect, it, vi } from 'vitest';
import { busContract } from './contract/bus-contract.js';
import { createRedisBus } from './redis-bus.js';

const url = process.env.REDIS_URL;

function randomPrefix(): string {
  return `parlour-test:${randomBytes(6).toString('hex')}:`;
}

describe.skipIf(!url)('redis bus', () => {
  const redisUrl = url ?? '';

  busContract('redis bus contract', async () => {
    const prefix = randomPrefix();
    const a = createRedisBus({ url: redisUrl, prefix });
    const b = createRedisBus({ url: redisUrl, prefix });
    return {
      a,
      b,
      async close() {
        await a.close();
        await b.close();
      },
    };
  });

  async function subscriberCount(channel: string): Promise<number> {
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const counts = await client.pubSubNumSub(channel);
      return Number(counts[channel] ?? 0);
    } finally {
      await client.close();
    }
  }

  it('subscribes to Redis once per topic however many handlers listen', async () => {
    const prefix = randomPrefix();
    const bus = createRedisBus({ url: redisUrl, prefix });
    const unsubscribes = await Promise.all(
      [1, 2, 3].map(() => bus.subscribe('topic', () => undefined)),
    );
    expect(await subscriberCount(`${prefix}topic`)).toBe(1);
    for (const unsubscribe of unsubscribes.slice(1)) await unsubscribe();
    expect(await subscriberCount(`${prefix}topic`)).toBe(1);
    await unsubscribes[0]?.();
    expect(await subscriberCount(`${prefix}topic`)).toBe(0);
    await bus.close();
  });

  it('reports a throwing handler and still delivers to the others', async () => {
    const errors: unknown[] = [];
    const bus = createRedisBus({
      url: redisUrl,
      prefix: randomPrefix(),
      onError: (err) => errors.push(err),
    });
    const received: unknown[] = [];
    await bus.subscribe('topic', () => {
      throw new Error('handler broke');
    });
    await bus.subscribe('topic', (payload) => received.push(payload));
    await bus.publish('topic', 'hello');
    await vi.waitFor(() => expect(received).toEqual(['hello']));
    expect(errors).toEqual([new Error('handler broke')]);
    await bus.close();
  });
});

describe('redis bus without a server', () => {
  it('reports connection errors to onError instead of crashing', async () => {
    const errors: unknown[] = [];
    // Port 1 refuses connections: node-redis keeps retrying and each failure is reported.
    const bus = createRedisBus({ url: 'redis://127.0.0.1:1', onError: (err) => errors.push(err) });
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), {
      timeout: 2_000,
      interval: 10,
    });
    await bus.close();
  });
});
