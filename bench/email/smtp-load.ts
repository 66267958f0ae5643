import nodemailer from 'nodemailer';
import { summarize } from '../message-path/percentiles.js';

export interface SmtpLoadResult {
  readonly emails_per_s: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly refused: number;
}

/**
 * Sends `emails` over SMTP to 127.0.0.1:`port` from `connections` senders on pooled connections;
 * each email's latency is from handing it to the client to the server's final answer to DATA
 * (Parlour answers 250 only once the ticket and message are stored).
 */
export async function smtpLoad(
  port: number,
  emails: readonly { from: string; to: string; raw: string }[],
  connections: number,
): Promise<SmtpLoadResult> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
  });
  const latencies: number[] = [];
  let refused = 0;
  const began = performance.now();
  let next = 0;
  // Closed loop: `connections` senders, each with one email in flight, so latency is service time.
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < emails.length) {
        const e = emails[next++]!;
        const start = performance.now();
        try {
          await transport.sendMail({ envelope: { from: e.from, to: [e.to] }, raw: e.raw });
          latencies.push(performance.now() - start);
        } catch {
          refused++;
        }
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  transport.close();
  const summary = summarize(latencies);
  return {
    emails_per_s: Math.round(latencies.length / seconds),
    p50_ms: Number(summary.p50.toFixed(2)),
    p99_ms: Number(summary.p99.toFixed(2)),
    refused,
  };
}

let sequence = 0;

/** A customer's first email (a new ticket each), plain text, about 1 kB. */
export function customerEmail(run: string, to: string): { from: string; to: string; raw: string } {
  const n = ++sequence;
  const from = `customer${n}@bench.example`;
  return {
    from,
    to,
    raw: [
      `From: Customer ${n} <${from}>`,
      `To: ${to}`,
      `Subject: Order ${10_000 + n} has not arrived`,
      `Message-ID: <bench-${run}-${n}@bench.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Hello, my order ${10_000 + n} has not arrived yet. `.repeat(16),
      '',
      'On Mon, 23 Nov 2026, Support wrote:',
      '> an earlier message',
      '',
    ].join('\r\n'),
  };
}
