import type { Db } from '../database.js';
import { sql } from 'kysely';

/**
 * The ticket's reply token (made once, kept: every email of the ticket carries the same reply
 * address). `makeToken` is only called when the ticket has none yet.
 */
export async function ensureEmailThread(
  db: Db,
  ticketId: string,
  makeToken: () => string,
  at: Date,
): Promise<string> {
  const existing = await db
    .selectFrom('email_threads')
    .select('reply_token')
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
  if (existing) return existing.reply_token;
  const row = await db
    .insertInto('email_threads')
    .values({ ticket_id: ticketId, reply_token: makeToken(), created_at: at })
    .onConflict((oc) =>
      oc.column('ticket_id').doUpdateSet((eb) => ({ ticket_id: eb.ref('excluded.ticket_id') })),
    )
    .returning('reply_token')
    .executeTakeFirstOrThrow();
  return row.reply_token;
}

export async function findTicketByReplyToken(db: Db, token: string): Promise<string | null> {
  const row = await db
    .selectFrom('email_threads')
    .select('ticket_id')
    .where('reply_token', '=', token)
    .executeTakeFirst();
  return row?.ticket_id ?? null;
}

/** The ticket of the first of these Message-IDs we know (ours or a customer's), if any. */
export async function findTicketOfMessageIds(
  db: Db,
  messageIds: readonly string[],
): Promise<{ ticketId: string; messageId: string; direction: 'in' | 'out' } | null> {
  if (messageIds.length === 0) return null;
  const rows = await db
    .selectFrom('email_message_ids')
    .select(['ticket_id', 'message_id', 'direction'])
    .where('message_id', 'in', [...new Set(messageIds)])
    .execute();
  for (const id of messageIds) {
    const row = rows.find((r) => r.message_id === id);
    if (row)
      return { ticketId: row.ticket_id, messageId: row.message_id, direction: row.direction };
  }
  return null;
}

/** The thread's Message-IDs, oldest first (the last `limit`). */
export async function listThreadMessageIds(
  db: Db,
  ticketId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('email_message_ids')
    .select('message_id')
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at', 'desc')
    .orderBy('message_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.message_id).reverse();
}

/** Records a Message-ID of the thread; false when it was already recorded (a redelivery). */
export async function recordEmailMessageId(
  db: Db,
  row: { messageId: string; ticketId: string; direction: 'in' | 'out'; at: Date },
): Promise<boolean> {
  const result = await db
    .insertInto('email_message_ids')
    .values({
      message_id: row.messageId,
      ticket_id: row.ticketId,
      direction: row.direction,
      created_at: row.at,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('message_id')
    .executeTakeFirst();
  return result !== undefined;
}

/**
 * The end user an email address belongs to: the most recent one with that address (case
 * folded), else a new one made of the address and the sender's name.
 */
export async function findOrCreateEndUserByEmail(
  db: Db,
  input: { id: string; email: string; name: string | null; at: Date },
): Promise<string> {
  const existing = await db
    .selectFrom('end_users')
    .select('id')
    .where(sql<string>`lower(email)`, '=', input.email.toLowerCase())
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (existing) return existing.id;
  await db
    .insertInto('end_users')
    .values({
      id: input.id,
      external_id: null,
      email: input.email,
      name: input.name,
      verified: false,
      created_at: input.at,
      updated_at: input.at,
    })
    .execute();
  return input.id;
}

/** A ticket's conversation, status and number (what an email reply needs to land on it). */
export async function getTicketForEmail(
  db: Db,
  ticketId: string,
): Promise<{
  id: string;
  number: number;
  status: string;
  conversationId: string;
  endUserId: string;
} | null> {
  const row = await db
    .selectFrom('tickets')
    .innerJoin('conversations', 'conversations.id', 'tickets.conversation_id')
    .select([
      'tickets.id',
      'tickets.number',
      'tickets.status',
      'tickets.conversation_id',
      'conversations.end_user_id',
    ])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        number: Number(row.number),
        status: row.status,
        conversationId: row.conversation_id,
        endUserId: row.end_user_id,
      }
    : null;
}

/** Serializes the intake of one Message-ID (two deliveries of a new email at once) until commit. */
export async function lockEmailMessageId(db: Db, messageId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`email:${messageId}`}))`.execute(db);
}
