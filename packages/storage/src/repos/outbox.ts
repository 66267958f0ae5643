import type { Selectable } from 'kysely';
import type { Db } from '../database.js';
import type { OutboundEmailsTable } from '../schema.js';

export type OutboundEmailKind = 'reply' | 'csat' | 'notification';

export interface StoredOutboundEmail {
  readonly id: string;
  readonly ticketId: string | null;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly kind: OutboundEmailKind;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
  readonly attempts: number;
  readonly lastError: string | null;
  /** pending until sent; dead after the sender gave up (an admin may retry it). */
  readonly status: 'pending' | 'sent' | 'dead';
  readonly nextAttemptAt: Date;
  readonly threading: EmailThreading | null;
}

/** The headers that thread an email into its ticket's conversation. */
export interface EmailThreading {
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly references: string | null;
  readonly replyTo: string | null;
}

export function toOutboundEmail(row: Selectable<OutboundEmailsTable>): StoredOutboundEmail {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    kind: row.kind,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    attempts: row.attempts,
    lastError: row.last_error,
    status: row.status,
    nextAttemptAt: row.next_attempt_at,
    threading: row.message_id
      ? {
          messageId: row.message_id,
          inReplyTo: row.in_reply_to,
          references: row.references_header,
          replyTo: row.reply_to,
        }
      : null,
  };
}

/** Queues an email in the caller's transaction: it is sent only if that transaction commits. */
export async function insertOutboundEmail(
  db: Db,
  email: Pick<StoredOutboundEmail, 'id' | 'ticketId' | 'to' | 'subject' | 'text' | 'kind'> & {
    createdAt: Date;
    threading?: EmailThreading | null;
  },
): Promise<void> {
  await db
    .insertInto('outbound_emails')
    .values({
      id: email.id,
      ticket_id: email.ticketId,
      to_address: email.to,
      subject: email.subject,
      text_body: email.text,
      kind: email.kind,
      created_at: email.createdAt,
      sent_at: null,
      last_error: null,
      next_attempt_at: email.createdAt,
      message_id: email.threading?.messageId ?? null,
      in_reply_to: email.threading?.inReplyTo ?? null,
      references_header: email.threading?.references ?? null,
      reply_to: email.threading?.replyTo ?? null,
    })
    .execute();
}

/** Unsent emails, oldest first; `lock` claims them (skipping rows another sender holds). */
export async function listUnsentEmails(
  db: Db,
  limit: number,
  options: { lock?: boolean } = {},
): Promise<StoredOutboundEmail[]> {
  let query = db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('sent_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
  if (options.lock) query = query.forUpdate().skipLocked();
  return (await query.execute()).map(toOutboundEmail);
}

export async function listOutboundEmailsOfTicket(
  db: Db,
  ticketId: string,
): Promise<StoredOutboundEmail[]> {
  const rows = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toOutboundEmail);
}

export async function markEmailSent(db: Db, id: string, at: Date): Promise<void> {
  await db
    .updateTable('outbound_emails')
    .set((eb) => ({
      sent_at: at,
      status: 'sent' as const,
      attempts: eb('attempts', '+', 1),
      last_error: null,
    }))
    .where('id', '=', id)
    .execute();
}

/** A failed try: another at `retryAt`, or (null) the email is dead. */
export async function recordEmailFailure(
  db: Db,
  id: string,
  error: string,
  retryAt: Date | null = null,
): Promise<void> {
  await db
    .updateTable('outbound_emails')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_error: error,
      ...(retryAt ? { next_attempt_at: retryAt } : { status: 'dead' as const }),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * Claims due emails for one sending round: their next attempt moves to `leaseUntil` in the same
 * statement, so another sender (or this one, after a crash) only takes them again after it.
 * Rows another sender is claiming right now are skipped.
 */
export async function claimDueEmails(
  db: Db,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<StoredOutboundEmail[]> {
  const rows = await db
    .updateTable('outbound_emails')
    .set({ next_attempt_at: leaseUntil })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbound_emails')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  return rows.map(toOutboundEmail).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Emails the sender gave up on, newest first (admins see them and may retry). */
export async function listDeadEmails(db: Db, limit: number): Promise<StoredOutboundEmail[]> {
  const rows = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('status', '=', 'dead')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toOutboundEmail);
}

/** A dead email goes back to the queue, due at `at`; false when there is no such dead email. */
export async function retryDeadEmail(db: Db, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('outbound_emails')
    .set({ status: 'pending', next_attempt_at: at, attempts: 0 })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
