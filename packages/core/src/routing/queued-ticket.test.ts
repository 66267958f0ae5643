import { describe, expect, it } from 'vitest';
import { compareQueueOrder } from './queued-ticket.js';
import { NOW, buildQueued } from './testing/build.js';

const ids = (tickets: ReturnType<typeof buildQueued>[]) =>
  [...tickets].sort(compareQueueOrder).map((t) => t.id);

describe('queue order', () => {
  it('puts urgent before high before normal before low, however long they waited', () => {
    const queue = [
      buildQueued({ id: 'low', priority: 'low', eligibleAt: NOW - 3_000 }),
      buildQueued({ id: 'normal', priority: 'normal', eligibleAt: NOW - 2_000 }),
      buildQueued({ id: 'high', priority: 'high', eligibleAt: NOW - 1_000 }),
      buildQueued({ id: 'urgent', priority: 'urgent', eligibleAt: NOW }),
    ];
    expect(ids(queue)).toEqual(['urgent', 'high', 'normal', 'low']);
  });

  it('puts the ticket that became eligible first ahead among equal priorities', () => {
    const queue = [
      buildQueued({ id: 'a', eligibleAt: NOW + 1 }),
      buildQueued({ id: 'b', eligibleAt: NOW }),
    ];
    expect(ids(queue)).toEqual(['b', 'a']);
  });

  it('breaks the remaining ties by ticket id', () => {
    const queue = [buildQueued({ id: 't-2' }), buildQueued({ id: 't-1' })];
    expect(ids(queue)).toEqual(['t-1', 't-2']);
  });
});
