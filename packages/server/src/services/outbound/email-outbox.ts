import { DomainError } from '@parlour/core';
import { insertOutboundEmail, type Db, type OutboundEmailKind } from '@parlour/storage';
import type { ServiceContext } from '../context.js';

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

/** Whether `enqueue` takes this address (check first: a refused email throws, failing the caller's transaction). */
export function isEmailAddress(address: string): boolean {
  const to = address.trim();
  return to.length <= 254 && ADDRESS.test(to);
}

/**
 * The transactional outbox of email: a message is queued in the caller's transaction (with the
 * ticket change that caused it), so it is sent if and only if that change commits. Delivery over
 * SMTP reads the unsent rows (storage listUnsentEmails) — the email issue builds that sender.
 */
export class EmailOutbox {
  constructor(private readonly ctx: Pick<ServiceContext, 'newId'>) {}

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
    await insertOutboundEmail(trx, {
      id,
      ticketId: email.ticketId,
      to,
      subject: subject.slice(0, SUBJECT_MAX),
      text: email.text,
      kind: email.kind,
      createdAt: email.at,
    });
    return id;
  }
}
