import { createClient } from 'redis';
import type { Bus, BusHandler, Unsubscribe } from './bus.js';
import { encodePayload } from './encode-payload.js';

export interface RedisBusOptions {
  readonly url: string;
  /** Namespaces the channels, so several deployments (or test runs) can share one Redis. */
  readonly prefix?: string;
  /** Connection errors and throwing handlers land here; neither ever crashes the process. */
  readonly onError?: (err: unknown) => void;
}

interface Channel {
  readonly name: string;
  readonly handlers: Set<{ readonly handler: BusHandler }>;
  subscribed: boolean;
  /** SUBSCRIBE / UNSUBSCRIBE for this channel run one after another, never crossing. */
  queue: Promise<void>;
  readonly listener: (message: string) => void;
}

interface Closable {
  readonly isReady: boolean;
  close(): Promise<void>;
  destroy(): void;
}

/**
 * The bus across processes over Redis pub/sub. One connection publishes; a duplicate listens,
 * with one Redis SUBSCRIBE per channel however many local handlers there are (counted here),
 * and an UNSUBSCRIBE when the last one goes.
 *
 * It connects in the background: until Redis answers, commands wait in node-redis's offline
 * queue, so a Redis that is down at start-up delays signals instead of failing the start-up, and
 * node-redis reconnects (and re-subscribes) by itself. Publishing never waits for anything but its
 * own reply, and concurrent publishes share round trips (node-redis pipelines them).
 */
export function createRedisBus(options: RedisBusOptions): Bus {
  const onError = options.onError ?? ((err: unknown) => console.error('redis bus', err));
  const prefix = options.prefix ?? 'parlour:';
  const publisher = createClient({ url: options.url });
  const subscriber = publisher.duplicate();
  const channels = new Map<string, Channel>();
  let closed = false;

  for (const client of [publisher, subscriber]) {
    // Without an 'error' listener a dropped connection would be an uncaught exception.
    client.on('error', (err: unknown) => {
      if (!closed) onError(err);
    });
    client.connect().catch((err: unknown) => {
      if (!closed) onError(err);
    });
  }

  function channelFor(topic: string): Channel {
    const existing = channels.get(topic);
    if (existing) return existing;
    const channel: Channel = {
      name: `${prefix}${topic}`,
      handlers: new Set(),
      subscribed: false,
      queue: Promise.resolve(),
      listener: (message) => deliver(channel, message),
    };
    channels.set(topic, channel);
    return channel;
  }

  function deliver(channel: Channel, message: string): void {
    for (const entry of [...channel.handlers]) {
      // A handler removed by an earlier handler of this same message receives nothing more.
      if (!channel.handlers.has(entry)) continue;
      try {
        entry.handler(JSON.parse(message));
      } catch (err) {
        onError(err);
      }
    }
  }

  /** Brings the Redis subscription in line with whether any local handler is left. */
  function reconcile(topic: string, channel: Channel): Promise<void> {
    const step = channel.queue.then(async () => {
      const wanted = channel.handlers.size > 0 && !closed;
      if (wanted && !channel.subscribed) {
        await subscriber.subscribe(channel.name, channel.listener);
        channel.subscribed = true;
      } else if (!wanted && channel.subscribed) {
        channel.subscribed = false;
        if (!closed) await subscriber.unsubscribe(channel.name, channel.listener);
      }
      if (channel.handlers.size === 0 && channels.get(topic) === channel) channels.delete(topic);
    });
    channel.queue = step.catch(() => undefined);
    return step;
  }

  return {
    async publish(topic, payload) {
      if (closed) throw new Error('the bus is closed');
      // Encoded before the first await: what was published is what the caller passed, now.
      const message = encodePayload(payload);
      await publisher.publish(`${prefix}${topic}`, message);
    },

    async subscribe(topic, handler): Promise<Unsubscribe> {
      if (closed) throw new Error('the bus is closed');
      const channel = channelFor(topic);
      const entry = { handler };
      channel.handlers.add(entry);
      try {
        await reconcile(topic, channel);
      } catch (err) {
        channel.handlers.delete(entry);
        throw err;
      }
      return async () => {
        if (!channel.handlers.delete(entry) || closed) return;
        if (channel.handlers.size === 0) await reconcile(topic, channel);
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const channel of channels.values()) channel.handlers.clear();
      channels.clear();
      await Promise.all([shutDown(publisher), shutDown(subscriber)]);
    },
  };
}

/** A connected client finishes what it was sending; one still (re)connecting is dropped. */
async function shutDown(client: Closable): Promise<void> {
  if (client.isReady) await client.close();
  else client.destroy();
}
