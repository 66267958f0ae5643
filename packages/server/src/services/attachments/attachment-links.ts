import { DomainError, actorId, type Actor } from '@parlour/core';
import type { Attachment } from '@parlour/protocol';
import { getAttachments, linkAttachments, type Db, type StoredAttachment } from '@parlour/storage';
import { attachmentDto } from '../dto.js';

interface Request {
  readonly actor: Actor;
  readonly conversationId: string;
  readonly attachmentIds?: readonly string[] | undefined;
}

/**
 * Attaches uploaded files to the messages of one batch, inside the writer's transaction (which
 * holds the conversations' locks, so no other writer links the same files meanwhile). Each file
 * must exist, be in the message's conversation, have been uploaded by the message's author, and
 * not be sent yet; otherwise the message is refused and nothing of it is linked.
 */
export class AttachmentLinks {
  private readonly links: { id: string; messageId: string }[] = [];
  private readonly taken = new Set<string>();

  private constructor(private readonly found: ReadonlyMap<string, StoredAttachment>) {}

  /** Reads the batch's attachments in one query (none when no message has any). */
  static async load(trx: Db, batch: readonly Request[]): Promise<AttachmentLinks> {
    const ids = [...new Set(batch.flatMap((r) => r.attachmentIds ?? []))];
    return new AttachmentLinks(await getAttachments(trx, ids));
  }

  /** The files this message may carry; throws attachment/not-found (nothing reserved) otherwise. */
  claim(request: Request): StoredAttachment[] {
    const ids = request.attachmentIds ?? [];
    const author = actorId(request.actor);
    const claimed: StoredAttachment[] = [];
    for (const id of ids) {
      const a = this.found.get(id);
      if (
        !a ||
        a.conversationId !== request.conversationId ||
        a.uploaderType !== request.actor.type ||
        a.uploaderId !== author ||
        a.messageId !== null ||
        this.taken.has(id) ||
        claimed.includes(a)
      ) {
        throw new DomainError(
          'attachment/not-found',
          'An attachment is unknown, belongs elsewhere, or was already sent: upload it to this conversation first',
          'attachmentIds',
        );
      }
      claimed.push(a);
    }
    return claimed;
  }

  /** Records the files as this message's; returns them as the message's wire attachments. */
  link(messageId: string, claimed: readonly StoredAttachment[]): Attachment[] {
    for (const a of claimed) {
      this.taken.add(a.id);
      this.links.push({ id: a.id, messageId });
    }
    return claimed.map((a) => attachmentDto({ ...a, messageId }));
  }

  /** Writes the links; fails the batch if another writer linked one of them first. */
  async save(trx: Db): Promise<void> {
    if (this.links.length === 0) return;
    const linked = await linkAttachments(trx, this.links);
    if (linked !== this.links.length) throw new Error('an attachment was linked by another writer');
  }
}
