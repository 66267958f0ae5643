import type { FeedEntry } from '@parlour/protocol';
import type { Audience } from '@parlour/storage';
import type { Bus } from '../bus/bus.js';

/** What travels on the bus for a conversation: the entry and who may see it. */
export interface FeedSignal {
  readonly entry: FeedEntry;
  readonly audience: Audience;
}

export function conversationTopic(conversationId: string): string {
  return `conversation:${conversationId}`;
}

/**
 * Publishes committed feed entries. Called only after the transaction that stored them has
 * committed, so a subscriber that sees a gap can always fill it from the database.
 */
export async function publishFeed(bus: Bus, signals: readonly FeedSignal[]): Promise<void> {
  await Promise.all(signals.map((s) => bus.publish(conversationTopic(s.entry.conversationId), s)));
}
