import type { Db } from '@parlour/storage';
import { sql, type RawBuilder } from 'kysely';
import { DECLINE_MEMORY_MS } from '../services/routing/routing-snapshot.js';
import { readRoutingSettings } from '../services/routing/routing-settings.js';

/** Breaches of the routing invariants found in the database, by kind (ticket or agent ids). */
export interface RoutingViolations {
  /** Tickets with more than one pending offer now. */
  readonly doublePending: string[];
  /** Tickets that ever had two offers live at once (a later one made before the earlier ended). */
  readonly overlappingOffers: string[];
  /** Tickets accepted while already assigned, or by someone other than the accepted offer's agent. */
  readonly assignedTwice: string[];
  /** Accepted offers without their `routing.offer_accepted` event (the assignment left no trace). */
  readonly acceptedWithoutEvent: string[];
  /** Tickets whose assignee is not the agent their last assignment event names. */
  readonly assigneeMismatch: string[];
  /** Agents whose work in hand plus pending offers exceeds their capacity in a channel. */
  readonly overCapacity: string[];
  /** Queued tickets that an Available agent of theirs (online if the group asks) has room for. */
  readonly waitingWithRoom: string[];
  /** Tickets marked offered without a pending offer: nothing would ever route them again. */
  readonly offeredWithoutOffer: string[];
}

export function violationCount(v: RoutingViolations): number {
  return Object.values(v).reduce((n: number, ids: string[]) => n + ids.length, 0);
}

/**
 * Checks the routing invariants against the database as it is now (and, for offers and
 * assignments, as its history says it was), in set-based SQL that stays fast for 10,000 agents
 * and tickets. The same counting rules as routing: a messaging ticket counts while New or Open
 * with an active session, email while New or Open, plus pending offers and conferences; a decline
 * keeps an agent away from a ticket for DECLINE_MEMORY_MS since it last entered the queue.
 */
export async function auditRouting(db: Db, now: Date): Promise<RoutingViolations> {
  const settings = await readRoutingSettings(db);
  const ids = async (query: RawBuilder<unknown>) =>
    (await query.execute(db)).rows.map((r) => String((r as { id: unknown }).id));
  const loads = sql`
    load AS MATERIALIZED (
      SELECT a.user_id, a.status,
             COALESCE(a.messaging_capacity, ${settings.messagingCapacity}) AS messaging_capacity,
             COALESCE(a.email_capacity, ${settings.emailCapacity}) AS email_capacity,
             (SELECT count(*) FROM tickets t LEFT JOIN sessions s ON s.conversation_id = t.conversation_id
               WHERE t.assignee_id = a.user_id AND t.status IN ('new', 'open') AND t.channel <> 'email'
                 AND (t.channel <> 'messaging' OR s.state = 'active'))
           + (SELECT count(*) FROM offers o
               WHERE o.agent_id = a.user_id AND o.status = 'pending' AND o.channel = 'messaging')
           + (SELECT count(*) FROM conversation_participants p
                JOIN sessions s ON s.conversation_id = p.conversation_id AND s.state = 'active'
               WHERE p.user_id = a.user_id AND p.state IN ('requested', 'joined')) AS messaging,
             (SELECT count(*) FROM tickets t
               WHERE t.assignee_id = a.user_id AND t.status IN ('new', 'open') AND t.channel = 'email')
           + (SELECT count(*) FROM offers o
               WHERE o.agent_id = a.user_id AND o.status = 'pending' AND o.channel = 'email') AS email
        FROM agent_states a
    )`;

  const [
    doublePending,
    overlappingOffers,
    assignedTwice,
    acceptedWithoutEvent,
    assigneeMismatch,
    overCapacity,
    waitingWithRoom,
    offeredWithoutOffer,
  ] = await Promise.all([
    ids(sql`
      SELECT ticket_id AS id FROM offers WHERE status = 'pending'
       GROUP BY ticket_id HAVING count(*) > 1`),
    ids(sql`
      SELECT DISTINCT a.ticket_id AS id
        FROM offers a JOIN offers b ON b.ticket_id = a.ticket_id AND b.id <> a.id
       WHERE b.created_at >= a.created_at
         AND (b.created_at > a.created_at OR b.id > a.id)
         AND b.created_at < COALESCE(a.responded_at, 'infinity'::timestamptz)`),
    // Accepting assigns an unassigned ticket: the event just before each acceptance (of these
    // two kinds) is the assignee changing from nobody to the accepting agent.
    ids(sql`
      SELECT DISTINCT ticket_id AS id FROM (
        SELECT ticket_id, type, data,
               lag(type) OVER w AS prev_type, lag(data) OVER w AS prev_data
          FROM ticket_events
         WHERE type IN ('ticket.assignee_changed', 'routing.offer_accepted')
        WINDOW w AS (PARTITION BY ticket_id ORDER BY id)
      ) e
       WHERE type = 'routing.offer_accepted'
         AND NOT (prev_type IS NOT DISTINCT FROM 'ticket.assignee_changed'
                  AND prev_data->>'from' IS NULL
                  AND prev_data->>'to' = data->>'agentId')`),
    ids(sql`
      SELECT o.id FROM offers o
       WHERE o.status = 'accepted'
         AND NOT EXISTS (SELECT 1 FROM ticket_events e
                          WHERE e.ticket_id = o.ticket_id AND e.type = 'routing.offer_accepted'
                            AND e.data->>'offerId' = o.id::text)`),
    ids(sql`
      SELECT l.ticket_id AS id FROM (
        SELECT DISTINCT ON (ticket_id) ticket_id, type, data FROM ticket_events
         WHERE type IN ('ticket.assignee_changed', 'routing.offer_accepted')
         ORDER BY ticket_id, id DESC
      ) l JOIN tickets t ON t.id = l.ticket_id
       WHERE t.assignee_id::text IS DISTINCT FROM
             (CASE WHEN l.type = 'routing.offer_accepted' THEN l.data->>'agentId' ELSE l.data->>'to' END)`),
    ids(sql`
      WITH ${loads}
      SELECT user_id AS id FROM load
       WHERE messaging > messaging_capacity OR email > email_capacity`),
    // Agents with room first (few while tickets wait), then the queued tickets one of them could take.
    ids(sql`
      WITH ${loads},
      roomy AS MATERIALIZED (
        SELECT l.user_id, l.messaging_capacity - l.messaging AS messaging_room,
               l.email_capacity - l.email AS email_room
          FROM load l JOIN users u ON u.id = l.user_id AND u.active
         WHERE l.status = 'available'
           AND (l.messaging_capacity > l.messaging OR l.email_capacity > l.email)
      )
      SELECT t.id FROM tickets t LEFT JOIN groups g ON g.id = t.group_id
       WHERE t.routing = 'queued' AND t.status IN ('new', 'open')
         AND EXISTS (
           SELECT 1 FROM roomy r
            WHERE (CASE WHEN t.channel = 'email' THEN r.email_room ELSE r.messaging_room END) > 0
              AND (CASE WHEN t.direct_agent_id IS NULL
                        THEN EXISTS (SELECT 1 FROM group_members m
                                      WHERE m.group_id = t.group_id AND m.user_id = r.user_id)
                        ELSE t.direct_agent_id = r.user_id END)
              AND (NOT COALESCE(g.only_online, false)
                   OR EXISTS (SELECT 1 FROM agent_connections c WHERE c.user_id = r.user_id))
              AND (t.skills_relaxed OR t.required_skills <@ ARRAY(
                     SELECT k.skill_id FROM agent_skills k WHERE k.user_id = r.user_id))
              AND NOT EXISTS (
                SELECT 1 FROM offers o
                 WHERE o.ticket_id = t.id AND o.agent_id = r.user_id AND o.status = 'declined'
                   AND o.created_at >= t.eligible_at
                   AND o.responded_at >= ${new Date(now.getTime() - DECLINE_MEMORY_MS)}))`),
    ids(sql`
      SELECT t.id FROM tickets t
       WHERE t.routing = 'offered'
         AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.ticket_id = t.id AND o.status = 'pending')`),
  ]);
  return {
    doublePending,
    overlappingOffers,
    assignedTwice,
    acceptedWithoutEvent,
    assigneeMismatch,
    overCapacity,
    waitingWithRoom,
    offeredWithoutOffer,
  };
}

/** Whether the database itself refuses a second pending offer for a ticket. */
export async function hasOnePendingOfferIndex(db: Db): Promise<boolean> {
  const { rows } = await sql<{ indexdef: string }>`
    SELECT indexdef FROM pg_indexes
     WHERE tablename = 'offers' AND indexname = 'offers_one_pending_per_ticket'`.execute(db);
  const def = rows[0]?.indexdef ?? '';
  return (
    /^CREATE UNIQUE INDEX/i.test(def) && /\(ticket_id\)/.test(def) && /status = 'pending'/.test(def)
  );
}
