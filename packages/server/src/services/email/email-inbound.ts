import { createHash } from 'node:crypto';
import { DomainError, MAX_MESSAGE_LENGTH, type Conversation } from '@parlour/core';
import {
  findOrCreateEndUserByEmail,
  findTicketByReplyToken,
  findTicketOfMessageIds,
  getTicketForEmail,
  insertConversation,
  lockEmailMessageId,
  recordEmailMessageId,
} from '@parlour/storage';
import type { AttachmentService, AttachmentTx } from '../attachments/attachment-service.js';
import type { ServiceContext } from '../context.js';
import type { ConversationService } from '../conversation-service.js';
import type { MessageWriter, PostMessage } from '../message-writer.js';
import { droppedError, type ContentGuard } from '../pci/content-guard.js';
import type { SettingsService } from '../settings-service.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import { parseInboundEmail, type InboundEmail } from './parse-inbound-email.js';
import { tokenOfAddress } from './reply-address.js';

export type InboundOutcome =
  | { readonly outcome: 'created'; readonly ticketId: string; readonly conversationId: string }
  | { readonly outcome: 'replied'; readonly ticketId: string; readonly conversationId: string }
  | {
      readonly outcome: 'followed_up';
      readonly ticketId: string;
      readonly conversationId: string;
      readonly previousTicketId: string;
    }
  | { readonly outcome: 'duplicate'; readonly ticketId: string }
  | { readonly outcome: 'ignored'; readonly reason: string };

export interface InboundEnvelope {
  /** RCPT TO of the SMTP session (empty from the relay endpoint: the headers say). */
  readonly recipients: readonly string[];
  /** MAIL FROM:<> — a bounce. */
  readonly returnPathEmpty?: boolean;
}

export interface EmailInboundOptions {
  readonly replyDomain: string;
  readonly maxBytes: number;
  /** The relay endpoint's shared secret (EMAIL_INBOUND_SECRET). */
  readonly inboundSecret?: string | undefined;
}

/** Attachments discarded on the way in (card data, a refused type), told to staff in a note. */
interface Discarded {
  readonly fileName: string;
  readonly reason: string;
}

const SUBJECT_MAX = 250;

/**
 * One use case for every email that comes in (the SMTP listener and the relay endpoint):
 * auto-replies and bounces are ignored; a redelivered Message-ID is stored once; a reply (its
 * ticket's reply token in a recipient, or In-Reply-To/References naming an email of the thread)
 * lands on its ticket — reopening it when Solved, or opening a follow-up when Closed; anything
 * else opens a ticket on the email channel for the sender (found or created by address). The
 * text goes through MessageWriter, so the card-data guard applies as at every ingress; files go
 * through AttachmentService (type from content, size, card-data scan).
 */
export class EmailInbound {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: {
      readonly conversations: ConversationService;
      readonly messages: MessageWriter;
      readonly attachments: AttachmentService;
      readonly guard: ContentGuard;
      readonly settings: SettingsService;
    },
    readonly options: EmailInboundOptions,
  ) {}

  async receive(raw: Buffer, envelope: InboundEnvelope): Promise<InboundOutcome> {
    const email = await parseInboundEmail(raw, envelope, { maxBytes: this.options.maxBytes });
    if (email.automated) return { outcome: 'ignored', reason: email.automated };
    const db = this.ctx.database.db;
    if (email.messageId) {
      const known = await findTicketOfMessageIds(db, [email.messageId]);
      if (known?.direction === 'out')
        return { outcome: 'ignored', reason: 'one of our own emails came back' };
      if (known) return { outcome: 'duplicate', ticketId: known.ticketId };
    }
    const target = await this.ticketOf(email);
    // Card data: in drop mode the whole email is refused before anything is stored.
    const policy = await this.deps.guard.policy();
    const body = bodyOf(email);
    const inspected = this.deps.guard.inspect(body, policy);
    if (inspected.action === 'dropped') throw droppedError(inspected.counts, 'body');

    if (target && target.status !== 'closed') {
      await this.post(email, body, target.conversationId, target.endUserId, target.id);
      return { outcome: 'replied', ticketId: target.id, conversationId: target.conversationId };
    }
    const opened = await this.open(email, body, target);
    if (opened.duplicateOf) return { outcome: 'duplicate', ticketId: opened.duplicateOf };
    return target
      ? {
          outcome: 'followed_up',
          ticketId: opened.ticketId,
          conversationId: opened.conversationId,
          previousTicketId: target.id,
        }
      : { outcome: 'created', ticketId: opened.ticketId, conversationId: opened.conversationId };
  }

  /** Refuses a reply address of ours whose token no ticket has (at RCPT TO, before the data). */
  async checkRecipient(address: string): Promise<void> {
    const found = tokenOfAddress(address.toLowerCase(), this.options.replyDomain);
    if (found.kind === 'none') return;
    const ticketId =
      found.kind === 'token'
        ? await findTicketByReplyToken(this.ctx.database.db, found.token)
        : null;
    if (!ticketId)
      throw new DomainError(
        'email/unknown-recipient',
        `No ticket has the reply address ${address}`,
        'to',
      );
  }

  /** The ticket an email answers, by reply token first, then by the Message-IDs it names. */
  private async ticketOf(email: InboundEmail) {
    const db = this.ctx.database.db;
    for (const recipient of email.recipients) {
      const found = tokenOfAddress(recipient, this.options.replyDomain);
      if (found.kind === 'none') continue;
      const ticketId =
        found.kind === 'token' ? await findTicketByReplyToken(db, found.token) : null;
      if (!ticketId)
        throw new DomainError(
          'email/unknown-recipient',
          `No ticket has the reply address ${recipient}`,
          'to',
        );
      return getTicketForEmail(db, ticketId);
    }
    const thread = await findTicketOfMessageIds(db, email.answers);
    return thread ? getTicketForEmail(db, thread.ticketId) : null;
  }

  /**
   * A new email conversation, its ticket and the email as its first message (with its files), for
   * the sender (or the closed ticket's requester), all in one transaction: if any step fails
   * nothing is kept (files stored on the way are removed), so a redelivery starts afresh.
   */
  private async open(
    email: InboundEmail,
    body: string,
    closed: { readonly id: string; readonly number: number; readonly endUserId: string } | null,
  ) {
    const { database, clock, newId } = this.ctx;
    const at = clock.now();
    const subject = email.subject.slice(0, SUBJECT_MAX) || null;
    const signals: FeedSignal[] = [];
    const afterCommit: (() => Promise<void>)[] = [];
    const files: AttachmentTx['storageKeys'] = [];
    let created;
    try {
      created = await database.db.transaction().execute(async (trx) => {
        // Two deliveries of the same new email at once: the second waits here, then finds the first.
        if (email.messageId) {
          await lockEmailMessageId(trx, email.messageId);
          const known = await findTicketOfMessageIds(trx, [email.messageId]);
          if (known) return { duplicateOf: known.ticketId } as const;
        }
        const requester =
          closed?.endUserId ??
          (await findOrCreateEndUserByEmail(trx, {
            id: newId(),
            email: email.from,
            // A display name is text from outside like any other: card data masked.
            name: email.fromName
              ? this.deps.guard.mask(email.fromName, await this.deps.guard.policy(trx)).text
              : null,
            at,
          }));
        const conversation: Conversation = {
          id: newId(),
          endUserId: requester,
          channel: 'email',
          state: 'open',
          ticketId: null,
          createdAt: at,
          closedAt: null,
        };
        await insertConversation(trx, conversation, null, at);
        const handed = await this.deps.conversations.handOffInTx(trx, {
          conversationId: conversation.id,
          input: { subject, groupId: await this.deps.settings.emailGroup(trx) },
          actor: { type: 'end_user', id: requester },
          principal: null,
          source: 'contact',
        });
        signals.push(...handed.signals);
        afterCommit.push(handed.afterCommit);
        const write = async (request: PostMessage) => {
          const written = await this.deps.messages.postInTx(trx, request);
          signals.push(...written.signals);
          afterCommit.push(written.afterCommit);
        };
        if (closed) {
          await write({
            actor: { type: 'system', reason: 'email' },
            conversationId: conversation.id,
            kind: 'internal',
            body: `Follow-up by email to ticket #${closed.number}, which is closed.`,
            clientMessageId: `email-follow-up:${closed.id}`,
          });
        }
        const { attachmentIds, discarded } = await this.upload(email, conversation, {
          trx,
          signals,
          storageKeys: files,
        });
        for (const request of messagesOf(email, body, conversation, attachmentIds, discarded))
          await write(request);
        if (email.messageId) {
          await recordEmailMessageId(trx, {
            messageId: email.messageId,
            ticketId: handed.result.id,
            direction: 'in',
            at,
          });
        }
        return { ticketId: handed.result.id, conversation, duplicateOf: null };
      });
    } catch (error) {
      await this.deps.attachments.forgetFiles(files);
      throw error;
    }
    if (created.duplicateOf !== null)
      return { duplicateOf: created.duplicateOf, ticketId: '', conversationId: '' };
    await publishFeed(this.ctx.bus, signals).catch(() => undefined);
    for (const fn of afterCommit) {
      await fn().catch((err: unknown) =>
        this.ctx.logger.warn({ err }, 'a step after an email ticket was created failed'),
      );
    }
    return {
      duplicateOf: null,
      ticketId: created.ticketId,
      conversationId: created.conversation.id,
    };
  }

  /** The email's files, stored (or discarded with the reason), in a transaction when given. */
  private async upload(
    email: InboundEmail,
    conversation: { readonly id: string; readonly endUserId: string },
    inTx?: AttachmentTx,
  ) {
    const principal = { kind: 'end_user' as const, id: conversation.endUserId };
    const attachmentIds: string[] = [];
    const discarded: Discarded[] = [];
    for (const file of email.attachments) {
      try {
        const stored = await this.deps.attachments.upload(
          principal as Parameters<AttachmentService['upload']>[0],
          conversation.id,
          file,
          inTx,
        );
        attachmentIds.push(stored.id);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        discarded.push({ fileName: file.fileName, reason: error.message });
      }
    }
    return { attachmentIds, discarded };
  }

  /** The email as the customer's message (stored once per Message-ID), with its files. */
  private async post(
    email: InboundEmail,
    body: string,
    conversationId: string,
    endUserId: string,
    ticketId: string,
  ): Promise<void> {
    const conversation = { id: conversationId, endUserId };
    const { attachmentIds, discarded } = await this.upload(email, conversation);
    for (const request of messagesOf(email, body, conversation, attachmentIds, discarded))
      await this.deps.messages.post(request);
    if (email.messageId) {
      await recordEmailMessageId(this.ctx.database.db, {
        messageId: email.messageId,
        ticketId,
        direction: 'in',
        at: this.ctx.clock.now(),
      });
    }
  }
}

/** The customer's message, then (when files were not kept) a note for staff saying why. */
function messagesOf(
  email: InboundEmail,
  body: string,
  conversation: { readonly id: string; readonly endUserId: string },
  attachmentIds: readonly string[],
  discarded: readonly Discarded[],
): PostMessage[] {
  const messages: PostMessage[] = [
    {
      actor: { type: 'end_user', id: conversation.endUserId },
      conversationId: conversation.id,
      kind: 'public',
      channel: 'email',
      body,
      clientMessageId: clientIdOf(email),
      attachmentIds,
    },
  ];
  if (discarded.length > 0) {
    messages.push({
      actor: { type: 'system', reason: 'email' },
      conversationId: conversation.id,
      kind: 'internal',
      body: [
        `${discarded.length === 1 ? 'An attachment was' : `${discarded.length} attachments were`} not kept:`,
        ...discarded.map((d) => `- ${d.reason}`),
      ].join('\n'),
      clientMessageId: `${clientIdOf(email)}:discarded`,
    });
  }
  return messages;
}

const TRUNCATED = '\n[…the rest of this email was cut off]';

/** The message's text: the email's new text (cut to a message's length), or its subject. */
function bodyOf(email: InboundEmail): string {
  const full = email.text.trim();
  const text =
    full.length > MAX_MESSAGE_LENGTH
      ? full.slice(0, MAX_MESSAGE_LENGTH - TRUNCATED.length) + TRUNCATED
      : full;
  if (text !== '') return text;
  if (email.attachments.length > 0) return email.subject ? `[${email.subject}]` : '';
  return email.subject || '(empty email)';
}

/** A redelivery has the same Message-ID, so the same client id: the writer stores it once. */
function clientIdOf(email: InboundEmail): string | null {
  if (!email.messageId) return null;
  return `email:${createHash('sha256').update(email.messageId).digest('base64url').slice(0, 32)}`;
}
