import nodemailer from 'nodemailer';
import type { EmailConfig } from '../../config.js';
import { MailerError, type Mailer, type OutgoingMail } from './mailer.js';

type SmtpConfig = NonNullable<EmailConfig['smtp']>;

/** The mail port over SMTP (nodemailer): a pooled connection to the configured relay. */
export function createSmtpMailer(smtp: SmtpConfig, options: { timeoutMs?: number } = {}): Mailer {
  const timeout = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireStartTls,
    pool: true,
    maxConnections: 4,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
  });
  return {
    async send(mail: OutgoingMail) {
      try {
        await transport.sendMail({
          from: mail.from,
          to: mail.to,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
          messageId: mail.messageId,
          ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
          ...(mail.references ? { references: mail.references } : {}),
          headers: { ...mail.headers },
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const message = error instanceof Error ? error.message : String(error);
        throw new MailerError(message, code !== undefined && code >= 500 && code < 600);
      }
    },
    async close() {
      transport.close();
    },
  };
}
