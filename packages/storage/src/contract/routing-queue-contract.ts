import type { StorageKind } from '../database.js';
import { insertGroup } from '../repos/groups.js';
import { loadQueue, setTicketRouting } from '../repos/routing-queue.js';
import { describe, expect, it } from 'vitest';
import { at, seedConversation, T0 } from './records.js';
import { useDatabase } from './use-database.js';

export function routingQueueContract(kind: StorageKind): void {
  describe('routing queue', () => {
    const database = useDatabase(kind);

    it('never lets a long line nobody serves hide a ticket waiting in another line', async () => {
      const db = database().db;
      const blocked = crypto.randomUUID();
      const open = crypto.randomUUID();
      await insertGroup(db, { id: blocked, name: `blocked-${blocked}`, description: null, at: T0 });
      await insertGroup(db, { id: open, name: `open-${open}`, description: null, at: T0 });
      for (let i = 0; i < 30; i++) {
        const { ticket } = await seedConversation(db, { ticket: { groupId: blocked } });
        await setTicketRouting(db, ticket!.id, { routing: 'queued', eligibleAt: at(i) });
      }
      const { ticket: late } = await seedConversation(db, { ticket: { groupId: open } });
      await setTicketRouting(db, late!.id, { routing: 'queued', eligibleAt: at(100) });

      const page = await loadQueue(db, 20, 10);
      expect(page.filter((r) => r.groupId === blocked)).toHaveLength(10);
      expect(page.map((r) => r.ticketId)).toContain(late!.id);
      expect(page.at(-1)?.ticketId).toBe(late!.id);
    });
  });
}
