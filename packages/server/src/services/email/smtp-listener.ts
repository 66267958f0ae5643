import { isDomainError } from '@parlour/core';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { EmailInbound } from './email-inbound.js';

export interface SmtpListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBytes: number;
  readonly logger: Logger;
  /** The name in the greeting. */
  readonly name?: string;
}

export interface SmtpListener {
  /** Starts listening; resolves with the port (useful with port 0). */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** An SMTP reply for a refused email: permanent (5xx) with the reason, or 451 to try later. */
export function smtpErrorOf(error: unknown): Error & { responseCode: number } {
  let code = 451;
  let text = 'Temporary failure, please try again later';
  if (isDomainError(error)) {
    text = error.message;
    code =
      error.code === 'email/too-large'
        ? 552
        : error.code === 'email/unknown-recipient' || error.code === 'content/card-data'
          ? 550
          : 554;
  }
  return Object.assign(new Error(text.replace(/[\r\n]+/g, ' ')), { responseCode: code });
}

/**
 * Parlour's own SMTP listener (smtp-server): takes email for any address, with a size limit
 * (SIZE announced, larger data refused with 552), and hands each message to the inbound use case
 * before answering — 250 once it is stored (or deliberately ignored), 5xx with the reason when it
 * is refused, 451 when something unexpected failed (the sender tries again; the Message-ID makes
 * that safe). No AUTH: put it behind the MX or a relay, not on the open internet.
 */
export function createSmtpListener(
  inbound: EmailInbound,
  options: SmtpListenerOptions,
): SmtpListener {
  const server = new SMTPServer({
    name: options.name ?? 'parlour',
    banner: 'Parlour email channel',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      inbound
        .checkRecipient(address.address)
        .then(() => callback())
        .catch((error: unknown) => callback(smtpErrorOf(error)));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(
            Object.assign(new Error(`An email is at most ${options.maxBytes} bytes`), {
              responseCode: 552,
            }),
          );
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        inbound
          .receive(Buffer.concat(chunks), {
            recipients: session.envelope.rcptTo.map((r) => r.address),
            returnPathEmpty: mailFrom === false || mailFrom.address === '',
          })
          .then(() => callback())
          .catch((error: unknown) => {
            if (!isDomainError(error))
              options.logger.error({ err: error }, 'storing an inbound email failed');
            callback(smtpErrorOf(error));
          });
      });
    },
  });
  server.on('error', (err) => options.logger.warn({ err }, 'smtp listener error'));
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          const address = server.server.address();
          resolve(typeof address === 'object' && address ? address.port : options.port);
        });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
