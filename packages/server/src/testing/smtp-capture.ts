import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

export interface CapturedEmail {
  readonly raw: string;
  readonly parsed: ParsedMail;
  readonly envelopeTo: readonly string[];
}

/** A real SMTP server on loopback that keeps what it receives (a stand-in for the relay). */
export async function startSmtpCapture() {
  const received: CapturedEmail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              raw: raw.toString('utf8'),
              parsed,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            });
            for (const w of waiters.splice(0)) w();
            callback();
          })
          .catch(callback);
      });
    },
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    }),
  );
  return {
    port,
    received,
    /** Resolves once `count` emails have arrived (or fails after `ms`). */
    async waitFor(count: number, ms = 5_000): Promise<CapturedEmail[]> {
      const deadline = Date.now() + ms;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} emails, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends one raw email over SMTP to a listener on loopback; resolves with the server's answer. */
export async function sendRawBySmtp(
  port: number,
  envelope: { from: string; to: string[] },
  raw: string | Buffer,
): Promise<{ ok: true; response: string } | { ok: false; code: number; message: string }> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { ok: true, response: info.response };
  } catch (error) {
    const e = error as { responseCode?: number; response?: string; message: string };
    return { ok: false, code: e.responseCode ?? 0, message: e.response ?? e.message };
  } finally {
    transport.close();
  }
}
