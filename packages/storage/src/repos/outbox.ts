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
}

function toEmail(row: Selectable<OutboundEmailsTable>): StoredOutboundEmail {
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
  };
}

/** Queues an email in the caller's transaction: it is sent only if that transaction commits. */
export async function insertOutboundEmail(
  db: Db,
  email: Pick<StoredOutboundEmail, 'id' | 'ticketId' | 'to' | 'subject' | 'text' | 'kind'> & {
    createdAt: Date;
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
  return (await query.execute()).map(toEmail);
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
  return rows.map(toEmail);
}

export async function markEmailSent(db: Db, id: string, at: Date): Promise<void> {
  await db
    .updateTable('outbound_emails')
    .set((eb) => ({ sent_at: at, attempts: eb('attempts', '+', 1), last_error: null }))
    .where('id', '=', id)
    .execute();
}

export async function recordEmailFailure(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('outbound_emails')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error }))
    .where('id', '=', id)
    .execute();
}
