import { describe, expect, it } from 'vitest';
import { T0, newMessage, seedConversation } from '../contract/records.js';
import { useDatabase } from '../contract/use-database.js';
import { availableStorageKinds } from '../testing/test-database.js';
import {
  attachmentsOfMessages,
  deleteAttachments,
  getAttachment,
  insertAttachment,
  linkAttachments,
  listAttachmentsOfConversation,
  listAttachmentsOfEndUser,
  type StoredAttachment,
} from './attachments.js';
import { readFeed, insertMessages } from './feed.js';

describe.each(availableStorageKinds())('attachments storage on %s', (kind) => {
  const database = useDatabase(kind);

  function attachment(conversationId: string, endUserId: string): StoredAttachment {
    return {
      id: crypto.randomUUID(),
      conversationId,
      endUserId,
      messageId: null,
      uploaderType: 'end_user',
      uploaderId: endUserId,
      fileName: 'photo.png',
      contentType: 'image/png',
      sizeBytes: 70,
      sha256: 'ab'.repeat(32),
      storageKey: crypto.randomUUID().replace(/-/g, ''),
      createdAt: T0,
    };
  }

  it('reads back an attachment as it was inserted, not sent yet', async () => {
    const db = database().db;
    const { conversation, endUserId } = await seedConversation(db);
    const a = attachment(conversation.id, endUserId);
    await insertAttachment(db, a);
    expect(await getAttachment(db, a.id)).toEqual({ ...a, messageKind: null });
  });

  it('refuses two attachments with the same storage key', async () => {
    const db = database().db;
    const { conversation, endUserId } = await seedConversation(db);
    const a = attachment(conversation.id, endUserId);
    await insertAttachment(db, a);
    await expect(
      insertAttachment(db, { ...attachment(conversation.id, endUserId), storageKey: a.storageKey }),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('links an attachment to one message only, once', async () => {
    const db = database().db;
    const { conversation, endUserId } = await seedConversation(db);
    const [first, second] = [newMessage(conversation.id, 1), newMessage(conversation.id, 2)];
    await insertMessages(db, [first!, second!]);
    const a = attachment(conversation.id, endUserId);
    await insertAttachment(db, a);
    expect(await linkAttachments(db, [{ id: a.id, messageId: first!.id }])).toBe(1);
    expect(await linkAttachments(db, [{ id: a.id, messageId: second!.id }])).toBe(0);
    expect((await getAttachment(db, a.id))?.messageId).toBe(first!.id);
  });

  it("gives each message of a feed page its attachments, and the message's kind to each", async () => {
    const db = database().db;
    const { conversation, endUserId } = await seedConversation(db);
    const note = newMessage(conversation.id, 1, { kind: 'internal', authorType: 'user' });
    const reply = newMessage(conversation.id, 2);
    await insertMessages(db, [note, reply]);
    const [a, b, c] = [1, 2, 3].map(() => attachment(conversation.id, endUserId));
    for (const x of [a!, b!, c!]) await insertAttachment(db, x);
    await linkAttachments(db, [
      { id: a!.id, messageId: note.id },
      { id: b!.id, messageId: reply.id },
      { id: c!.id, messageId: reply.id },
    ]);
    const byMessage = await attachmentsOfMessages(db, [note.id, reply.id]);
    expect(
      byMessage
        .get(reply.id)
        ?.map((x) => x.id)
        .sort(),
    ).toEqual([b!.id, c!.id].sort());
    const feed = await readFeed(db, conversation.id, 0, 'staff');
    expect(feed.map((item) => (item.kind === 'message' ? item.attachments.length : -1))).toEqual([
      1, 2,
    ]);
    const listed = await listAttachmentsOfConversation(db, conversation.id);
    expect(new Map(listed.map((x) => [x.id, x.messageKind]))).toEqual(
      new Map([
        [a!.id, 'internal'],
        [b!.id, 'public'],
        [c!.id, 'public'],
      ]),
    );
  });

  it("finds and deletes every attachment of an end user's conversations", async () => {
    const db = database().db;
    const { conversation, endUserId } = await seedConversation(db);
    const other = await seedConversation(db);
    const mine = [attachment(conversation.id, endUserId), attachment(conversation.id, endUserId)];
    const theirs = attachment(other.conversation.id, other.endUserId);
    for (const x of [...mine, theirs]) await insertAttachment(db, x);
    const found = await listAttachmentsOfEndUser(db, endUserId);
    expect(found.map((x) => x.id).sort()).toEqual(mine.map((x) => x.id).sort());
    await deleteAttachments(
      db,
      found.map((x) => x.id),
    );
    expect(await listAttachmentsOfEndUser(db, endUserId)).toEqual([]);
    expect(await getAttachment(db, theirs.id)).not.toBeNull();
  });
});
