import type { FeedEvent } from '@parlour/protocol';
import { insertFeedEvents, reserveSeqs, type Audience, type Db } from '@parlour/storage';
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
  await reserveSeqs(trx, new Map([[conversationId, events.length]]), at);
  const signals = events.map((e, i) => ({
    entry: { conversationId, seq: lastSeq + i + 1, at: at.toISOString(), event: e.event },
    audience: e.audience,
  }));
  await insertFeedEvents(
    trx,
    signals.map((s) => ({
      conversationId,
      seq: s.entry.seq,
      type: s.entry.event.type,
      audience: s.audience,
      data: s.entry.event as unknown as Record<string, unknown>,
      at,
    })),
  );
  return signals;
}
