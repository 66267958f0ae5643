/**
 * Test-only builders for routing: plain data with sensible defaults, so each test states only
 * what matters to its rule. Not exported from the package index.
 */
import type { AgentSnapshot, GroupRouting } from '../agent-snapshot.js';
import type { QueuedTicket } from '../queued-ticket.js';

/** The fixed "now" of routing tests, epoch ms. */
export const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);

/** An available, connected member of group-1 with room for 3 chats and 5 emails. */
export function buildAgent(id: string, overrides: Partial<AgentSnapshot> = {}): AgentSnapshot {
  return {
    id,
    status: 'available',
    online: true,
    groupIds: ['group-1'],
    skills: [],
    capacity: { messaging: 3, email: 5 },
    load: { messaging: 0, email: 0 },
    openCount: 0,
    lastOfferedAt: null,
    ...overrides,
  };
}

export function buildGroup(overrides: Partial<GroupRouting> = {}): GroupRouting {
  return { id: 'group-1', strategy: 'most_spare_capacity', onlyOnline: false, ...overrides };
}

/** A normal-priority messaging ticket for group-1, no skills, nobody excluded. */
export function buildQueued(overrides: Partial<QueuedTicket> = {}): QueuedTicket {
  return {
    id: 'ticket-1',
    groupId: 'group-1',
    channel: 'messaging',
    priority: 'normal',
    eligibleAt: NOW,
    requiredSkills: [],
    excludedAgentIds: [],
    directAgentId: null,
    ...overrides,
  };
}
