import type { FeedEvent } from '@parlour/protocol';
import { appendToFeeds, type Audience, type Db, type StoredFeedEvent } from '@parlour/storage';
import type { FeedSignal } from './feed-publisher.js';

/**
 * Appends non-message events to a conversation's feed inside the caller's transaction (which holds
 * the conversation's row lock) and returns the signals to publish after commit.
 */
export async function appendFeedEvents(
  trx: Db,
  conversationId: string,
  lastSeq: number,
  events: readonly { event: FeedEvent; audience: Audience }[],
  at: Date,
): Promise<FeedSignal[]> {
  if (events.length === 0) return [];
  const signals = events.map((e, i) => ({
    entry: { conversationId, seq: lastSeq + i + 1, at: at.toISOString(), event: e.event },
    audience: e.audience,
  }));
  await appendToFeeds(trx, {
    at,
    seqCounts: new Map([[conversationId, events.length]]),
    messages: [],
    events: storedFeedEvents(signals, at),
  });
  return signals;
}

/** The non-message signals as rows of the conversation feed (messages have their own table). */
export function storedFeedEvents(signals: readonly FeedSignal[], at: Date): StoredFeedEvent[] {
  return signals
    .filter((s) => s.entry.event.type !== 'message.created')
    .map((s) => ({
      conversationId: s.entry.conversationId,
      seq: s.entry.seq,
      type: s.entry.event.type,
      audience: s.audience,
      data: s.entry.event as unknown as Record<string, unknown>,
      at,
    }));
}
