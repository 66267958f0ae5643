import { createHash } from 'node:crypto';
import {
  DomainError,
  findSensitiveData,
  redactSensitiveData,
  type Actor,
  type ContentRedactedEventData,
  type Message,
  type SensitiveKind,
} from '@parlour/core';
import type { Attachment, Message as MessageDto } from '@parlour/protocol';
import {
  attachmentsOfMessages,
  getAttachment,
  insertAttachment,
  insertTicketEvents,
  listAttachmentsOfConversation,
  loadConversationState,
  type AttachmentWithMessageKind,
  type Db,
  type StoredAttachment,
  type StoredConversationState,
} from '@parlour/storage';
import { newStorageKey, type FileStorage } from '../../files/file-storage.js';
import { actorOf, type Principal } from '../../principal.js';
import type { ServiceContext } from '../context.js';
import { appendFeedEvents } from '../conversation-feed.js';
import { assertVisible } from '../conversation-service.js';
import { attachmentDto, messageWithAttachmentsDto } from '../dto.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import type { SettingsService } from '../settings-service.js';
import { detectAttachmentType, type ScanMethod } from './detect-attachment-type.js';
import { extractPdfText } from './extract-pdf-text.js';
import { sanitizeFileName } from './sanitize-file-name.js';

/** A file as the HTTP edge read it: the client's name and type, and every byte (within the limit). */
export interface IncomingFile {
  readonly fileName: string;
  readonly declaredType: string;
  readonly bytes: Uint8Array;
}

type Counts = Readonly<Partial<Record<SensitiveKind, number>>>;

/**
 * Attachments (seed 004): upload, list, download. An upload is checked before anything is kept:
 * size, name, the type from its content, polyglots, and card data in text-like files and PDFs (a
 * file with card data is discarded and the sender told; staff see that it happened, not the data).
 * Only then are the bytes put in file storage under a key the server made, and the row inserted.
 */
/**
 * An upload inside the caller's transaction: its feed signals wait for the commit, and the
 * caller removes the stored files (forgetFiles) if the transaction rolls back.
 */
export interface AttachmentTx {
  readonly trx: Db;
  readonly signals: FeedSignal[];
  readonly storageKeys: string[];
}

export class AttachmentService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
    readonly storage: FileStorage,
  ) {}

  /** The largest upload accepted, in bytes (an admin setting). */
  async maxBytes(): Promise<number> {
    return (await this.settings.current()).attachmentMaxBytes;
  }

  /** Refuses an upload before its body is read: the conversation must be the caller's to write to. */
  async assertCanUpload(principal: Principal, conversationId: string): Promise<void> {
    const state = await loadConversationState(this.ctx.database.db, conversationId);
    assertUploadable(principal, state);
  }

  async upload(
    principal: Principal,
    conversationId: string,
    file: IncomingFile,
    inTx?: AttachmentTx,
  ) {
    const settings = await this.settings.current(inTx?.trx);
    if (file.bytes.length === 0)
      throw new DomainError('attachment/empty', 'The file is empty (zero bytes)', 'file');
    if (file.bytes.length > settings.attachmentMaxBytes)
      throw tooLarge(settings.attachmentMaxBytes);
    const sanitized = sanitizeFileName(file.fileName);
    if (!sanitized) {
      throw new DomainError(
        'attachment/bad-name',
        'The file needs a name made of visible characters',
        'file',
      );
    }
    const type = await detectAttachmentType(file.bytes, sanitized, file.declaredType);
    const detectors = { iban: settings.pciDetectIban, ssn: settings.pciDetectSsn };
    const text = await this.textOf(file.bytes, type.scan);
    if (text !== null) {
      const counts = countKinds(findSensitiveData(text, detectors));
      if (counts) {
        await this.recordDiscarded(principal, conversationId, counts, inTx);
        throw new DomainError(
          'attachment/card-data',
          'The file was removed and not sent because it contains card data. ' +
            'For your security, never send card details in a file or a message.',
          'file',
        );
      }
    } else if (settings.unscannableAttachments === 'reject') {
      throw new DomainError(
        'attachment/unscannable',
        `This file (${type.contentType}) cannot be checked for card data, and this workspace ` +
          'only accepts files it can check: send the text as a message, a text file or a PDF',
        'file',
      );
    }
    const name = redactSensitiveData(sanitized, { detectors, mask: settings.pciMask });
    return this.store(
      principal,
      conversationId,
      file.bytes,
      {
        fileName: name.text,
        contentType: type.contentType,
        nameCounts: name.total > 0 ? name.counts : null,
      },
      inTx,
    );
  }

  /** A conversation's attachments that this principal may see, oldest first. */
  async list(principal: Principal, conversationId: string): Promise<Attachment[]> {
    const db = this.ctx.database.db;
    assertVisible(principal, await loadConversationState(db, conversationId));
    const rows = await listAttachmentsOfConversation(db, conversationId);
    return rows.filter((a) => mayRead(principal, a)).map(attachmentDto);
  }

  /** A posted message as the wire shows it, with the files it carries. */
  async messageDto(message: Message): Promise<MessageDto> {
    const files = await attachmentsOfMessages(this.ctx.database.db, [message.id]);
    return messageWithAttachmentsDto(message, (files.get(message.id) ?? []).map(attachmentDto));
  }

  /** The row and bytes of an attachment this principal may see; anything else is "not found". */
  async download(
    principal: Principal,
    attachmentId: string,
  ): Promise<{ attachment: StoredAttachment; bytes: Uint8Array }> {
    const attachment = await getAttachment(this.ctx.database.db, attachmentId);
    if (!attachment || !mayRead(principal, attachment)) throw notFound();
    const bytes = await this.storage.get(attachment.storageKey);
    if (!bytes) {
      this.ctx.logger.error({ attachmentId }, 'attachment bytes are missing from file storage');
      throw notFound();
    }
    return { attachment, bytes };
  }

  private async textOf(bytes: Uint8Array, scan: ScanMethod): Promise<string | null> {
    if (scan === 'text') return new TextDecoder().decode(bytes);
    if (scan === 'pdf') return extractPdfText(bytes);
    return null;
  }

  /**
   * Staff learn that a file was discarded (how many items of which kind, never the data): a ticket
   * event when there is a ticket, and always a staff-only feed event, written under the
   * conversation's lock and published after commit.
   */
  /** Removes the files of uploads made in a transaction that then rolled back. */
  async forgetFiles(storageKeys: readonly string[]): Promise<void> {
    for (const key of storageKeys) {
      await this.storage
        .delete(key)
        .catch((err: unknown) =>
          this.ctx.logger.warn({ err }, 'could not remove an unreferenced attachment file'),
        );
    }
  }

  /** Runs `fn` in the caller's transaction when there is one, else in a new one. */
  private inTransaction<T>(inTx: AttachmentTx | undefined, fn: (trx: Db) => Promise<T>) {
    return inTx ? fn(inTx.trx) : this.ctx.database.db.transaction().execute(fn);
  }

  /** Signals are published now, or after the caller's transaction commits. */
  private async publishOrDefer(signals: FeedSignal[], inTx: AttachmentTx | undefined) {
    if (inTx) inTx.signals.push(...signals);
    else await this.publish(signals);
  }

  private async recordDiscarded(
    principal: Principal,
    conversationId: string,
    counts: Counts,
    inTx?: AttachmentTx,
  ) {
    const actor = actorOf(principal);
    const at = this.ctx.clock.now();
    const signals = await this.inTransaction(inTx, async (trx) => {
      const state = await loadConversationState(trx, conversationId, { lock: true });
      assertUploadable(principal, state);
      return this.recordRedaction(trx, state, actor, at, {
        type: 'content.redacted',
        source: 'attachment',
        action: 'discarded',
        counts,
      });
    });
    await this.publishOrDefer(signals, inTx);
  }

  private async store(
    principal: Principal,
    conversationId: string,
    bytes: Uint8Array,
    meta: { fileName: string; contentType: string; nameCounts: Counts | null },
    inTx?: AttachmentTx,
  ): Promise<Attachment> {
    const { clock, newId } = this.ctx;
    const actor = actorOf(principal);
    const at = clock.now();
    const storageKey = newStorageKey();
    await this.storage.put(storageKey, bytes);
    inTx?.storageKeys.push(storageKey);
    try {
      const { attachment, signals } = await this.inTransaction(inTx, async (trx) => {
        const state = await loadConversationState(trx, conversationId, { lock: true });
        assertUploadable(principal, state);
        const attachment: StoredAttachment = {
          id: newId(),
          conversationId,
          endUserId: state.conversation.endUserId,
          messageId: null,
          uploaderType: actor.type,
          uploaderId: principal.id,
          fileName: meta.fileName,
          contentType: meta.contentType,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          storageKey,
          createdAt: at,
        };
        await insertAttachment(trx, attachment);
        const signals = meta.nameCounts
          ? await this.recordRedaction(trx, state, actor, at, {
              type: 'content.redacted',
              source: 'attachment_name',
              action: 'masked',
              counts: meta.nameCounts,
            })
          : [];
        return { attachment, signals };
      });
      await this.publishOrDefer(signals, inTx);
      return attachmentDto(attachment);
    } catch (error) {
      // Nothing refers to the bytes: do not keep them.
      await this.storage
        .delete(storageKey)
        .catch((err: unknown) =>
          this.ctx.logger.warn({ err }, 'could not remove an unreferenced attachment file'),
        );
      throw error;
    }
  }

  private async recordRedaction(
    trx: Db,
    state: StoredConversationState,
    actor: Actor,
    at: Date,
    data: ContentRedactedEventData,
  ): Promise<FeedSignal[]> {
    if (state.ticket) await insertTicketEvents(trx, state.ticket.id, [{ ...data, actor, at }]);
    return appendFeedEvents(
      trx,
      state.conversation.id,
      state.lastSeq,
      [
        {
          event: { ...data, counts: { ...data.counts }, authorType: actor.type },
          audience: 'staff',
        },
      ],
      at,
    );
  }

  private async publish(signals: readonly FeedSignal[]): Promise<void> {
    await publishFeed(this.ctx.bus, signals).catch((err: unknown) =>
      this.ctx.logger.warn(
        { err },
        'publishing to the bus failed; clients will catch up from the database',
      ),
    );
  }
}

export function tooLarge(maxBytes: number): DomainError {
  return new DomainError(
    'attachment/too-large',
    `The file is larger than ${formatBytes(maxBytes)}, the most this workspace accepts`,
    'file',
  );
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

function countKinds(findings: readonly { kind: SensitiveKind }[]): Counts | null {
  if (findings.length === 0) return null;
  const counts: Partial<Record<SensitiveKind, number>> = {};
  for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  return counts;
}

/** Staff, or the conversation's own end user, may attach files to an open conversation. */
function assertUploadable(
  principal: Principal,
  state: StoredConversationState | null,
): asserts state is StoredConversationState {
  assertVisible(principal, state);
  if (state.conversation.state === 'closed') {
    throw new DomainError(
      'conversation/closed',
      'This conversation is closed; files can no longer be attached to it',
      'conversationId',
    );
  }
}

/**
 * Staff see every attachment. An end user sees those in their own conversations that they
 * uploaded, or that were sent to them in a public message (never one of an internal note, nor a
 * staff member's file not sent yet).
 */
function mayRead(principal: Principal, a: AttachmentWithMessageKind): boolean {
  if (principal.kind === 'user') return true;
  if (a.endUserId !== principal.id) return false;
  return (
    (a.uploaderType === 'end_user' && a.uploaderId === principal.id) || a.messageKind === 'public'
  );
}

function notFound(): DomainError {
  return new DomainError('not-found', 'No such attachment', 'attachmentId');
}
