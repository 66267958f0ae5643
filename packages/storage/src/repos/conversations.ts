import type { Conversation, ConversationState, Session } from '@parlour/core';
import { sql } from 'kysely';
import type { Db } from '../database.js';
import { toConversation, toSession, toTicket, type StoredTicket } from './map-rows.js';

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
  let query = db.selectFrom('conversations').selectAll().where('id', 'in', sorted).orderBy('id');
  if (options.lock) query = query.forUpdate();
  const conversations = await query.execute();
  if (conversations.length === 0) return result;
  const found = conversations.map((c) => c.id);
  const [sessions, tickets, endUsers] = await Promise.all([
    db.selectFrom('sessions').selectAll().where('conversation_id', 'in', found).execute(),
    db.selectFrom('tickets').selectAll().where('conversation_id', 'in', found).execute(),
    db
      .selectFrom('end_users')
      .select(['id', 'email'])
      .where('id', 'in', [...new Set(conversations.map((c) => c.end_user_id))])
      .execute(),
  ]);
  const sessionOf = new Map(sessions.map((s) => [s.conversation_id, toSession(s)]));
  const ticketOf = new Map(tickets.map((t) => [t.conversation_id, toTicket(t)]));
  const emailOf = new Map(endUsers.map((e) => [e.id, e.email]));
  for (const row of conversations) {
    result.set(row.id, {
      conversation: toConversation(row),
      session: sessionOf.get(row.id) ?? null,
      ticket: ticketOf.get(row.id) ?? null,
      requesterEmail: emailOf.get(row.end_user_id) ?? null,
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
