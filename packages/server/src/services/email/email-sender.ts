import {
  claimDueEmails,
  listDeadEmails,
  markEmailSent,
  recordEmailFailure,
  retryDeadEmail,
  type StoredOutboundEmail,
} from '@parlour/storage';
import { DomainError } from '@parlour/core';
import type { ServiceContext } from '../context.js';
import { renderEmail } from './email-templates.js';
import { MailerError, type Mailer, type OutgoingMail } from './mailer.js';

export interface EmailSenderOptions {
  /** The From of every email. */
  readonly from: string;
  /** Tries before an email is dead (default 8). */
  readonly maxAttempts?: number;
  /** How long a claimed email is held; a crash mid-send retries after it (default 5 min). */
  readonly leaseMs?: number;
  /** Emails claimed per round (default 50). */
  readonly batchSize?: number;
  /** How often due emails are looked for (default 1 s). */
  readonly pollMs?: number;
  /** How long one send may take (default 60 s). */
  readonly sendTimeoutMs?: number;
}

/** The wait after the n-th failed try: 1 min, 2, 4 … capped at six hours. */
export function emailRetryDelayMs(failures: number): number {
  return Math.min(60_000 * 2 ** Math.min(Math.max(0, failures - 1), 20), 6 * 60 * 60_000);
}

const ERROR_MAX = 500;

/**
 * Delivers the outbox (at least once): each round claims the due emails in one statement (their
 * next attempt moves a lease ahead, so a crash retries them and two processes never take the same
 * row), sends them in parallel outside any transaction, and records each outcome on its own row —
 * sent; another try after 1, 2, 4 … minutes; or dead after `maxAttempts` tries or a permanent
 * (5xx) refusal. One failing or slow email never holds another back. Without a mailer (no
 * SMTP_HOST) emails stay queued.
 */
export class EmailSender {
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly sendTimeoutMs: number;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<number> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly mailer: Mailer | null,
    private readonly options: EmailSenderOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.batchSize = options.batchSize ?? 50;
    this.pollMs = options.pollMs ?? 1_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  }

  start(): void {
    if (!this.mailer || this.timer) return;
    this.timer = setInterval(
      () =>
        void this.deliverDue().catch((err: unknown) =>
          this.ctx.logger.error({ err }, 'email delivery round failed'),
        ),
      this.pollMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round?.catch(() => 0);
    await this.mailer?.close();
  }

  /** One round: sends what is due; returns how many were sent. Overlapping calls share the round. */
  deliverDue(): Promise<number> {
    if (!this.mailer) return Promise.resolve(0);
    this.round ??= this.runRound(this.mailer).finally(() => {
      this.round = null;
    });
    return this.round;
  }

  /** Rounds until nothing is due (tests and the benchmark). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.deliverDue();
      total += sent;
      if (sent === 0) return total;
    }
  }

  async listDead(limit = 100): Promise<StoredOutboundEmail[]> {
    return listDeadEmails(this.ctx.database.db, limit);
  }

  /** A dead email goes back to the queue with a fresh round of tries. */
  async retry(id: string): Promise<void> {
    if (!(await retryDeadEmail(this.ctx.database.db, id, this.ctx.clock.now())))
      throw new DomainError('not-found', 'No such dead email', 'emailId');
  }

  private async runRound(mailer: Mailer): Promise<number> {
    const { database, clock } = this.ctx;
    const now = clock.now();
    const claimed = await claimDueEmails(
      database.db,
      now,
      new Date(now.getTime() + this.leaseMs),
      this.batchSize,
    );
    const outcomes = await Promise.all(claimed.map((email) => this.sendOne(mailer, email)));
    return outcomes.filter(Boolean).length;
  }

  private async sendOne(mailer: Mailer, email: StoredOutboundEmail): Promise<boolean> {
    const db = this.ctx.database.db;
    try {
      await withTimeout(mailer.send(this.mailOf(email)), this.sendTimeoutMs);
      await markEmailSent(db, email.id, this.ctx.clock.now());
      return true;
    } catch (error) {
      const permanent = error instanceof MailerError && error.permanent;
      const failures = email.attempts + 1;
      const dead = permanent || failures >= this.maxAttempts;
      const message = (error instanceof Error ? error.message : String(error)).slice(0, ERROR_MAX);
      const retryAt = dead
        ? null
        : new Date(this.ctx.clock.now().getTime() + emailRetryDelayMs(failures));
      await recordEmailFailure(db, email.id, message, retryAt).catch((err: unknown) =>
        this.ctx.logger.error({ err, emailId: email.id }, 'recording an email failure failed'),
      );
      this.ctx.logger.warn(
        { emailId: email.id, attempts: failures, dead, err: message },
        dead ? 'email is dead' : 'email send failed; will retry',
      );
      return false;
    }
  }

  private mailOf(email: StoredOutboundEmail): OutgoingMail {
    const rendered = renderEmail(email.kind, email.text, null);
    const t = email.threading;
    return {
      from: this.options.from,
      to: email.to,
      replyTo: t?.replyTo ?? null,
      subject: email.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: t?.messageId ?? `<${email.id}@parlour.invalid>`,
      inReplyTo: t?.inReplyTo ?? null,
      references: t?.references ?? null,
      // Surveys and notifications are automatic: other systems must not auto-reply to them.
      headers: email.kind === 'reply' ? {} : { 'Auto-Submitted': 'auto-generated' },
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the send took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
