import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../database.js';
import type { StoredEndUser } from './end-users.js';
import { toOutboundEmail, type StoredOutboundEmail } from './outbox.js';

/** An end user as an access or erasure request finds them: their profile and how much they wrote. */
export interface StoredEndUserSummary extends StoredEndUser {
  readonly updatedAt: Date;
  readonly conversationCount: number;
}

/** The conversations and tickets that are an end user's: theirs, and the tickets they requested. */
export interface EndUserFootprint {
  /** Sorted: the order conversation rows are locked in. */
  readonly conversationIds: readonly string[];
  readonly ticketIds: readonly string[];
}

type SummaryRow = {
  id: string;
  external_id: string | null;
  email: string | null;
  name: string | null;
  verified: boolean;
  created_at: Date;
  updated_at: Date;
  conversation_count: number;
};

function toSummary(r: SummaryRow): StoredEndUserSummary {
  return {
    id: r.id,
    externalId: r.external_id,
    email: r.email,
    name: r.name,
    verified: r.verified,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    conversationCount: Number(r.conversation_count),
  };
}

/** End users with this email (any case) and/or external id, newest first. */
export async function findEndUsers(
  db: Db,
  filter: { email?: string; externalId?: string },
  limit: number,
): Promise<StoredEndUserSummary[]> {
  const email = filter.email?.trim() ?? null;
  const externalId = filter.externalId ?? null;
  const rows = await sql<SummaryRow>`
    SELECT e.*, (SELECT count(*)::int FROM conversations c WHERE c.end_user_id = e.id) AS conversation_count
      FROM end_users e
     WHERE (${email}::text IS NULL OR lower(e.email) = lower(${email}::text))
       AND (${externalId}::text IS NULL OR e.external_id = ${externalId}::text)
     ORDER BY e.created_at DESC, e.id DESC
     LIMIT ${limit}`.execute(db);
  return rows.rows.map(toSummary);
}

/** One end user with their conversation count; `lock` takes their row (erasure holds it). */
export async function getEndUserSummary(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredEndUserSummary | null> {
  if (options.lock) await sql`SELECT id FROM end_users WHERE id = ${id} FOR UPDATE`.execute(db);
  const rows = await sql<SummaryRow>`
    SELECT e.*, (SELECT count(*)::int FROM conversations c WHERE c.end_user_id = e.id) AS conversation_count
      FROM end_users e WHERE e.id = ${id}`.execute(db);
  const row = rows.rows[0];
  return row ? toSummary(row) : null;
}

/**
 * The end user's conversations and tickets. A ticket's requester is its conversation's end user,
 * so both sets are read the two ways and joined, in case that ever stops being true.
 */
export async function endUserFootprint(db: Db, endUserId: string): Promise<EndUserFootprint> {
  const rows = await sql<{ kind: 'c' | 't'; id: string }>`
    SELECT 'c' AS kind, id FROM conversations WHERE end_user_id = ${endUserId}
    UNION SELECT 'c', conversation_id FROM tickets WHERE requester_id = ${endUserId}
    UNION SELECT 't', id FROM tickets WHERE requester_id = ${endUserId}
    UNION SELECT 't', t.id FROM tickets t JOIN conversations c ON c.id = t.conversation_id
           WHERE c.end_user_id = ${endUserId}`.execute(db);
  const of = (kind: 'c' | 't') =>
    rows.rows
      .filter((r) => r.kind === kind)
      .map((r) => r.id)
      .sort();
  return { conversationIds: of('c'), ticketIds: of('t') };
}

/** Emails to this address that belong to no ticket (a ticket's emails are read with the ticket). */
export async function listTicketlessEmailsTo(
  db: Db,
  address: string,
): Promise<StoredOutboundEmail[]> {
  const rows = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('ticket_id', 'is', null)
    .where(sql<boolean>`lower(to_address) = lower(${address.trim()})`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toOutboundEmail);
}

/** A pending offer of a ticket being erased: its agent's screen is told it is gone. */
export interface ErasedOffer {
  readonly offerId: string;
  readonly ticketId: string;
  readonly agentId: string;
}

export interface ErasedRows {
  /** Rows deleted per table (every table the erasure touches, zero included). */
  readonly deleted: Record<string, number>;
  readonly pendingOffers: readonly ErasedOffer[];
  /** File-store keys of the attachments whose rows were deleted: their bytes go after commit. */
  readonly storageKeys: readonly string[];
}

/**
 * Deletes every row of an end user, in foreign-key order, in the caller's transaction (which holds
 * their conversations' row locks and their end_users row lock). What each table holds of an end
 * user, and why the others are left alone, is listed in the server's erase-end-user.ts.
 */
export async function eraseEndUserRows(
  trx: Db,
  endUserId: string,
  footprint: EndUserFootprint,
): Promise<ErasedRows> {
  const c = [...footprint.conversationIds];
  const t = [...footprint.ticketIds];
  const deleted: Record<string, number> = {};
  const count = async (table: string, query: RawBuilder<unknown>) => {
    const result = await sql<{
      n: number;
    }>`WITH d AS (${query} RETURNING 1) SELECT count(*)::int AS n FROM d`.execute(trx);
    deleted[table] = (deleted[table] ?? 0) + Number(result.rows[0]?.n ?? 0);
  };
  const idsOf = async (query: RawBuilder<{ id: string }>) =>
    (await query.execute(trx)).rows.map((r) => r.id);

  const runIds = await idsOf(sql<{ id: string }>`
    SELECT id::text AS id FROM workflow_runs
     WHERE conversation_id = ANY(${c}::uuid[]) OR ticket_id = ANY(${t}::uuid[])`);
  const deliveryIds = await idsOf(
    sql<{
      id: string;
    }>`SELECT id::text AS id FROM webhook_deliveries WHERE ticket_id = ANY(${t}::uuid[])`,
  );
  const offers = (
    await sql<{ id: string; ticket_id: string; agent_id: string; status: string }>`
      SELECT id, ticket_id, agent_id, status FROM offers WHERE ticket_id = ANY(${t}::uuid[])`.execute(
      trx,
    )
  ).rows;

  // Timers point at what they act on by key ('automation:<ticketId>', 'offer:<ticketId>',
  // 'workflow:<runId>', 'webhook:<deliveryId>', …) and by payload. A timer a firing batch has
  // claimed is skipped, not waited for (that batch locks the conversation next: waiting would
  // deadlock); its handler finds nothing left once this commits, and the batch deletes it.
  const pointed = [endUserId, ...c, ...t, ...runIds, ...deliveryIds, ...offers.map((o) => o.id)];
  await count(
    'timers',
    sql`DELETE FROM timers WHERE id IN (
          SELECT id FROM timers
           WHERE split_part(coalesce(key, ''), ':', 2) = ANY(${pointed}::text[])
              OR payload->>'ticketId' = ANY(${pointed}::text[])
              OR payload->>'conversationId' = ANY(${pointed}::text[])
              OR payload->>'runId' = ANY(${pointed}::text[])
              OR payload->>'deliveryId' = ANY(${pointed}::text[])
              OR payload->>'offerId' = ANY(${pointed}::text[])
              OR payload->>'endUserId' = ANY(${pointed}::text[])
             FOR UPDATE SKIP LOCKED)`,
  );
  await count(
    'webhook_deliveries',
    sql`DELETE FROM webhook_deliveries WHERE ticket_id = ANY(${t}::uuid[])`,
  );
  // Emails of their tickets, and emails to their address that belong to no ticket. (An email to
  // the same address for another end user's ticket is that end user's record and stays.)
  await count(
    'outbound_emails',
    sql`DELETE FROM outbound_emails
         WHERE ticket_id = ANY(${t}::uuid[])
            OR (ticket_id IS NULL AND lower(to_address) = (SELECT lower(email) FROM end_users WHERE id = ${endUserId}))`,
  );
  await count(
    'csat_surveys',
    sql`DELETE FROM csat_surveys WHERE ticket_id = ANY(${t}::uuid[]) OR conversation_id = ANY(${c}::uuid[])`,
  );
  await count(
    'workflow_run_steps',
    sql`DELETE FROM workflow_run_steps WHERE run_id = ANY(${runIds}::uuid[])`,
  );
  await count('workflow_runs', sql`DELETE FROM workflow_runs WHERE id = ANY(${runIds}::uuid[])`);
  await count(
    'automation_firings',
    sql`DELETE FROM automation_firings WHERE ticket_id = ANY(${t}::uuid[])`,
  );
  await count(
    'ticket_wrap_ups',
    sql`DELETE FROM ticket_wrap_ups WHERE ticket_id = ANY(${t}::uuid[])`,
  );
  await count('offers', sql`DELETE FROM offers WHERE ticket_id = ANY(${t}::uuid[])`);
  await count(
    'conversation_participants',
    sql`DELETE FROM conversation_participants WHERE conversation_id = ANY(${c}::uuid[])`,
  );
  // Attachments reference messages, conversations and the end user (no cascade): before them all.
  const ofTheirs = sql`end_user_id = ${endUserId} OR conversation_id = ANY(${c}::uuid[])
      OR message_id IN (SELECT id FROM messages WHERE conversation_id = ANY(${c}::uuid[]) OR ticket_id = ANY(${t}::uuid[]))`;
  const storageKeys = (
    await sql<{
      storage_key: string;
    }>`SELECT storage_key FROM attachments WHERE ${ofTheirs}`.execute(trx)
  ).rows.map((r) => r.storage_key);
  await count('attachments', sql`DELETE FROM attachments WHERE ${ofTheirs}`);
  await count(
    'messages',
    sql`DELETE FROM messages WHERE conversation_id = ANY(${c}::uuid[]) OR ticket_id = ANY(${t}::uuid[])`,
  );
  await count(
    'conversation_events',
    sql`DELETE FROM conversation_events WHERE conversation_id = ANY(${c}::uuid[])`,
  );
  await count('ticket_events', sql`DELETE FROM ticket_events WHERE ticket_id = ANY(${t}::uuid[])`);
  await count('tickets', sql`DELETE FROM tickets WHERE id = ANY(${t}::uuid[])`);
  await count('sessions', sql`DELETE FROM sessions WHERE conversation_id = ANY(${c}::uuid[])`);
  await count('conversations', sql`DELETE FROM conversations WHERE id = ANY(${c}::uuid[])`);
  await count('end_users', sql`DELETE FROM end_users WHERE id = ${endUserId}`);
  return {
    deleted,
    pendingOffers: offers
      .filter((o) => o.status === 'pending')
      .map((o) => ({ offerId: o.id, ticketId: o.ticket_id, agentId: o.agent_id })),
    storageKeys,
  };
}
