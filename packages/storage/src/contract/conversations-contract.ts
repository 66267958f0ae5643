import { describe, expect, it } from 'vitest';
import type { StorageKind } from '../database.js';
import {
  loadConversationState,
  loadConversationStates,
  reserveSeqs,
  saveConversation,
} from '../repos/conversations.js';
import { insertTicket } from '../repos/tickets.js';
import { at, newTicket, seedConversation } from './records.js';
import { useDatabase } from './use-database.js';

export function conversationsContract(kind: StorageKind): void {
  describe('conversations', () => {
    const database = useDatabase(kind);

    it('stores a conversation with its session', async () => {
      const { conversation, session } = await seedConversation(database().db);
      const state = await loadConversationState(database().db, conversation.id);
      expect(state?.conversation).toEqual(conversation);
      expect(state?.session).toEqual(session);
    });

    it('has no ticket and no sequence numbers before handoff', async () => {
      const { conversation } = await seedConversation(database().db);
      const state = await loadConversationState(database().db, conversation.id);
      expect(state?.ticket).toBeNull();
      expect(state?.lastSeq).toBe(0);
    });

    it("returns the requester's email", async () => {
      const { conversation } = await seedConversation(database().db, {
        email: 'grace@example.com',
      });
      const anonymous = await seedConversation(database().db);
      expect((await loadConversationState(database().db, conversation.id))?.requesterEmail).toBe(
        'grace@example.com',
      );
      expect(
        (await loadConversationState(database().db, anonymous.conversation.id))?.requesterEmail,
      ).toBeNull();
    });

    it('returns the ticket once the conversation is handed off', async () => {
      const { conversation } = await seedConversation(database().db);
      const ticket = await insertTicket(
        database().db,
        newTicket({ ...conversation, ticketId: crypto.randomUUID() }),
      );
      await saveConversation(database().db, { ...conversation, ticketId: ticket.id }, at(1));
      const state = await loadConversationState(database().db, conversation.id);
      expect(state?.conversation.ticketId).toBe(ticket.id);
      expect(state?.ticket).toEqual(ticket);
    });

    it('returns null for an unknown conversation', async () => {
      expect(await loadConversationState(database().db, crypto.randomUUID())).toBeNull();
    });

    it('loads several conversations in one call', async () => {
      const a = await seedConversation(database().db);
      const b = await seedConversation(database().db, { channel: 'email' });
      const states = await loadConversationStates(database().db, [
        b.conversation.id,
        a.conversation.id,
        crypto.randomUUID(),
      ]);
      expect([...states.keys()].sort()).toEqual([a.conversation.id, b.conversation.id].sort());
      expect(states.get(b.conversation.id)?.session).toBeNull();
      expect(states.get(a.conversation.id)?.session).toEqual(a.session);
    });

    it('reserves consecutive sequence ranges for several conversations in one call', async () => {
      const a = (await seedConversation(database().db)).conversation.id;
      const b = (await seedConversation(database().db)).conversation.id;
      expect(
        await reserveSeqs(
          database().db,
          new Map([
            [a, 3],
            [b, 2],
          ]),
          at(1),
        ),
      ).toEqual(
        new Map([
          [a, 0],
          [b, 0],
        ]),
      );
      expect(
        await reserveSeqs(
          database().db,
          new Map([
            [a, 2],
            [b, 1],
          ]),
          at(2),
        ),
      ).toEqual(
        new Map([
          [a, 3],
          [b, 2],
        ]),
      );
      expect((await loadConversationState(database().db, a))?.lastSeq).toBe(5);
      expect((await loadConversationState(database().db, b))?.lastSeq).toBe(3);
    });
  });
}
