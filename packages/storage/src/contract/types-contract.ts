import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { StorageKind } from '../database.js';
import { loadConversationState } from '../repos/conversations.js';
import { insertFeedEvents, readFeed } from '../repos/feed.js';
import { getTicket, insertTicketEvents, ticketHistory } from '../repos/tickets.js';
import { readSetting, writeSetting } from '../repos/settings.js';
import { getUser, insertUser } from '../repos/users.js';
import { T0, at, seedConversation } from './records.js';
import { useDatabase } from './use-database.js';

/** Both adapters must hand back the same JavaScript types, so nothing above storage cares which one runs. */
export function typesContract(kind: StorageKind): void {
  describe('types', () => {
    const database = useDatabase(kind);

    it('returns timestamps as Dates with millisecond precision', async () => {
      const precise = new Date('2025-03-01T09:00:00.123Z');
      const { conversation, ticket } = await seedConversation(database().db, {
        ticket: { updatedAt: precise },
      });
      const state = await loadConversationState(database().db, conversation.id);
      expect(state?.conversation.createdAt).toBeInstanceOf(Date);
      expect(state?.session?.startedAt).toEqual(T0);
      expect(state?.session?.endedAt).toBeNull();
      expect(state?.ticket?.updatedAt).toBeInstanceOf(Date);
      expect(state?.ticket?.updatedAt.getTime()).toBe(precise.getTime());
      expect(ticket?.createdAt).toEqual(T0);
    });

    it('returns int8 values as numbers', async () => {
      const { ticket } = await seedConversation(database().db, { ticket: {} });
      if (!ticket) throw new Error('no ticket');
      await insertTicketEvents(database().db, ticket.id, [
        {
          type: 'ticket.priority_changed',
          from: 'normal',
          to: 'high',
          actor: { type: 'bot' },
          at: at(1),
        },
      ]);
      const event = await database()
        .db.selectFrom('ticket_events')
        .select('id')
        .where('ticket_id', '=', ticket.id)
        .executeTakeFirstOrThrow();
      expect(typeof event.id).toBe('number');
      const count = await database()
        .db.selectFrom('tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(typeof count.n).toBe('number');
      // Without parameters node-postgres and the PGlite bridge take the simple protocol; with them, the extended one.
      const simple = await sql<{ n: number }>`select 9007199254740::int8 as n`.execute(
        database().db,
      );
      const extended = await sql<{ n: number }>`select ${9007199254740}::int8 as n`.execute(
        database().db,
      );
      expect(simple.rows[0]?.n).toBe(9007199254740);
      expect(extended.rows[0]?.n).toBe(9007199254740);
    });

    it('returns integer columns as numbers', async () => {
      const { ticket } = await seedConversation(database().db, { ticket: {} });
      expect(typeof ticket?.number).toBe('number');
      expect(ticket?.version).toBe(1);
    });

    it('returns booleans as booleans', async () => {
      const id = crypto.randomUUID();
      await insertUser(database().db, {
        id,
        role: 'agent',
        email: `${id}@example.com`,
        name: 'Ada',
        passwordHash: null,
        at: T0,
      });
      expect((await getUser(database().db, id))?.active).toBe(true);
    });

    it('returns text[] as string arrays, whatever characters the strings hold', async () => {
      const tags = ['vip', 'a,b', 'with space', 'quote"d', 'back\\slash', '{braces}', 'NULL', 'é'];
      const { ticket } = await seedConversation(database().db, { ticket: { tags } });
      const empty = await seedConversation(database().db, { ticket: {} });
      expect(ticket?.tags).toEqual(tags);
      expect((await getTicket(database().db, ticket?.id ?? ''))?.tags).toEqual(tags);
      expect(empty.ticket?.tags).toEqual([]);
    });

    it('returns jsonb as objects', async () => {
      const db = database().db;
      const { conversation, ticket } = await seedConversation(db, { ticket: {} });
      if (!ticket) throw new Error('no ticket');
      const value = { hours: [9, 17], nested: { on: true, label: 'x' }, none: null };
      await writeSetting(db, `json-${conversation.id}`, value, T0);
      expect(await readSetting(db, `json-${conversation.id}`)).toEqual(value);
      await insertFeedEvents(db, [
        {
          conversationId: conversation.id,
          seq: 1,
          type: 'x',
          audience: 'all',
          data: value,
          at: at(1),
        },
      ]);
      const [item] = await readFeed(db, conversation.id, 0, 'all');
      expect(item?.kind === 'event' ? item.event.data : undefined).toEqual(value);
      await insertTicketEvents(db, ticket.id, [
        {
          type: 'ticket.tags_changed',
          added: ['a'],
          removed: [],
          actor: { type: 'bot' },
          at: at(1),
        },
      ]);
      expect((await ticketHistory(db, ticket.id))[0]?.data).toEqual({ added: ['a'], removed: [] });
    });

    it('stores a JSON string setting as a string', async () => {
      const key = `string-${crypto.randomUUID()}`;
      await writeSetting(database().db, key, 'plain text', T0);
      expect(await readSetting(database().db, key)).toBe('plain text');
    });
  });
}
