import type { Bus, BusHandler, Unsubscribe } from './bus.js';
import { encodePayload } from './encode-payload.js';

/** One handler on a hub; `active` turns false the moment it unsubscribes, even mid-delivery. */
export interface HubSubscription {
  readonly handler: BusHandler;
  readonly onError: (err: unknown) => void;
  active: boolean;
}

/**
 * What several in-process buses share. One hub is one "Redis": buses on the same hub see each
 * other's messages, which is how tests model several server processes without a network.
 */
export class InProcessHub {
  private readonly topics = new Map<string, Set<HubSubscription>>();

  add(topic: string, subscription: HubSubscription): void {
    let subscriptions = this.topics.get(topic);
    if (!subscriptions) {
      subscriptions = new Set();
      this.topics.set(topic, subscriptions);
    }
    subscriptions.add(subscription);
  }

  remove(topic: string, subscription: HubSubscription): void {
    const subscriptions = this.topics.get(topic);
    if (!subscriptions) return;
    subscriptions.delete(subscription);
    if (subscriptions.size === 0) this.topics.delete(topic);
  }

  publish(topic: string, message: string): void {
    const subscriptions = this.topics.get(topic);
    if (!subscriptions || subscriptions.size === 0) return;
    // The receivers are fixed at publish time, as Redis does; microtasks run in FIFO order, which
    // keeps each topic in publish order while never running a handler inside publish().
    const receivers = [...subscriptions];
    queueMicrotask(() => {
      for (const subscription of receivers) {
        if (!subscription.active) continue;
        try {
          subscription.handler(JSON.parse(message));
        } catch (err) {
          subscription.onError(err);
        }
      }
    });
  }
}

export interface InProcessBusOptions {
  /** A handler that throws is reported here; the other handlers still receive the message. */
  readonly onError?: (err: unknown) => void;
}

/** The bus for a single process (and for tests): no network, same contract as Redis. */
export function createInProcessBus(
  hub: InProcessHub = new InProcessHub(),
  options: InProcessBusOptions = {},
): Bus {
  const onError = options.onError ?? ((err: unknown) => console.error('bus handler failed', err));
  const mine = new Map<HubSubscription, string>();
  let closed = false;

  return {
    async publish(topic, payload) {
      if (closed) throw new Error('the bus is closed');
      hub.publish(topic, encodePayload(payload));
    },

    async subscribe(topic, handler): Promise<Unsubscribe> {
      if (closed) throw new Error('the bus is closed');
      const subscription: HubSubscription = { handler, onError, active: true };
      hub.add(topic, subscription);
      mine.set(subscription, topic);
      return async () => {
        if (!subscription.active) return;
        subscription.active = false;
        hub.remove(topic, subscription);
        mine.delete(subscription);
      };
    },

    async close() {
      closed = true;
      for (const [subscription, topic] of mine) {
        subscription.active = false;
        hub.remove(topic, subscription);
      }
      mine.clear();
    },
  };
}
