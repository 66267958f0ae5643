import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bus, Unsubscribe } from '../bus.js';

/** Two buses that stand for two server processes sharing one transport. */
export interface BusPair {
  readonly a: Bus;
  readonly b: Bus;
  close(): Promise<void>;
}

interface Recorder {
  readonly received: unknown[];
  readonly unsubscribe: Unsubscribe;
}

async function record(bus: Bus, topic: string): Promise<Recorder> {
  const received: unknown[] = [];
  const unsubscribe = await bus.subscribe(topic, (payload) => received.push(payload));
  return { received, unsubscribe };
}

async function until(check: () => void): Promise<void> {
  await vi.waitFor(check, { timeout: 5_000, interval: 5 });
}

/** The behaviour every bus adapter promises; each adapter's test calls it with its own factory. */
export function busContract(name: string, makePair: () => Promise<BusPair>): void {
  describe(name, () => {
    let pair: BusPair;

    beforeEach(async () => {
      pair = await makePair();
    });

    afterEach(async () => {
      await pair.close();
    });

    it('delivers a published message to a subscriber in the publishing process', async () => {
      const local = await record(pair.a, 'greeting');
      await pair.a.publish('greeting', { hello: 'world' });
      await until(() => expect(local.received).toEqual([{ hello: 'world' }]));
    });

    it('delivers a published message to subscribers in every other process', async () => {
      const remote = await record(pair.b, 'greeting');
      await pair.a.publish('greeting', { hello: 'world' });
      await until(() => expect(remote.received).toEqual([{ hello: 'world' }]));
    });

    it('delivers to every handler subscribed to the topic', async () => {
      const first = await record(pair.a, 'topic');
      const second = await record(pair.a, 'topic');
      const remote = await record(pair.b, 'topic');
      await pair.b.publish('topic', 1);
      await until(() => {
        expect(first.received).toEqual([1]);
        expect(second.received).toEqual([1]);
        expect(remote.received).toEqual([1]);
      });
    });

    it('carries any JSON value', async () => {
      const values = [
        'text',
        42,
        0.5,
        true,
        null,
        [1, 'two', { three: 3 }],
        { nested: { list: [] } },
      ];
      const remote = await record(pair.b, 'values');
      for (const value of values) await pair.a.publish('values', value);
      await until(() => expect(remote.received).toEqual(values));
    });

    it('rejects a payload that is not JSON', async () => {
      await expect(pair.a.publish('topic', undefined)).rejects.toThrow(TypeError);
    });

    it('delivers messages on a topic in publish order', async () => {
      const count = 500;
      const local = await record(pair.a, 'ordered');
      const remote = await record(pair.b, 'ordered');
      const expected = Array.from({ length: count }, (_, i) => i);
      // Not awaited one by one: ordering must hold while publishes are in flight together.
      await Promise.all(expected.map((i) => pair.a.publish('ordered', i)));
      await until(() => {
        expect(local.received).toEqual(expected);
        expect(remote.received).toEqual(expected);
      });
    });

    it('runs handlers after publish returns, never during it', async () => {
      const local = await record(pair.a, 'topic');
      const publishing = pair.a.publish('topic', 'later');
      expect(local.received).toEqual([]);
      await publishing;
      await until(() => expect(local.received).toEqual(['later']));
    });

    it('delivers nothing to a handler after it unsubscribes', async () => {
      const leaving = await record(pair.a, 'topic');
      const staying = await record(pair.a, 'topic');
      await pair.b.publish('topic', 1);
      await until(() => expect(leaving.received).toEqual([1]));
      await leaving.unsubscribe();
      await pair.b.publish('topic', 2);
      // Both handlers share the topic's ordered stream: once the staying one has 2, so would the other.
      await until(() => expect(staying.received).toEqual([1, 2]));
      expect(leaving.received).toEqual([1]);
    });

    it('delivers again once a topic whose last handler left is subscribed anew', async () => {
      const first = await record(pair.a, 'topic');
      await first.unsubscribe();
      const second = await record(pair.a, 'topic');
      await pair.b.publish('topic', 'back');
      await until(() => expect(second.received).toEqual(['back']));
      expect(first.received).toEqual([]);
    });

    it('treats unsubscribing twice as unsubscribing once', async () => {
      const leaving = await record(pair.a, 'topic');
      const staying = await record(pair.a, 'topic');
      await leaving.unsubscribe();
      await leaving.unsubscribe();
      await pair.b.publish('topic', 1);
      await until(() => expect(staying.received).toEqual([1]));
      expect(leaving.received).toEqual([]);
    });

    it('keeps topics apart', async () => {
      const tickets = await record(pair.a, 'tickets');
      const chats = await record(pair.a, 'chats');
      await pair.b.publish('chats', 'chat');
      await pair.b.publish('tickets', 'ticket');
      await until(() => {
        expect(tickets.received).toEqual(['ticket']);
        expect(chats.received).toEqual(['chat']);
      });
    });

    it("hands each subscriber a copy, never the publisher's object", async () => {
      const first = await record(pair.a, 'topic');
      const second = await record(pair.a, 'topic');
      const payload = { list: [1] };
      const publishing = pair.a.publish('topic', payload);
      payload.list.push(2);
      await publishing;
      await until(() => {
        expect(first.received).toEqual([{ list: [1] }]);
        expect(second.received).toEqual([{ list: [1] }]);
      });
      expect(first.received[0]).not.toBe(payload);
      expect(first.received[0]).not.toBe(second.received[0]);
    });

    it('stops delivering to the handlers of a closed bus', async () => {
      const closing = await record(pair.a, 'topic');
      const open = await record(pair.b, 'topic');
      await pair.a.close();
      await pair.b.publish('topic', 'after close');
      await until(() => expect(open.received).toEqual(['after close']));
      expect(closing.received).toEqual([]);
    });

    it('refuses to publish or subscribe on a closed bus', async () => {
      await pair.a.close();
      await expect(pair.a.publish('topic', 1)).rejects.toThrow();
      await expect(pair.a.subscribe('topic', () => undefined)).rejects.toThrow();
    });
  });
}
