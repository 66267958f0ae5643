import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { ConversationReadsTable } from '../schema.js';

export type ReaderType = ConversationReadsTable['reader_type'];

/** Who read: the conversation's end user, or a staff member. */
export interface Reader {
  readonly type: ReaderType;
  readonly id: string;
}

/**
 * Records that the reader has seen the conversation up to `seq`. The stored seq only grows: a
 * lower or equal seq changes nothing. Returns the reader's seq afterwards and whether it moved.
 */
export async function markRead(
  db: Db,
  input: { conversationId: string; reader: Reader; seq: number; at: Date },
): Promise<{ seq: number; advanced: boolean }> {
  const moved = await db
    .insertInto('conversation_reads')
    .values({
      conversation_id: input.conversationId,
      reader_type: input.reader.type,
      reader_id: input.reader.id,
      seq: input.seq,
      updated_at: input.at,
    })
    .onConflict((oc) =>
      oc
        .columns(['conversation_id', 'reader_type', 'reader_id'])
        .doUpdateSet({ seq: input.seq, updated_at: input.at })
        .where('conversation_reads.seq', '<', input.seq),
    )
    .returning('seq')
    .executeTakeFirst();
  if (moved) return { seq: moved.seq, advanced: true };
  const current = await db
    .selectFrom('conversation_reads')
    .select('seq')
    .where('conversation_id', '=', input.conversationId)
    .where('reader_type', '=', input.reader.type)
    .where('reader_id', '=', input.reader.id)
    .executeTakeFirst();
  return { seq: current?.seq ?? input.seq, advanced: false };
}

/** The highest seq the conversation's end user has read, and the highest any staff member has read. */
export async function readMarks(
  db: Db,
  conversationId: string,
): Promise<{ endUser: number; staff: number }> {
  const rows = await db
    .selectFrom('conversation_reads')
    .select(['reader_type', (eb) => eb.fn.max('seq').as('seq')])
    .where('conversation_id', '=', conversationId)
    .groupBy('reader_type')
    .execute();
  const of = (type: ReaderType) => Number(rows.find((r) => r.reader_type === type)?.seq ?? 0);
  return { endUser: of('end_user'), staff: of('user') };
}

/** One of a staff member's conversations with messages from others after their read seq. */
export interface StoredUnread {
  readonly conversationId: string;
  readonly ticketId: string;
  readonly unread: number;
}

/**
 * For a staff member: their assigned tickets that are not yet solved or closed, and the chats
 * they are in as a conference guest, with how many messages others wrote (internal notes
 * included) after the seq they last read. Conversations with nothing unread are left out.
 */
export async function unreadForUser(db: Db, userId: string): Promise<StoredUnread[]> {
  const rows = await sql<{ conversation_id: string; ticket_id: string; unread: number }>`
    WITH mine AS (
      SELECT t.conversation_id, t.id AS ticket_id FROM tickets t
       WHERE t.assignee_id = ${userId} AND t.status IN ('new', 'open', 'pending', 'on_hold')
      UNION
      SELECT c.id, c.ticket_id FROM conversation_participants p
        JOIN conversations c ON c.id = p.conversation_id
       WHERE p.user_id = ${userId} AND p.state = 'joined' AND c.ticket_id IS NOT NULL
    )
    SELECT mine.conversation_id, mine.ticket_id, count(*)::int AS unread
      FROM mine
      JOIN messages m ON m.conversation_id = mine.conversation_id
      LEFT JOIN conversation_reads r ON r.conversation_id = mine.conversation_id
       AND r.reader_type = 'user' AND r.reader_id = ${userId}
     WHERE m.seq > coalesce(r.seq, 0)
       AND NOT (m.author_type = 'user' AND m.author_id IS NOT DISTINCT FROM ${userId}::uuid)
     GROUP BY mine.conversation_id, mine.ticket_id
     ORDER BY mine.conversation_id`.execute(db);
  return rows.rows.map((r) => ({
    conversationId: r.conversation_id,
    ticketId: r.ticket_id,
    unread: Number(r.unread),
  }));
}
