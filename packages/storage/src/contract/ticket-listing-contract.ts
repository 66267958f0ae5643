import type { Ticket } from '@parlour/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StorageKind } from '../database.js';
import { insertAnonymousEndUser } from '../repos/end-users.js';
import { insertGroup } from '../repos/groups.js';
import type { StoredTicket } from '../repos/map-rows.js';
import { listTickets, type TicketCursor, type TicketFilter } from '../repos/tickets.js';
import { insertUser } from '../repos/users.js';
import { T0, at, seedConversation } from './records.js';
import { useDatabase } from './use-database.js';

/** Newest activity first, ties broken by id (uuid order is the order of its lower-case text). */
function byActivity(a: Ticket, b: Ticket): number {
  return b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function ticketListingContract(kind: StorageKind): void {
  describe('listing tickets', () => {
    const database = useDatabase(kind);
    const agentA = crypto.randomUUID();
    const agentB = crypto.randomUUID();
    const groupOne = crypto.randomUUID();
    const groupTwo = crypto.randomUUID();
    const requesterOne = crypto.randomUUID();
    const requesterTwo = crypto.randomUUID();
    const tickets = new Map<string, StoredTicket>();

    beforeAll(async () => {
      const db = database().db;
      for (const [id, email] of [
        [agentA, 'a@example.com'],
        [agentB, 'b@example.com'],
      ] as const) {
        await insertUser(db, { id, role: 'agent', email, name: email, passwordHash: null, at: T0 });
      }
      await insertGroup(db, { id: groupOne, name: 'One', description: null, at: T0 });
      await insertGroup(db, { id: groupTwo, name: 'Two', description: null, at: T0 });
      await insertAnonymousEndUser(db, requesterOne, T0);
      await insertAnonymousEndUser(db, requesterTwo, T0);
      // Four tickets share one updated_at, so pages must break ties by id.
      const rows: [string, Partial<Ticket>][] = [
        [
          't1',
          {
            status: 'new',
            groupId: groupOne,
            requesterId: requesterOne,
            tags: ['vip'],
            updatedAt: at(10),
          },
        ],
        [
          't2',
          {
            status: 'open',
            groupId: groupOne,
            assigneeId: agentA,
            requesterId: requesterOne,
            tags: ['billing'],
            channel: 'email',
            updatedAt: at(20),
          },
        ],
        [
          't3',
          {
            status: 'pending',
            groupId: groupTwo,
            assigneeId: agentB,
            requesterId: requesterTwo,
            tags: ['vip', 'billing'],
            channel: 'api',
            updatedAt: at(20),
          },
        ],
        [
          't4',
          { status: 'open', assigneeId: agentA, requesterId: requesterTwo, updatedAt: at(20) },
        ],
        [
          't5',
          {
            status: 'solved',
            groupId: groupTwo,
            assigneeId: agentB,
            requesterId: requesterOne,
            tags: ['vip'],
            channel: 'email',
            updatedAt: at(30),
          },
        ],
        [
          't6',
          {
            status: 'closed',
            groupId: groupOne,
            assigneeId: agentA,
            requesterId: requesterTwo,
            updatedAt: at(5),
          },
        ],
        [
          't7',
          {
            status: 'on_hold',
            requesterId: requesterOne,
            tags: ['later'],
            channel: 'api',
            updatedAt: at(20),
          },
        ],
      ];
      for (const [name, fields] of rows) {
        const { ticket } = await seedConversation(db, {
          requesterId: fields.requesterId ?? requesterOne,
          channel: fields.channel ?? 'messaging',
          ticket: fields,
        });
        if (ticket) tickets.set(name, ticket);
      }
    });

    async function names(filter: TicketFilter): Promise<string[]> {
      const { items } = await listTickets(database().db, filter, { limit: 100 });
      const nameOf = new Map([...tickets].map(([name, t]) => [t.id, name]));
      return items.map((t) => nameOf.get(t.id) ?? t.id).sort();
    }

    it('filters by a list of statuses', async () => {
      expect(await names({ statuses: ['new', 'open'] })).toEqual(['t1', 't2', 't4']);
    });

    it('filters by group', async () => {
      expect(await names({ groupId: groupOne })).toEqual(['t1', 't2', 't6']);
    });

    it('filters by assignee', async () => {
      expect(await names({ assigneeId: agentA })).toEqual(['t2', 't4', 't6']);
    });

    it('filters unassigned tickets when the assignee is null', async () => {
      expect(await names({ assigneeId: null })).toEqual(['t1', 't7']);
    });

    it('filters by requester', async () => {
      expect(await names({ requesterId: requesterTwo })).toEqual(['t3', 't4', 't6']);
    });

    it('filters by tag', async () => {
      expect(await names({ tag: 'vip' })).toEqual(['t1', 't3', 't5']);
      expect(await names({ tag: 'missing' })).toEqual([]);
    });

    it('filters by channel', async () => {
      expect(await names({ channel: 'email' })).toEqual(['t2', 't5']);
    });

    it('combines filters', async () => {
      expect(
        await names({ statuses: ['open', 'pending'], tag: 'billing', assigneeId: agentA }),
      ).toEqual(['t2']);
    });

    it('walks every ticket exactly once in (updated_at desc, id desc) order, even with equal updated_at', async () => {
      const expected = [...tickets.values()].sort(byActivity).map((t) => t.id);
      for (const limit of [1, 2, 3]) {
        const seen: string[] = [];
        let after: TicketCursor | undefined;
        for (let page = 0; page < 10; page++) {
          const result = await listTickets(database().db, {}, after ? { limit, after } : { limit });
          expect(result.items.length).toBeLessThanOrEqual(limit);
          seen.push(...result.items.map((t) => t.id));
          if (!result.next) break;
          after = result.next;
        }
        expect(seen).toEqual(expected);
      }
    });
  });
}
