import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { StrategyColumn } from '../schema.js';

export interface StoredGroupRouting {
  readonly id: string;
  readonly name: string;
  readonly strategy: StrategyColumn;
  readonly onlyOnline: boolean;
  readonly offerTimeoutS: number;
  readonly autoAccept: boolean;
  readonly reassignAfterS: number | null;
  readonly skillRelaxAfterS: number | null;
  readonly overflowGroupId: string | null;
  readonly overflowAfterS: number | null;
}

export async function groupRoutingSettings(
  db: Db,
  ids?: readonly string[],
): Promise<Map<string, StoredGroupRouting>> {
  let query = db.selectFrom('groups').selectAll();
  if (ids) {
    if (ids.length === 0) return new Map();
    query = query.where('id', '=', sql<string>`ANY(${[...new Set(ids)]}::uuid[])`);
  }
  const rows = await query.execute();
  return new Map(
    rows.map((g) => [
      g.id,
      {
        id: g.id,
        name: g.name,
        strategy: g.strategy,
        onlyOnline: g.only_online,
        offerTimeoutS: g.offer_timeout_s,
        autoAccept: g.auto_accept,
        reassignAfterS: g.reassign_after_s,
        skillRelaxAfterS: g.skill_relax_after_s,
        overflowGroupId: g.overflow_group_id,
        overflowAfterS: g.overflow_after_s,
      },
    ]),
  );
}

export async function updateGroupRouting(
  db: Db,
  id: string,
  patch: Partial<Omit<StoredGroupRouting, 'id' | 'name'>>,
): Promise<void> {
  const set = {
    ...(patch.strategy !== undefined ? { strategy: patch.strategy } : {}),
    ...(patch.onlyOnline !== undefined ? { only_online: patch.onlyOnline } : {}),
    ...(patch.offerTimeoutS !== undefined ? { offer_timeout_s: patch.offerTimeoutS } : {}),
    ...(patch.autoAccept !== undefined ? { auto_accept: patch.autoAccept } : {}),
    ...(patch.reassignAfterS !== undefined ? { reassign_after_s: patch.reassignAfterS } : {}),
    ...(patch.skillRelaxAfterS !== undefined
      ? { skill_relax_after_s: patch.skillRelaxAfterS }
      : {}),
    ...(patch.overflowGroupId !== undefined ? { overflow_group_id: patch.overflowGroupId } : {}),
    ...(patch.overflowAfterS !== undefined ? { overflow_after_s: patch.overflowAfterS } : {}),
  };
  if (Object.keys(set).length === 0) return;
  await db.updateTable('groups').set(set).where('id', '=', id).execute();
}

export interface QueueRow {
  readonly ticketId: string;
  readonly ticketNumber: number;
  readonly conversationId: string;
  readonly requesterId: string;
  readonly customerName: string | null;
  readonly customerEmail: string | null;
  readonly groupId: string | null;
  readonly channel: 'messaging' | 'email' | 'api';
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  readonly eligibleAt: Date;
  readonly requiredSkills: readonly string[];
  readonly skillsRelaxed: boolean;
  readonly directAgentId: string | null;
}

/**
 * Waiting tickets in queue order (priority, then when they became eligible), taking at most
 * `perLine` from the head of each line — tickets of one group, named agent and skill set wait in
 * one line. A long line nobody can serve (its group has no one on duty) then never hides a ticket
 * of another line that someone could take at once.
 */
export async function loadQueue(db: Db, limit: number, perLine = 100): Promise<QueueRow[]> {
  const rows = await sql<{
    id: string;
    number: number;
    conversation_id: string;
    requester_id: string;
    name: string | null;
    email: string | null;
    group_id: string | null;
    channel: 'messaging' | 'email' | 'api';
    priority: 'low' | 'normal' | 'high' | 'urgent';
    eligible_at: Date | null;
    required_skills: string[];
    skills_relaxed: boolean;
    direct_agent_id: string | null;
  }>`
    SELECT q.id, q.number, q.conversation_id, q.requester_id, e.name, e.email, q.group_id, q.channel, q.priority,
           q.eligible_at, q.required_skills, q.skills_relaxed, q.direct_agent_id
      FROM (
        SELECT t.*, row_number() OVER (
                 PARTITION BY t.group_id, t.direct_agent_id,
                              CASE WHEN t.skills_relaxed THEN '{}'::uuid[] ELSE t.required_skills END
                 ORDER BY t.priority_rank, t.eligible_at, t.id) AS place
          FROM tickets t
         WHERE t.routing = 'queued'
      ) q
      JOIN end_users e ON e.id = q.requester_id
     WHERE q.place <= ${perLine}
     ORDER BY q.priority_rank, q.eligible_at, q.id
     LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    ticketId: r.id,
    ticketNumber: r.number,
    conversationId: r.conversation_id,
    requesterId: r.requester_id,
    customerName: r.name,
    customerEmail: r.email,
    groupId: r.group_id,
    channel: r.channel,
    priority: r.priority,
    eligibleAt: r.eligible_at ?? new Date(0),
    requiredSkills: r.required_skills,
    skillsRelaxed: r.skills_relaxed,
    directAgentId: r.direct_agent_id,
  }));
}

/**
 * Agents who declined a ticket recently (since `notBefore`, and since it last entered the queue)
 * are not offered it again for now. A missed offer does not exclude: RONA already stops offers
 * until the agent chooses Available, and then the ticket may come back to them (the only agent on
 * duty must not leave a customer waiting forever).
 */
export async function exclusionsFor(
  db: Db,
  tickets: readonly { ticketId: string; since: Date }[],
  notBefore: Date,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (tickets.length === 0) return out;
  const rows = await sql<{ ticket_id: string; agent_id: string }>`
    SELECT o.ticket_id, o.agent_id
      FROM offers o
      JOIN unnest(${tickets.map((t) => t.ticketId)}::uuid[], ${tickets.map((t) => t.since)}::timestamptz[]) AS q(ticket_id, since)
        ON o.ticket_id = q.ticket_id AND o.created_at >= q.since
     WHERE o.status = 'declined' AND o.responded_at >= ${notBefore}`.execute(db);
  for (const r of rows.rows) out.set(r.ticket_id, [...(out.get(r.ticket_id) ?? []), r.agent_id]);
  return out;
}

export interface AgentLoad {
  messaging: number;
  email: number;
  /** Assigned tickets New or Open (any channel), for "least open conversations". */
  open: number;
}

/**
 * What counts against each agent's capacity now (seed 001): assigned New/Open tickets — messaging
 * ones only while their session is active — plus pending offers, plus conferences they are in.
 */
export async function agentLoads(
  db: Db,
  agentIds: readonly string[],
): Promise<Map<string, AgentLoad>> {
  const out = new Map<string, AgentLoad>();
  if (agentIds.length === 0) return out;
  const ids = [...new Set(agentIds)];
  for (const id of ids) out.set(id, { messaging: 0, email: 0, open: 0 });
  const rows = await sql<{ agent_id: string; ch: 'messaging' | 'email' | 'open'; n: number }>`
    SELECT t.assignee_id AS agent_id, CASE WHEN t.channel = 'email' THEN 'email' ELSE 'messaging' END AS ch, count(*)::int AS n
      FROM tickets t LEFT JOIN sessions s ON s.conversation_id = t.conversation_id
     WHERE t.assignee_id = ANY(${ids}::uuid[]) AND t.status IN ('new', 'open')
       AND (t.channel <> 'messaging' OR s.state = 'active')
     GROUP BY 1, 2
    UNION ALL
    SELECT t.assignee_id, 'open', count(*)::int
      FROM tickets t
     WHERE t.assignee_id = ANY(${ids}::uuid[]) AND t.status IN ('new', 'open')
     GROUP BY 1
    UNION ALL
    SELECT agent_id, channel, count(*)::int FROM offers
     WHERE status = 'pending' AND agent_id = ANY(${ids}::uuid[])
     GROUP BY 1, 2
    UNION ALL
    SELECT p.user_id, 'messaging', count(*)::int
      FROM conversation_participants p JOIN sessions s ON s.conversation_id = p.conversation_id AND s.state = 'active'
     WHERE p.state IN ('requested', 'joined') AND p.user_id = ANY(${ids}::uuid[])
     GROUP BY 1`.execute(db);
  for (const r of rows.rows) {
    const load = out.get(r.agent_id);
    if (load) load[r.ch] += Number(r.n);
  }
  return out;
}

export async function membersOfGroups(
  db: Db,
  groupIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (groupIds.length === 0) return out;
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select(['group_members.user_id', 'group_members.group_id'])
    .where('group_members.group_id', '=', sql<string>`ANY(${[...new Set(groupIds)]}::uuid[])`)
    .where('users.active', '=', true)
    .execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.group_id]);
  return out;
}

export interface TicketRoutingState {
  readonly ticketId: string;
  readonly routing: 'none' | 'queued' | 'offered' | 'assigned';
  readonly eligibleAt: Date | null;
  readonly requiredSkills: readonly string[];
  readonly directAgentId: string | null;
  readonly skillsRelaxed: boolean;
  readonly assignedAt: Date | null;
  readonly firstReplyAt: Date | null;
}

export async function getTicketRouting(
  db: Db,
  ticketId: string,
): Promise<TicketRoutingState | null> {
  const r = await db
    .selectFrom('tickets')
    .select([
      'id',
      'routing',
      'eligible_at',
      'required_skills',
      'direct_agent_id',
      'skills_relaxed',
      'assigned_at',
      'first_reply_at',
    ])
    .where('id', '=', ticketId)
    .executeTakeFirst();
  return r
    ? {
        ticketId: r.id,
        routing: r.routing,
        eligibleAt: r.eligible_at,
        requiredSkills: r.required_skills,
        directAgentId: r.direct_agent_id,
        skillsRelaxed: r.skills_relaxed,
        assignedAt: r.assigned_at,
        firstReplyAt: r.first_reply_at,
      }
    : null;
}

export async function setTicketRouting(
  db: Db,
  ticketId: string,
  patch: {
    routing?: 'none' | 'queued' | 'offered' | 'assigned';
    eligibleAt?: Date | null;
    requiredSkills?: readonly string[];
    directAgentId?: string | null;
    skillsRelaxed?: boolean;
    assignedAt?: Date | null;
    firstReplyAt?: Date | null;
  },
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({
      ...(patch.routing !== undefined ? { routing: patch.routing } : {}),
      ...(patch.eligibleAt !== undefined ? { eligible_at: patch.eligibleAt } : {}),
      ...(patch.requiredSkills !== undefined ? { required_skills: [...patch.requiredSkills] } : {}),
      ...(patch.directAgentId !== undefined ? { direct_agent_id: patch.directAgentId } : {}),
      ...(patch.skillsRelaxed !== undefined ? { skills_relaxed: patch.skillsRelaxed } : {}),
      ...(patch.assignedAt !== undefined ? { assigned_at: patch.assignedAt } : {}),
      ...(patch.firstReplyAt !== undefined ? { first_reply_at: patch.firstReplyAt } : {}),
    })
    .where('id', '=', ticketId)
    .execute();
}

export interface StoredOffer {
  readonly id: string;
  readonly ticketId: string;
  readonly agentId: string;
  readonly status: 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn';
  readonly channel: 'messaging' | 'email';
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

type OfferRow = {
  id: string;
  ticket_id: string;
  agent_id: string;
  status: StoredOffer['status'];
  channel: 'messaging' | 'email';
  created_at: Date;
  expires_at: Date;
};
const toOffer = (r: OfferRow): StoredOffer => ({
  id: r.id,
  ticketId: r.ticket_id,
  agentId: r.agent_id,
  status: r.status,
  channel: r.channel,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export async function insertOffers(db: Db, offers: readonly StoredOffer[]): Promise<void> {
  if (offers.length === 0) return;
  await db
    .insertInto('offers')
    .values(
      offers.map((o) => ({
        id: o.id,
        ticket_id: o.ticketId,
        agent_id: o.agentId,
        status: o.status,
        channel: o.channel,
        created_at: o.createdAt,
        expires_at: o.expiresAt,
      })),
    )
    .execute();
  await db
    .updateTable('tickets')
    .set({ routing: 'offered' })
    .where('id', '=', sql<string>`ANY(${offers.map((o) => o.ticketId)}::uuid[])`)
    .execute();
}

export async function getOffer(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredOffer | null> {
  let query = db.selectFrom('offers').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toOffer(row) : null;
}

export async function pendingOffers(
  db: Db,
  filter: { agentId?: string; ticketId?: string },
): Promise<StoredOffer[]> {
  let query = db.selectFrom('offers').selectAll().where('status', '=', 'pending');
  if (filter.agentId) query = query.where('agent_id', '=', filter.agentId);
  if (filter.ticketId) query = query.where('ticket_id', '=', filter.ticketId);
  return (await query.orderBy('created_at').execute()).map(toOffer);
}

export async function closeOffer(
  db: Db,
  id: string,
  status: 'accepted' | 'declined' | 'expired' | 'withdrawn',
  at: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('offers')
    .set({ status, responded_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
