import { DomainError } from '@parlour/core';
import {
  ensureEmailThread,
  insertOutboundEmail,
  listThreadMessageIds,
  recordEmailMessageId,
  type Db,
  type EmailThreading,
  type OutboundEmailKind,
} from '@parlour/storage';
import type { ServiceContext } from '../context.js';
import { makeReplyToken, replyAddress } from '../email/reply-address.js';

export interface OutboundEmail {
  readonly ticketId: string | null;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly kind: OutboundEmailKind;
  readonly at: Date;
}

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
const SUBJECT_MAX = 250;
/** How many earlier Message-IDs of the thread an email's References name (the newest). */
const REFERENCES_MAX = 20;

/** Whether `enqueue` takes this address (check first: a refused email throws, failing the caller's transaction). */
export function isEmailAddress(address: string): boolean {
  const to = address.trim();
  return to.length <= 254 && ADDRESS.test(to);
}

/**
 * The transactional outbox of email: a message is queued in the caller's transaction (with the
 * ticket change that caused it), so it is sent if and only if that change commits. Delivery over
 * SMTP claims the due rows (services/email/email-sender.ts).
 *
 * An email about a ticket is threaded when queued: its own Message-ID (stored with the thread's
 * ids, so a reply quoting it finds the ticket), In-Reply-To and References naming the thread's
 * latest emails, and Reply-To the ticket's reply address (reply+<token>@EMAIL_REPLY_DOMAIN).
 */
export class EmailOutbox {
  private readonly domain: string;

  constructor(
    private readonly ctx: Pick<ServiceContext, 'newId'>,
    options: { replyDomain?: string } = {},
  ) {
    this.domain = options.replyDomain ?? 'parlour.invalid';
  }

  /** Queues one email; returns its id. The caller holds `trx` (and the conversation's lock). */
  async enqueue(trx: Db, email: OutboundEmail): Promise<string> {
    const to = email.to.trim();
    if (!isEmailAddress(to))
      throw new DomainError('validation/invalid', `"${to}" is not an email address`, 'to');
    // A line break in a header would let the text write headers of its own.
    const subject = email.subject.replace(/[\r\n]+/g, ' ').trim();
    if (subject === '')
      throw new DomainError('validation/invalid', 'An email needs a subject', 'subject');
    const id = this.ctx.newId();
    const threading = email.ticketId ? await this.thread(trx, id, email.ticketId, email.at) : null;
    await insertOutboundEmail(trx, {
      id,
      ticketId: email.ticketId,
      to,
      subject: subject.slice(0, SUBJECT_MAX),
      text: email.text,
      kind: email.kind,
      createdAt: email.at,
      threading,
    });
    return id;
  }

  private async thread(trx: Db, id: string, ticketId: string, at: Date): Promise<EmailThreading> {
    const token = await ensureEmailThread(trx, ticketId, makeReplyToken, at);
    const earlier = await listThreadMessageIds(trx, ticketId, REFERENCES_MAX);
    const messageId = `<${id}@${this.domain}>`;
    await recordEmailMessageId(trx, { messageId, ticketId, direction: 'out', at });
    return {
      messageId,
      inReplyTo: earlier.at(-1) ?? null,
      references: earlier.length > 0 ? earlier.join(' ') : null,
      replyTo: replyAddress(token, this.domain),
    };
  }
}
