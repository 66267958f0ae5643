/** One email as the sender hands it to the mailer: addresses, threading headers, both bodies. */
export interface OutgoingMail {
  readonly from: string;
  readonly to: string;
  readonly replyTo: string | null;
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly references: string | null;
  /** Extra headers (Auto-Submitted on automatic emails). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Why a send failed, and whether trying again can help (an SMTP 5xx cannot). */
export class MailerError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** The mail port: SMTP in production (smtp-mailer.ts), a recorder in tests. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}
