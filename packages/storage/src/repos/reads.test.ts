import { describe, expect, it } from 'vitest';
import { T0, at, seedConversation } from '../contract/records.js';
import { useDatabase } from '../contract/use-database.js';
import { availableStorageKinds } from '../testing/test-database.js';
import { markRead, readMarks } from './reads.js';

describe.each(availableStorageKinds())('read state storage on %s', (kind) => {
  const database = useDatabase(kind);

  it('only ever moves a reader’s seq forward', async () => {
    const db = database().db;
    const { conversation, endUserId } = await seedConversation(db);
    const reader = { type: 'end_user' as const, id: endUserId };
    const read = (seq: number, when = T0) =>
      markRead(db, { conversationId: conversation.id, reader, seq, at: when });

    expect(await read(5)).toEqual({ seq: 5, advanced: true });
    expect(await read(3, at(1))).toEqual({ seq: 5, advanced: false });
    expect(await read(5, at(2))).toEqual({ seq: 5, advanced: false });
    expect(await read(8, at(3))).toEqual({ seq: 8, advanced: true });
    expect(await readMarks(db, conversation.id)).toEqual({ endUser: 8, staff: 0 });
  });

  it('keeps the highest seq when reads of one reader race', async () => {
    const db = database().db;
    const { conversation } = await seedConversation(db);
    const reader = { type: 'user' as const, id: crypto.randomUUID() };
    await Promise.all(
      [4, 9, 2, 7].map((seq) =>
        markRead(db, { conversationId: conversation.id, reader, seq, at: T0 }),
      ),
    );
    expect((await readMarks(db, conversation.id)).staff).toBe(9);
  });

  it('reports the furthest staff reader beside the customer', async () => {
    const db = database().db;
    const { conversation, endUserId } = await seedConversation(db);
    const mark = (type: 'user' | 'end_user', id: string, seq: number) =>
      markRead(db, { conversationId: conversation.id, reader: { type, id }, seq, at: T0 });
    await mark('user', crypto.randomUUID(), 4);
    await mark('user', crypto.randomUUID(), 11);
    await mark('end_user', endUserId, 6);
    expect(await readMarks(db, conversation.id)).toEqual({ endUser: 6, staff: 11 });
    expect(await readMarks(db, crypto.randomUUID())).toEqual({ endUser: 0, staff: 0 });
  });

  it('goes with its conversation', async () => {
    const db = database().db;
    const { conversation, endUserId } = await seedConversation(db, { session: false });
    await markRead(db, {
      conversationId: conversation.id,
      reader: { type: 'end_user', id: endUserId },
      seq: 1,
      at: T0,
    });
    await db.deleteFrom('conversations').where('id', '=', conversation.id).execute();
    const left = await db
      .selectFrom('conversation_reads')
      .select('seq')
      .where('conversation_id', '=', conversation.id)
      .execute();
    expect(left).toEqual([]);
  });
});
