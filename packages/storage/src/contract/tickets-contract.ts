import type { Actor, TicketEvent } from '@parlour/core';
import { describe, expect, it } from 'vitest';
import type { StorageKind } from '../database.js';
import { insertMessages } from '../repos/feed.js';
import {
  StaleTicketError,
  getTicket,
  insertTicketEvents,
  saveTicket,
  ticketHistory,
} from '../repos/tickets.js';
import { at, newMessage, seedConversation } from './records.js';
import { useDatabase } from './use-database.js';

export function ticketsContract(kind: StorageKind): void {
  describe('tickets', () => {
    const database = useDatabase(kind);

    it('gives each new ticket a higher number than the one before', async () => {
      const numbers: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { ticket } = await seedConversation(database().db, { ticket: {} });
        numbers.push(ticket?.number ?? Number.NaN);
      }
      expect(numbers[0]).toBeGreaterThan(0);
      expect(numbers[1]).toBeGreaterThan(numbers[0] ?? Infinity);
      expect(numbers[2]).toBeGreaterThan(numbers[1] ?? Infinity);
    });

    it('saves a ticket read at the current version and returns the stored row', async () => {
      const { ticket } = await seedConversation(database().db, { ticket: {} });
      if (!ticket) throw new Error('no ticket');
      const saved = await saveTicket(
        database().db,
        { ...ticket, status: 'open', updatedAt: at(1), version: 2 },
        1,
      );
      expect(saved).toEqual({ ...ticket, status: 'open', updatedAt: at(1), version: 2 });
      expect(await getTicket(database().db, ticket.id)).toEqual(saved);
    });

    it('refuses a save with a stale version and changes nothing', async () => {
      const { ticket } = await seedConversation(database().db, { ticket: {} });
      if (!ticket) throw new Error('no ticket');
      const current = await saveTicket(
        database().db,
        { ...ticket, status: 'open', updatedAt: at(1), version: 2 },
        1,
      );
      const stale = saveTicket(
        database().db,
        { ...ticket, priority: 'urgent', updatedAt: at(2), version: 2 },
        1,
      );
      await expect(stale).rejects.toBeInstanceOf(StaleTicketError);
      await expect(stale).rejects.toMatchObject({ ticketId: ticket.id });
      expect(await getTicket(database().db, ticket.id)).toEqual(current);
    });

    it('merges ticket events and messages into one history in time order, with the actor', async () => {
      const { ticket, conversation, endUserId } = await seedConversation(database().db, {
        ticket: {},
      });
      if (!ticket) throw new Error('no ticket');
      const agent: Actor = { type: 'user', id: crypto.randomUUID(), role: 'agent' };
      const events: TicketEvent[] = [
        {
          type: 'ticket.created',
          status: 'new',
          channel: 'messaging',
          groupId: null,
          priority: 'normal',
          actor: { type: 'bot' },
          at: at(0),
        },
        { type: 'ticket.assignee_changed', from: null, to: agent.id, actor: agent, at: at(2) },
        {
          type: 'ticket.status_changed',
          from: 'new',
          to: 'open',
          actor: { type: 'system', reason: 'assignment' },
          at: at(4),
        },
      ];
      await insertTicketEvents(database().db, ticket.id, events);
      const question = newMessage(conversation.id, 1, {
        ticketId: ticket.id,
        authorId: endUserId,
        createdAt: at(1),
      });
      const note = newMessage(conversation.id, 2, {
        ticketId: ticket.id,
        kind: 'internal',
        authorType: 'user',
        authorId: agent.id,
        body: 'checking the invoice',
        createdAt: at(3),
      });
      await insertMessages(database().db, [question, note]);

      const history = await ticketHistory(database().db, ticket.id);
      expect(history.map((h) => [h.type, h.actorType, h.actorId, h.at])).toEqual([
        ['ticket.created', 'bot', null, at(0)],
        ['message.public_reply', 'end_user', endUserId, at(1)],
        ['ticket.assignee_changed', 'user', agent.id, at(2)],
        ['message.internal_note', 'user', agent.id, at(3)],
        ['ticket.status_changed', 'system', null, at(4)],
      ]);
      expect(history[2]?.data).toEqual({ from: null, to: agent.id, actorRole: 'agent' });
      expect(history[3]?.data).toEqual({
        messageId: note.id,
        channel: 'messaging',
        body: 'checking the invoice',
        seq: 2,
      });
      expect(history[4]?.data).toEqual({ from: 'new', to: 'open', actorReason: 'assignment' });
      expect(new Set(history.map((h) => h.id)).size).toBe(history.length);
    });

    it('keeps write order for history entries of the same instant', async () => {
      const { ticket } = await seedConversation(database().db, { ticket: {} });
      if (!ticket) throw new Error('no ticket');
      const actor: Actor = { type: 'system' };
      await insertTicketEvents(database().db, ticket.id, [
        { type: 'ticket.priority_changed', from: 'normal', to: 'high', actor, at: at(5) },
        { type: 'ticket.tags_changed', added: ['vip'], removed: [], actor, at: at(5) },
        { type: 'ticket.subject_changed', from: null, to: 'Refund', actor, at: at(5) },
      ]);
      expect((await ticketHistory(database().db, ticket.id)).map((h) => h.type)).toEqual([
        'ticket.priority_changed',
        'ticket.tags_changed',
        'ticket.subject_changed',
      ]);
    });
  });
}
