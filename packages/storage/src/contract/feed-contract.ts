import { describe, expect, it } from 'vitest';
import type { Db, StorageKind } from '../database.js';
import {
  clientKey,
  findMessagesByClientIds,
  insertFeedEvents,
  insertMessages,
  readFeed,
  type StoredFeedEvent,
} from '../repos/feed.js';
import { at, newMessage, seedConversation } from './records.js';
import { useDatabase } from './use-database.js';

function feedEvent(
  conversationId: string,
  seq: number,
  audience: StoredFeedEvent['audience'],
): StoredFeedEvent {
  return {
    conversationId,
    seq,
    type: audience === 'all' ? 'session.notice' : 'ticket.assigned',
    audience,
    data: { seq },
    at: at(seq),
  };
}

/** seq 1 customer message, 2 public event, 3 internal note, 4 staff-only event, 5 agent reply, 6 public event. */
async function seedFeed(db: Db): Promise<string> {
  const id = (await seedConversation(db)).conversation.id;
  const agentId = crypto.randomUUID();
  await insertMessages(db, [
    newMessage(id, 1),
    newMessage(id, 3, { kind: 'internal', authorType: 'user', authorId: agentId }),
    newMessage(id, 5, { authorType: 'user', authorId: agentId }),
  ]);
  await insertFeedEvents(db, [
    feedEvent(id, 2, 'all'),
    feedEvent(id, 4, 'staff'),
    feedEvent(id, 6, 'all'),
  ]);
  return id;
}

export function feedContract(kind: StorageKind): void {
  describe('feed', () => {
    const database = useDatabase(kind);

    it('interleaves messages and events by seq', async () => {
      const id = await seedFeed(database().db);
      const feed = await readFeed(database().db, id, 0, 'staff');
      expect(feed.map((item) => [item.seq, item.kind])).toEqual([
        [1, 'message'],
        [2, 'event'],
        [3, 'message'],
        [4, 'event'],
        [5, 'message'],
        [6, 'event'],
      ]);
      expect(feed[1]).toEqual({ kind: 'event', seq: 2, event: feedEvent(id, 2, 'all') });
    });

    it('hides internal notes and staff-only events from the audience all', async () => {
      const id = await seedFeed(database().db);
      const feed = await readFeed(database().db, id, 0, 'all');
      expect(feed.map((item) => item.seq)).toEqual([1, 2, 5, 6]);
    });

    it('returns only what comes after afterSeq', async () => {
      const id = await seedFeed(database().db);
      expect((await readFeed(database().db, id, 2, 'staff')).map((item) => item.seq)).toEqual([
        3, 4, 5, 6,
      ]);
      expect(await readFeed(database().db, id, 6, 'staff')).toEqual([]);
    });

    it('returns at most limit items, the oldest first', async () => {
      const id = await seedFeed(database().db);
      expect((await readFeed(database().db, id, 0, 'staff', 3)).map((item) => item.seq)).toEqual([
        1, 2, 3,
      ]);
      expect((await readFeed(database().db, id, 1, 'all', 2)).map((item) => item.seq)).toEqual([
        2, 5,
      ]);
    });

    it('keeps the quick replies of a bot message, and gives other messages none', async () => {
      const id = (await seedConversation(database().db)).conversation.id;
      const quickReplies = [
        { label: 'Rückgabe "sofort"', value: 'returns' },
        { label: 'Talk to a person', value: 'handoff' },
      ];
      await insertMessages(database().db, [
        newMessage(id, 1, { authorType: 'bot', quickReplies }),
        newMessage(id, 2),
      ]);
      const feed = await readFeed(database().db, id, 0, 'all');
      const messages = feed.flatMap((item) => (item.kind === 'message' ? [item.message] : []));
      expect(messages[0]?.quickReplies).toEqual(quickReplies);
      expect(messages[1]).not.toHaveProperty('quickReplies');
    });

    it('refuses a client message id used twice in one conversation', async () => {
      const id = (await seedConversation(database().db)).conversation.id;
      await insertMessages(database().db, [newMessage(id, 1, { clientMessageId: 'client-1' })]);
      await expect(
        insertMessages(database().db, [newMessage(id, 2, { clientMessageId: 'client-1' })]),
      ).rejects.toMatchObject({ code: '23505' });
      expect((await readFeed(database().db, id, 0, 'staff')).map((item) => item.seq)).toEqual([1]);
    });

    it('accepts the same client message id in another conversation', async () => {
      const a = (await seedConversation(database().db)).conversation.id;
      const b = (await seedConversation(database().db)).conversation.id;
      await insertMessages(database().db, [newMessage(a, 1, { clientMessageId: 'client-1' })]);
      await insertMessages(database().db, [newMessage(b, 1, { clientMessageId: 'client-1' })]);
      expect(await readFeed(database().db, b, 0, 'staff')).toHaveLength(1);
    });

    it('finds stored messages by their client message ids', async () => {
      const a = (await seedConversation(database().db)).conversation.id;
      const b = (await seedConversation(database().db)).conversation.id;
      const first = newMessage(a, 1, { clientMessageId: 'client-1' });
      const second = newMessage(b, 1, { clientMessageId: 'client-1' });
      await insertMessages(database().db, [
        first,
        second,
        newMessage(a, 2, { clientMessageId: 'client-2' }),
      ]);
      const found = await findMessagesByClientIds(database().db, [
        { conversationId: a, clientMessageId: 'client-1' },
        { conversationId: b, clientMessageId: 'client-1' },
        { conversationId: b, clientMessageId: 'client-2' },
      ]);
      expect(found).toEqual(
        new Map([
          [clientKey(a, 'client-1'), first],
          [clientKey(b, 'client-1'), second],
        ]),
      );
    });
  });
}
