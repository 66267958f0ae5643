import type { Message } from '@parlour/core';
import type { Db } from '../database.js';
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
  | { readonly kind: 'message'; readonly seq: number; readonly message: Message }
  | { readonly kind: 'event'; readonly seq: number; readonly event: StoredFeedEvent };

export async function insertMessages(db: Db, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return;
  await db.insertInto('messages').values(messages.map(messageRow)).execute();
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

/** Messages already stored under these client message ids (a resend is acknowledged, not stored twice). */
export async function findMessagesByClientIds(
  db: Db,
  keys: readonly { conversationId: string; clientMessageId: string }[],
): Promise<Map<string, Message>> {
  const out = new Map<string, Message>();
  if (keys.length === 0) return out;
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where((eb) =>
      eb.or(
        keys.map((k) =>
          eb.and([
            eb('conversation_id', '=', k.conversationId),
            eb('client_message_id', '=', k.clientMessageId),
          ]),
        ),
      ),
    )
    .execute();
  for (const row of rows)
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
  const items: FeedItem[] = [
    ...m.map((row) => ({ kind: 'message' as const, seq: row.seq, message: toMessage(row) })),
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
