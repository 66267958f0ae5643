import { describe, expect, it, vi } from 'vitest';
import { busContract } from './contract/bus-contract.js';
import { createInProcessBus, InProcessHub } from './in-process-bus.js';

busContract('in-process bus', async () => {
  const hub = new InProcessHub();
  const a = createInProcessBus(hub);
  const b = createInProcessBus(hub);
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
    },
  };
});

describe('in-process bus', () => {
  it('reports a throwing handler and still delivers to the others', async () => {
    const errors: unknown[] = [];
    const bus = createInProcessBus(new InProcessHub(), { onError: (err) => errors.push(err) });
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

  it('keeps buses on different hubs apart', async () => {
    const a = createInProcessBus(new InProcessHub());
    const b = createInProcessBus(new InProcessHub());
    const received: unknown[] = [];
    await b.subscribe('topic', (payload) => received.push(payload));
    await b.subscribe('marker', (payload) => received.push(payload));
    await a.publish('topic', 'elsewhere');
    await b.publish('marker', 'here');
    await vi.waitFor(() => expect(received).toEqual(['here']));
    await a.close();
    await b.close();
  });
});
