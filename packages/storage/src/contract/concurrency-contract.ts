import { setTimeout as sleep } from 'node:timers/promises';
import { updateTicket, type Actor } from '@parlour/core';
import { describe, expect, it } from 'vitest';
import type { Db, StorageKind } from '../database.js';
import { loadConversationState, reserveSeqs } from '../repos/conversations.js';
import { insertFeedEvents, insertMessages, readFeed } from '../repos/feed.js';
import { getTicket, insertTicketEvents, saveTicket, ticketHistory } from '../repos/tickets.js';
import { at, newMessage, seedConversation } from './records.js';
import { useDatabase } from './use-database.js';

const WRITERS = 20;
const agent: Actor = { type: 'user', id: '00000000-0000-4000-8000-000000000001', role: 'agent' };

/** What a use case does: lock the conversation, read the ticket, change it, persist ticket and events. */
async function addTag(trx: Db, conversationId: string, tag: string, when: Date): Promise<void> {
  const state = await loadConversationState(trx, conversationId, { lock: true });
  if (!state?.ticket) throw new Error('the ticket is missing');
  // Yield between read and write so, without the lock, other writers would read the same version.
  await sleep(1);
  const change = updateTicket(state.ticket, { addTags: [tag] }, agent, when);
  await saveTicket(trx, change.ticket, state.ticket.version);
  await insertTicketEvents(trx, state.ticket.id, change.events);
}

export function concurrencyContract(kind: StorageKind): void {
  describe('concurrency', () => {
    const database = useDatabase(kind);

    it('concurrent updates of one ticket never lose an update', async () => {
      const { conversation, ticket } = await seedConversation(database().db, { ticket: {} });
      if (!ticket) throw new Error('no ticket');
      const tags = Array.from({ length: WRITERS }, (_, i) => `tag-${String(i).padStart(2, '0')}`);

      await Promise.all(
        tags.map((tag, i) =>
          database()
            .db.transaction()
            .execute((trx) => addTag(trx, conversation.id, tag, at(i + 1))),
        ),
      );

      const stored = await getTicket(database().db, ticket.id);
      expect([...(stored?.tags ?? [])].sort()).toEqual(tags);
      expect(stored?.version).toBe(1 + WRITERS);
      const history = await ticketHistory(database().db, ticket.id);
      expect(history.filter((h) => h.type === 'ticket.tags_changed')).toHaveLength(WRITERS);
    });

    it('rolls back both the ticket and its events when a transaction throws', async () => {
      const { conversation, ticket } = await seedConversation(database().db, { ticket: {} });
      if (!ticket) throw new Error('no ticket');

      const failed = database()
        .db.transaction()
        .execute(async (trx) => {
          await addTag(trx, conversation.id, 'half-written', at(1));
          const last =
            (await reserveSeqs(trx, new Map([[conversation.id, 2]]), at(1))).get(conversation.id) ??
            0;
          await insertMessages(trx, [
            newMessage(conversation.id, last + 1, { ticketId: ticket.id }),
          ]);
          await insertFeedEvents(trx, [
            {
              conversationId: conversation.id,
              seq: last + 2,
              type: 'ticket.updated',
              audience: 'staff',
              data: {},
              at: at(1),
            },
          ]);
          throw new Error('the use case failed after writing');
        });
      await expect(failed).rejects.toThrow('the use case failed after writing');

      expect(await getTicket(database().db, ticket.id)).toEqual(ticket);
      expect(await ticketHistory(database().db, ticket.id)).toEqual([]);
      expect(await readFeed(database().db, conversation.id, 0, 'staff')).toEqual([]);
      expect((await loadConversationState(database().db, conversation.id))?.lastSeq).toBe(0);
    });

    it('accepts new writes on the same conversation after a rolled-back transaction', async () => {
      const { conversation, ticket } = await seedConversation(database().db, { ticket: {} });
      if (!ticket) throw new Error('no ticket');
      await expect(
        database()
          .db.transaction()
          .execute(async (trx) => {
            await addTag(trx, conversation.id, 'first', at(1));
            throw new Error('rolled back');
          }),
      ).rejects.toThrow('rolled back');
      await database()
        .db.transaction()
        .execute((trx) => addTag(trx, conversation.id, 'second', at(2)));
      const stored = await getTicket(database().db, ticket.id);
      expect(stored?.tags).toEqual(['second']);
      expect(stored?.version).toBe(2);
    });
  });
}
