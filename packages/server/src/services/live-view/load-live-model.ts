import { capacityChannelOf } from '@parlour/core';
import type { LiveAgent, LiveConversation, LiveModel, LiveQueue } from '@parlour/protocol';
import { agentLoads, listAgentStates, onlineUserIds, type Db } from '@parlour/storage';
import { sql } from 'kysely';
import { readRoutingSettings } from '../routing/routing-settings.js';

/** "Missed in the last 30 minutes": offers that expired unanswered (RONA) within this window. */
export const MISSED_WINDOW_MS = 30 * 60 * 1000;

const anyOf = (ids: readonly string[]) => sql<string>`ANY(${[...new Set(ids)]}::uuid[])`;

/**
 * The whole live view, read from PostgreSQL (the truth) at `now`: every queue and every active
 * staff member. Scoping to a supervisor's groups happens after (scope-live-model.ts), so one read
 * serves every subscriber of a process.
 */
export async function loadLiveModel(db: Db, now: Date): Promise<LiveModel> {
  const [queues, agents] = await Promise.all([loadLiveQueues(db, now), loadLiveAgents(db)]);
  return { at: now.toISOString(), queues, agents };
}

/**
 * The queues (all, or only `groupIds`: each a cheap aggregate over that group's tickets), in the
 * model's order. A group that no longer exists is simply absent.
 */
export async function loadLiveQueues(
  db: Db,
  now: Date,
  groupIds?: readonly string[],
): Promise<LiveQueue[]> {
  if (groupIds && groupIds.length === 0) return [];
  const since = new Date(now.getTime() - MISSED_WINDOW_MS);
  const only = (column: string) =>
    groupIds ? sql`AND ${sql.ref(column)} = ${anyOf(groupIds)}` : sql``;
  let groupsQuery = db.selectFrom('groups').select(['id', 'name']).orderBy('name').orderBy('id');
  if (groupIds) groupsQuery = groupsQuery.where('id', '=', anyOf(groupIds));
  const [groups, waiting, offers, missed] = await Promise.all([
    groupsQuery.execute(),
    sql<{ group_id: string; waiting: number; longest: Date | string | null }>`
      SELECT group_id, count(*) FILTER (WHERE routing = 'queued')::int AS waiting,
             min(eligible_at) AS longest
        FROM tickets
       WHERE routing IN ('queued', 'offered') AND group_id IS NOT NULL ${only('group_id')}
       GROUP BY group_id`.execute(db),
    sql<{ group_id: string; n: number }>`
      SELECT t.group_id, count(*)::int AS n
        FROM offers o JOIN tickets t ON t.id = o.ticket_id
       WHERE o.status = 'pending' AND t.group_id IS NOT NULL ${only('t.group_id')}
       GROUP BY t.group_id`.execute(db),
    sql<{ group_id: string; n: number }>`
      SELECT t.group_id, count(*)::int AS n
        FROM offers o JOIN tickets t ON t.id = o.ticket_id
       WHERE o.status = 'expired' AND o.responded_at >= ${since} AND o.responded_at <= ${now}
         AND t.group_id IS NOT NULL ${only('t.group_id')}
       GROUP BY t.group_id`.execute(db),
  ]);
  const count = (rows: { group_id: string; n: number }[]) =>
    new Map(rows.map((r) => [r.group_id, Number(r.n)]));
  const waitingOf = new Map(waiting.rows.map((r) => [r.group_id, r]));
  const pendingOf = count(offers.rows);
  const missedOf = count(missed.rows);
  return groups.map((g) => {
    const w = waitingOf.get(g.id);
    return {
      groupId: g.id,
      name: g.name,
      waiting: Number(w?.waiting ?? 0),
      longestWaitingSince: w?.longest ? new Date(w.longest).toISOString() : null,
      offersPending: pendingOf.get(g.id) ?? 0,
      missedLast30m: missedOf.get(g.id) ?? 0,
    };
  });
}

/**
 * The active staff's rows (all, or only `userIds`), in the model's order. A user who is gone or
 * deactivated is simply absent.
 */
export async function loadLiveAgents(db: Db, userIds?: readonly string[]): Promise<LiveAgent[]> {
  if (userIds && userIds.length === 0) return [];
  let usersQuery = db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'created_at'])
    .where('active', '=', true)
    .orderBy('name')
    .orderBy('id');
  let membersQuery = db.selectFrom('group_members').select(['group_id', 'user_id']);
  if (userIds) {
    usersQuery = usersQuery.where('id', '=', anyOf(userIds));
    membersQuery = membersQuery.where('user_id', '=', anyOf(userIds));
  }
  const [users, members, tickets, reasons, settings] = await Promise.all([
    usersQuery.execute(),
    membersQuery.execute(),
    sql<{
      id: string;
      number: number;
      conversation_id: string;
      channel: LiveConversation['channel'];
      status: LiveConversation['status'];
      subject: string | null;
      group_id: string | null;
      assignee_id: string;
      customer_name: string | null;
    }>`
      SELECT t.id, t.number, t.conversation_id, t.channel, t.status, t.subject, t.group_id,
             t.assignee_id, e.name AS customer_name
        FROM tickets t JOIN end_users e ON e.id = t.requester_id
       WHERE t.assignee_id IS NOT NULL AND t.status IN ('new', 'open')
             ${userIds ? sql`AND t.assignee_id = ${anyOf(userIds)}` : sql``}
       ORDER BY t.number`.execute(db),
    db.selectFrom('idle_reasons').select(['id', 'name']).execute(),
    readRoutingSettings(db),
  ]);
  const ids = users.map((u) => u.id);
  const [states, loads, online] = await Promise.all([
    listAgentStates(db, ids),
    agentLoads(db, ids),
    onlineUserIds(db, ids),
  ]);
  const groupsOf = new Map<string, string[]>();
  for (const m of members)
    groupsOf.set(m.user_id, [...(groupsOf.get(m.user_id) ?? []), m.group_id]);
  const conversationsOf = new Map<string, LiveConversation[]>();
  for (const t of tickets.rows) {
    const list = conversationsOf.get(t.assignee_id) ?? [];
    list.push({
      conversationId: t.conversation_id,
      ticketId: t.id,
      ticketNumber: Number(t.number),
      channel: t.channel,
      status: t.status,
      subject: t.subject,
      customerName: t.customer_name,
      groupId: t.group_id,
    });
    conversationsOf.set(t.assignee_id, list);
  }
  const stateOf = new Map(states.map((s) => [s.userId, s]));
  const reasonOf = new Map(reasons.map((r) => [r.id, r.name]));
  return users.map((u) => {
    const s = stateOf.get(u.id);
    const load = loads.get(u.id) ?? { messaging: 0, email: 0, open: 0 };
    const capacity = {
      messaging: s?.messagingCapacity ?? settings.messagingCapacity,
      email: s?.emailCapacity ?? settings.emailCapacity,
    };
    const channel = (ch: 'messaging' | 'email') => ({
      used: load[ch],
      capacity: capacity[ch],
      free: Math.max(0, capacity[ch] - load[ch]),
    });
    return {
      id: u.id,
      name: u.name,
      role: u.role,
      status: s?.status ?? 'offline',
      idleReason: s?.idleReasonId ? (reasonOf.get(s.idleReasonId) ?? null) : null,
      statusSince: (s?.statusSince ?? u.created_at).toISOString(),
      online: online.has(u.id),
      groupIds: (groupsOf.get(u.id) ?? []).sort(),
      messaging: channel(capacityChannelOf('messaging')),
      email: channel(capacityChannelOf('email')),
      conversations: conversationsOf.get(u.id) ?? [],
    };
  });
}

/** The assignee and queue of the tickets of these conversations (the ones that have a ticket). */
export async function loadConversationOwners(
  db: Db,
  conversationIds: readonly string[],
): Promise<{ assigneeId: string | null; groupId: string | null }[]> {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom('tickets')
    .select(['assignee_id as assigneeId', 'group_id as groupId'])
    .where('conversation_id', '=', anyOf(conversationIds))
    .execute();
}
