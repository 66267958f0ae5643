import type { Conversation, ConversationState, Session } from '@parlour/core';
import { sql, type Selectable } from 'kysely';
import type { ConversationsTable, SessionsTable, TicketsTable } from '../schema.js';
import type { Db } from '../database.js';
import { toConversation, toSession, toTicket, type StoredTicket } from './map-rows.js';

type Nullable<T> = { [K in keyof T]: T[K] | null };
type Prefixed<T, P extends string> = { [K in keyof T as `${P}${K & string}`]: T[K] };
type JoinedRow = Selectable<ConversationsTable> &
  Nullable<Prefixed<Omit<Selectable<SessionsTable>, 'conversation_id'>, 's_'>> &
  Nullable<Prefixed<Omit<Selectable<TicketsTable>, 'conversation_id'>, 't_'>> & {
    e_email: string | null;
  };

export interface StoredConversationState extends ConversationState {
  readonly ticket: StoredTicket | null;
  readonly lastSeq: number;
}

export async function insertConversation(
  db: Db,
  conversation: Conversation,
  session: Session | null,
  at: Date,
): Promise<void> {
  await db
    .insertInto('conversations')
    .values({
      id: conversation.id,
      end_user_id: conversation.endUserId,
      channel: conversation.channel,
      state: conversation.state,
      ticket_id: conversation.ticketId,
      created_at: conversation.createdAt,
      updated_at: at,
      closed_at: conversation.closedAt,
    })
    .execute();
  if (session) await insertSession(db, session);
}

export async function insertSession(db: Db, session: Session): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      conversation_id: session.conversationId,
      state: session.state,
      end_reason: session.endReason,
      started_at: session.startedAt,
      ended_at: session.endedAt,
    })
    .execute();
}

/**
 * Loads conversations with their session, ticket and requester email. With `lock`, the
 * conversation rows are locked (in id order, so two writers never deadlock): every writer of a
 * conversation (messages, ticket changes, session end) takes this lock first.
 */
export async function loadConversationStates(
  db: Db,
  ids: readonly string[],
  options: { lock?: boolean } = {},
): Promise<Map<string, StoredConversationState>> {
  const result = new Map<string, StoredConversationState>();
  if (ids.length === 0) return result;
  const sorted = [...new Set(ids)].sort();
  // Lock first, then read the whole state in one statement. (Reading in the locking statement
  // would be wrong: after waiting for a lock PostgreSQL re-reads only the locked rows, so a
  // joined ticket could be the version from before the other writer committed.)
  if (options.lock) {
    await sql`SELECT id FROM conversations WHERE id = ANY(${sorted}::uuid[]) ORDER BY id FOR UPDATE`.execute(
      db,
    );
  }
  const rows = await sql<JoinedRow>`
    SELECT c.*,
           s.id AS s_id, s.state AS s_state, s.end_reason AS s_end_reason, s.started_at AS s_started_at, s.ended_at AS s_ended_at,
           t.id AS t_id, t.number AS t_number, t.requester_id AS t_requester_id, t.channel AS t_channel, t.status AS t_status,
           t.priority AS t_priority, t.group_id AS t_group_id, t.assignee_id AS t_assignee_id, t.tags AS t_tags,
           t.subject AS t_subject, t.created_at AS t_created_at, t.updated_at AS t_updated_at, t.solved_at AS t_solved_at,
           t.closed_at AS t_closed_at, t.version AS t_version,
           e.email AS e_email
      FROM conversations c
      JOIN end_users e ON e.id = c.end_user_id
      LEFT JOIN sessions s ON s.conversation_id = c.id
      LEFT JOIN tickets t ON t.conversation_id = c.id
     WHERE c.id = ANY(${sorted}::uuid[])
     ORDER BY c.id`.execute(db);
  for (const row of rows.rows) {
    result.set(row.id, {
      conversation: toConversation(row),
      session:
        row.s_id === null
          ? null
          : toSession({
              id: row.s_id,
              conversation_id: row.id,
              state: row.s_state!,
              end_reason: row.s_end_reason,
              started_at: row.s_started_at!,
              ended_at: row.s_ended_at,
            }),
      ticket:
        row.t_id === null
          ? null
          : toTicket({
              id: row.t_id,
              number: row.t_number!,
              conversation_id: row.id,
              requester_id: row.t_requester_id!,
              channel: row.t_channel!,
              status: row.t_status!,
              priority: row.t_priority!,
              group_id: row.t_group_id,
              assignee_id: row.t_assignee_id,
              tags: row.t_tags!,
              subject: row.t_subject,
              created_at: row.t_created_at!,
              updated_at: row.t_updated_at!,
              solved_at: row.t_solved_at,
              closed_at: row.t_closed_at,
              version: row.t_version!,
            }),
      requesterEmail: row.e_email,
      lastSeq: row.last_seq,
    });
  }
  return result;
}

export async function loadConversationState(db: Db, id: string, options: { lock?: boolean } = {}) {
  return (await loadConversationStates(db, [id], options)).get(id) ?? null;
}

export async function saveConversation(
  db: Db,
  conversation: Conversation,
  at: Date,
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({
      state: conversation.state,
      ticket_id: conversation.ticketId,
      closed_at: conversation.closedAt,
      updated_at: at,
    })
    .where('id', '=', conversation.id)
    .execute();
}

export async function saveSession(db: Db, session: Session): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ state: session.state, end_reason: session.endReason, ended_at: session.endedAt })
    .where('id', '=', session.id)
    .execute();
}

/**
 * Reserves `counts` sequence numbers per conversation in one statement and returns the last seq
 * before the reservation (so the new events take last+1 … last+n). The caller holds the row lock.
 */
export async function reserveSeqs(
  db: Db,
  counts: ReadonlyMap<string, number>,
  at: Date,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (counts.size === 0) return out;
  const ids = [...counts.keys()];
  const ns = ids.map((id) => counts.get(id) ?? 0);
  const rows = await sql<{ id: string; last_seq: number }>`
    UPDATE conversations c
       SET last_seq = c.last_seq + v.n, updated_at = ${at}
      FROM (SELECT unnest(${ids}::uuid[]) AS id, unnest(${ns}::int[]) AS n) v
     WHERE c.id = v.id
 RETURNING c.id, c.last_seq`.execute(db);
  for (const row of rows.rows) out.set(row.id, row.last_seq - (counts.get(row.id) ?? 0));
  return out;
}

export async function listConversationsOfEndUser(db: Db, endUserId: string, limit: number) {
  const rows = await db
    .selectFrom('conversations')
    .selectAll()
    .where('end_user_id', '=', endUserId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ conversation: toConversation(r), lastSeq: r.last_seq }));
}
