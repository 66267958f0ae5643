import { planOffers } from '@parlour/core';
import type { QueueEntry } from '@parlour/protocol';
import { loadQueue, type Db } from '@parlour/storage';
import { loadRoutingSnapshot } from './routing-snapshot.js';

/**
 * The live queue: tickets being offered, then waiting tickets in queue order with why each still
 * waits — the reasons come from a dry run of the next drain, so they are the routing's own.
 */
export async function liveQueue(db: Db, now: Date, limit: number): Promise<QueueEntry[]> {
  const rows = await loadQueue(db, limit);
  const offered = await db
    .selectFrom('tickets')
    .select(['id', 'number', 'group_id', 'priority', 'eligible_at'])
    .where('routing', '=', 'offered')
    .orderBy('priority_rank')
    .orderBy('eligible_at')
    .limit(limit)
    .execute();
  const snapshot = await loadRoutingSnapshot(db, rows, now);
  const plan = planOffers(snapshot.queue, snapshot.groups, snapshot.agents, now.getTime());
  const reasonOf = new Map<string, string>();
  for (const w of plan.waiting) reasonOf.set(w.ticketId, w.waitingReason ?? 'waiting for an agent');
  for (const o of plan.offers)
    reasonOf.set(o.ticketId, 'an agent has room: it is being offered now');
  const waited = (since: Date) => Math.max(0, (now.getTime() - since.getTime()) / 1000);
  return [
    ...offered.map((t): QueueEntry => ({
      ticketId: t.id,
      ticketNumber: t.number,
      groupId: t.group_id,
      priority: t.priority,
      position: 0,
      waitingSince: (t.eligible_at ?? now).toISOString(),
      waitedSeconds: waited(t.eligible_at ?? now),
      state: 'offered',
      reason: 'offered to an agent, waiting for an answer',
    })),
    ...rows.map((r, i): QueueEntry => ({
      ticketId: r.ticketId,
      ticketNumber: r.ticketNumber,
      groupId: r.groupId,
      priority: r.priority,
      position: i + 1,
      waitingSince: r.eligibleAt.toISOString(),
      waitedSeconds: waited(r.eligibleAt),
      state: 'queued',
      reason: reasonOf.get(r.ticketId) ?? 'waiting for an agent',
    })),
  ];
}
