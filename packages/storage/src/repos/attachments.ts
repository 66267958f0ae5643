import { sql, type Selectable } from 'kysely';
import type { Db } from '../database.js';
import type { AttachmentsTable } from '../schema.js';

export type AttachmentUploaderType = AttachmentsTable['uploader_type'];

/** An accepted file: its row. The bytes are in file storage under `storageKey`. */
export interface StoredAttachment {
  readonly id: string;
  readonly conversationId: string;
  /** The conversation's end user (erasing an end user finds their files by it). */
  readonly endUserId: string;
  /** The message it was sent with; null until then. */
  readonly messageId: string | null;
  readonly uploaderType: AttachmentUploaderType;
  readonly uploaderId: string | null;
  /** The sanitized display name (never used as a path). */
  readonly fileName: string;
  /** The type detected from the content, not the one the client declared. */
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly storageKey: string;
  readonly createdAt: Date;
}

/** An attachment with the kind of the message it was sent with (who may see it depends on it). */
export interface AttachmentWithMessageKind extends StoredAttachment {
  readonly messageKind: 'public' | 'internal' | null;
}

function toAttachment(row: Selectable<AttachmentsTable>): StoredAttachment {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    endUserId: row.end_user_id,
    messageId: row.message_id,
    uploaderType: row.uploader_type,
    uploaderId: row.uploader_id,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    storageKey: row.storage_key,
    createdAt: row.created_at,
  };
}

export async function insertAttachment(db: Db, a: StoredAttachment): Promise<void> {
  await db
    .insertInto('attachments')
    .values({
      id: a.id,
      conversation_id: a.conversationId,
      end_user_id: a.endUserId,
      message_id: a.messageId,
      uploader_type: a.uploaderType,
      uploader_id: a.uploaderId,
      file_name: a.fileName,
      content_type: a.contentType,
      size_bytes: a.sizeBytes,
      sha256: a.sha256,
      storage_key: a.storageKey,
      created_at: a.createdAt,
    })
    .execute();
}

function withMessageKind(db: Db) {
  return db
    .selectFrom('attachments as a')
    .leftJoin('messages as m', 'm.id', 'a.message_id')
    .selectAll('a')
    .select('m.kind as message_kind');
}

function toWithMessageKind(
  row: Selectable<AttachmentsTable> & { message_kind: 'public' | 'internal' | null },
): AttachmentWithMessageKind {
  return { ...toAttachment(row), messageKind: row.message_kind };
}

export async function getAttachment(db: Db, id: string): Promise<AttachmentWithMessageKind | null> {
  const row = await withMessageKind(db).where('a.id', '=', id).executeTakeFirst();
  return row ? toWithMessageKind(row) : null;
}

/** A conversation's attachments, oldest first. */
export async function listAttachmentsOfConversation(
  db: Db,
  conversationId: string,
  limit = 500,
): Promise<AttachmentWithMessageKind[]> {
  const rows = await withMessageKind(db)
    .where('a.conversation_id', '=', conversationId)
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map(toWithMessageKind);
}

/** These attachments (any that exist), for linking them to a message. */
export async function getAttachments(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, StoredAttachment>> {
  const out = new Map<string, StoredAttachment>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('attachments')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  for (const row of rows) out.set(row.id, toAttachment(row));
  return out;
}

/** The attachments of a page of messages, in one query: message id → its attachments, oldest first. */
export async function attachmentsOfMessages(
  db: Db,
  messageIds: readonly string[],
): Promise<Map<string, StoredAttachment[]>> {
  const out = new Map<string, StoredAttachment[]>();
  if (messageIds.length === 0) return out;
  const rows = await db
    .selectFrom('attachments')
    .selectAll()
    .where('message_id', 'in', [...messageIds])
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = out.get(row.message_id!) ?? [];
    list.push(toAttachment(row));
    out.set(row.message_id!, list);
  }
  return out;
}

/**
 * Links attachments to the messages they were sent with. Only attachments not linked yet are
 * linked; the count of rows linked is returned so the caller can refuse a lost race.
 */
export async function linkAttachments(
  db: Db,
  links: readonly { readonly id: string; readonly messageId: string }[],
): Promise<number> {
  if (links.length === 0) return 0;
  const result = await sql`
    UPDATE attachments a SET message_id = v.message_id
      FROM unnest(${links.map((l) => l.id)}::uuid[], ${links.map((l) => l.messageId)}::uuid[]) AS v(id, message_id)
     WHERE a.id = v.id AND a.message_id IS NULL`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Every attachment in the conversations of this end user, sent or not (export and erasure). */
export async function listAttachmentsOfEndUser(
  db: Db,
  endUserId: string,
): Promise<StoredAttachment[]> {
  const rows = await db
    .selectFrom('attachments')
    .selectAll()
    .where('end_user_id', '=', endUserId)
    .orderBy('id')
    .execute();
  return rows.map(toAttachment);
}

export async function deleteAttachments(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('attachments')
    .where('id', 'in', [...ids])
    .execute();
}
