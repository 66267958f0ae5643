import type { Message } from '@parlour/core';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../database.js';
import type { MessagesTable } from '../schema.js';
import { attachmentsOfMessages, type StoredAttachment } from './attachments.js';
import { messageRow, toMessage } from './map-rows.js';

export type Audience = 'all' | 'staff';

/** A conversation event other than a message (messages are stored in their own table). */
export interface StoredFeedEvent {
  readonly conversationId: string;
  readonly seq: number;
  readonly type: string;
  readonly audience: Audience;
  readonly data: Record<string, unknown>;
  readonly at: Date;
}

export type FeedItem =
  | {
      readonly kind: 'message';
      readonly seq: number;
      readonly message: Message;
      readonly attachments: readonly StoredAttachment[];
    }
  | { readonly kind: 'event'; readonly seq: number; readonly event: StoredFeedEvent };

/**
 * Inserts messages as a handful of array parameters (unnest) rather than thousands of scalars:
 * a batch of 500 messages is one small statement.
 */
export async function insertMessages(db: Db, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map(messageRow);
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await sql`
    INSERT INTO messages (id, conversation_id, seq, ticket_id, kind, author_type, author_id, channel, body, client_message_id, created_at, quick_replies)
    SELECT * FROM unnest(
      ${col('id')}::uuid[], ${col('conversation_id')}::uuid[], ${col('seq')}::int[], ${col('ticket_id')}::uuid[],
      ${col('kind')}::text[], ${col('author_type')}::text[], ${col('author_id')}::uuid[], ${col('channel')}::text[],
      ${col('body')}::text[], ${col('client_message_id')}::text[], ${col('created_at')}::timestamptz[],
      ${quickRepliesColumn(rows)}::jsonb[]
    )`.execute(db);
}

/** The quick replies column as JSON text per row (null for messages without buttons). */
function quickRepliesColumn(rows: readonly Selectable<MessagesTable>[]): (string | null)[] {
  return rows.map((r) => (r.quick_replies ? JSON.stringify(r.quick_replies) : null));
}

export async function insertFeedEvents(db: Db, events: readonly StoredFeedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('conversation_events')
    .values(
      events.map((e) => ({
        conversation_id: e.conversationId,
        seq: e.seq,
        type: e.type,
        audience: e.audience,
        data: JSON.stringify(e.data),
        created_at: e.at,
      })),
    )
    .execute();
}

/**
 * Appends to conversation feeds in one statement: advances each conversation's sequence, inserts
 * the messages and the other feed events (the message path's whole write, one round trip). The
 * caller holds the conversations' row locks and has numbered everything from their lastSeq.
 */
export async function appendToFeeds(
  db: Db,
  batch: {
    readonly at: Date;
    readonly seqCounts: ReadonlyMap<string, number>;
    readonly messages: readonly Message[];
    readonly events: readonly StoredFeedEvent[];
  },
): Promise<void> {
  const ids = [...batch.seqCounts.keys()];
  if (ids.length === 0 && batch.messages.length === 0 && batch.events.length === 0) return;
  const rows = batch.messages.map(messageRow);
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  const ev = batch.events;
  await sql`
    WITH seqs AS (
      UPDATE conversations c SET last_seq = c.last_seq + v.n, updated_at = ${batch.at}
        FROM unnest(${ids}::uuid[], ${ids.map((id) => batch.seqCounts.get(id) ?? 0)}::int[]) AS v(id, n)
       WHERE c.id = v.id
      RETURNING c.id
    ), msgs AS (
      INSERT INTO messages (id, conversation_id, seq, ticket_id, kind, author_type, author_id, channel, body, client_message_id, created_at, quick_replies)
      SELECT * FROM unnest(
        ${col('id')}::uuid[], ${col('conversation_id')}::uuid[], ${col('seq')}::int[], ${col('ticket_id')}::uuid[],
        ${col('kind')}::text[], ${col('author_type')}::text[], ${col('author_id')}::uuid[], ${col('channel')}::text[],
        ${col('body')}::text[], ${col('client_message_id')}::text[], ${col('created_at')}::timestamptz[],
        ${quickRepliesColumn(rows)}::jsonb[])
      RETURNING 1
    ), events AS (
      INSERT INTO conversation_events (conversation_id, seq, type, audience, data, created_at)
      SELECT * FROM unnest(
        ${ev.map((e) => e.conversationId)}::uuid[], ${ev.map((e) => e.seq)}::int[], ${ev.map((e) => e.type)}::text[],
        ${ev.map((e) => e.audience)}::text[], ${ev.map((e) => JSON.stringify(e.data))}::jsonb[], ${ev.map((e) => e.at)}::timestamptz[])
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM seqs) AS seqs, (SELECT count(*) FROM msgs) AS msgs, (SELECT count(*) FROM events) AS events`.execute(
    db,
  );
}

/** Messages already stored under these client message ids (a resend is acknowledged, not stored twice). */
export async function findMessagesByClientIds(
  db: Db,
  keys: readonly { conversationId: string; clientMessageId: string }[],
): Promise<Map<string, Message>> {
  const out = new Map<string, Message>();
  if (keys.length === 0) return out;
  const rows = await sql<Selectable<MessagesTable>>`
    SELECT m.* FROM messages m
      JOIN unnest(${keys.map((k) => k.conversationId)}::uuid[], ${keys.map((k) => k.clientMessageId)}::text[]) AS k(conversation_id, client_message_id)
        ON m.conversation_id = k.conversation_id AND m.client_message_id = k.client_message_id`.execute(
    db,
  );
  for (const row of rows.rows)
    out.set(clientKey(row.conversation_id, row.client_message_id ?? ''), toMessage(row));
  return out;
}

export function clientKey(conversationId: string, clientMessageId: string): string {
  return `${conversationId}\u0000${clientMessageId}`;
}

/**
 * What a client missed: everything after `afterSeq`, in order. End users never see internal notes
 * or staff-only events; their sequence simply skips those numbers.
 */
export async function readFeed(
  db: Db,
  conversationId: string,
  afterSeq: number,
  audience: Audience,
  limit = 500,
): Promise<FeedItem[]> {
  let messages = db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit);
  let events = db
    .selectFrom('conversation_events')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit);
  if (audience === 'all') {
    messages = messages.where('kind', '=', 'public');
    events = events.where('audience', '=', 'all');
  }
  const [m, e] = await Promise.all([messages.execute(), events.execute()]);
  // One more query per page, only when the page has messages.
  const files = await attachmentsOfMessages(
    db,
    m.map((row) => row.id),
  );
  const items: FeedItem[] = [
    ...m.map((row) => ({
      kind: 'message' as const,
      seq: row.seq,
      message: toMessage(row),
      attachments: files.get(row.id) ?? [],
    })),
    ...e.map((row) => ({
      kind: 'event' as const,
      seq: row.seq,
      event: {
        conversationId: row.conversation_id,
        seq: row.seq,
        type: row.type,
        audience: row.audience,
        data: row.data,
        at: row.created_at,
      },
    })),
  ];
  items.sort((a, b) => a.seq - b.seq);
  return items.slice(0, limit);
}

export async function listMessages(
  db: Db,
  conversationId: string,
  options: { afterSeq?: number; limit?: number; publicOnly?: boolean },
) {
  let query = db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', options.afterSeq ?? 0)
    .orderBy('seq')
    .limit(options.limit ?? 100);
  if (options.publicOnly) query = query.where('kind', '=', 'public');
  return (await query.execute()).map(toMessage);
}
