import type { LiveAgent, LiveModel, LiveQueue } from '@parlour/protocol';
import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  elapsedMs,
  formatDuration,
  fromSnapshot,
  sortAgents,
} from './live-view-model.js';

const channel = { used: 0, capacity: 3, free: 3 };
const agent = (id: string, name: string, status: LiveAgent['status'] = 'available'): LiveAgent => ({
  id,
  name,
  role: 'agent',
  status,
  idleReason: null,
  statusSince: '2026-01-01T10:00:00.000Z',
  online: true,
  groupIds: ['g1'],
  messaging: channel,
  email: channel,
  conversations: [],
});
const queue = (groupId: string, name: string, waiting = 0): LiveQueue => ({
  groupId,
  name,
  waiting,
  longestWaitingSince: null,
  offersPending: 0,
  missedLast30m: 0,
});
const snapshot: LiveModel = {
  at: '2026-01-01T10:00:00.000Z',
  queues: [queue('g1', 'Support')],
  agents: [agent('a', 'Ana'), agent('c', 'Carl')],
};
const T0 = Date.parse('2026-01-01T10:00:00.000Z');

describe('live view screen model', () => {
  it('replaces a changed agent in place and keeps the others', () => {
    const screen = fromSnapshot(snapshot, T0);

    const next = applyUpdate(
      screen,
      {
        at: '2026-01-01T10:00:05.000Z',
        agents: [agent('a', 'Ana', 'rona')],
        queues: [],
        removedAgentIds: [],
        removedQueueIds: [],
      },
      T0 + 5000,
    )!;

    expect(next.model.agents.map((a) => [a.name, a.status])).toEqual([
      ['Ana', 'rona'],
      ['Carl', 'available'],
    ]);
  });

  it('adds new rows in name order and drops removed ones', () => {
    const next = applyUpdate(
      fromSnapshot(snapshot, T0),
      {
        at: snapshot.at,
        agents: [agent('b', 'Ben')],
        queues: [queue('g2', 'Billing', 2)],
        removedAgentIds: ['c'],
        removedQueueIds: ['g1'],
      },
      T0,
    )!;

    expect(next.model.agents.map((a) => a.name)).toEqual(['Ana', 'Ben']);
    expect(next.model.queues).toEqual([queue('g2', 'Billing', 2)]);
  });

  it('ignores an update that arrives before the snapshot', () => {
    expect(
      applyUpdate(
        null,
        { at: snapshot.at, agents: [], queues: [], removedAgentIds: [], removedQueueIds: [] },
        T0,
      ),
    ).toBeNull();
  });

  it("counts durations on the server's clock, whatever the browser's says", () => {
    // The browser's clock is an hour behind the server's.
    const screen = fromSnapshot(snapshot, T0 - 3_600_000);

    expect(elapsedMs('2026-01-01T09:59:00.000Z', T0 - 3_600_000 + 5000, screen.offsetMs)).toBe(
      65_000,
    );
  });

  it('formats durations as seconds, minutes:seconds, hours and days', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(187_000)).toBe('3:07');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 05 min');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
  });

  it('lists agents in RONA first', () => {
    const sorted = sortAgents([
      agent('a', 'Ana', 'offline'),
      agent('b', 'Ben', 'rona'),
      agent('c', 'Carl', 'available'),
    ]);

    expect(sorted.map((a) => a.name)).toEqual(['Ben', 'Carl', 'Ana']);
  });
});
