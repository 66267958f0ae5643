import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  migrate,
  type Database,
} from '@parlour/storage';
import { loadConfig } from '../../packages/server/src/config.js';
import { createLogger } from '../../packages/server/src/logging/create-logger.js';
import { createServer } from '../../packages/server/src/server.js';
import type { Benchmark, BenchmarkOptions, Metrics } from '../benchmark.js';
import { onInterrupt } from '../cleanup.js';
import { adminUrl, createScratchDatabase } from '../message-path/postgres-database.js';
import { measureApiInbound } from './api-inbound.js';
import { customerEmail, smtpLoad } from './smtp-load.js';

const DOMAIN = 'bench.parlour.test';

/** A plain smtp-server on loopback that reads each email and answers 250, storing nothing. */
async function startBaselineSmtp(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => callback());
    },
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    }),
  );
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** PostgreSQL (a scratch database) when reachable, else PGlite in a temporary directory. */
async function openBenchDatabase(log: (line: string) => void) {
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || adminUrl(),
  );
  if (scratch) {
    const offCleanUp = onInterrupt(() => scratch.drop());
    const database: Database = createPostgresDatabase({ url: scratch.url, maxConnections: 8 });
    await migrate(database);
    log(`email: PostgreSQL scratch database`);
    return {
      kind: 'postgres',
      database,
      async drop() {
        await database.close();
        offCleanUp();
        await scratch.drop();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'parlour-bench-email-'));
  const database = await createPgliteDatabase({ dataDir: join(dir, 'pglite') });
  await migrate(database);
  log('email: PostgreSQL is not reachable: PGlite in a temporary directory');
  return {
    kind: 'pglite',
    database,
    async drop() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * email: customers' first emails over SMTP on loopback into Parlour's listener, each answered 250
 * only once its ticket and message are stored (`inbound_emails_per_s`, `inbound_p99_ms`); the
 * same emails through the relay endpoint in process (`inbound_http_emails_per_s`); and the
 * baseline, a plain smtp-server that reads each email and stores nothing, under the same load.
 */
export const email: Benchmark = {
  async run({ quick, args, log }: BenchmarkOptions): Promise<Metrics> {
    if (args.length > 0) throw new Error(`email: unknown options ${args.join(' ')}`);
    const count = quick ? 300 : 2_000;
    const connections = 8;
    const run = randomUUID().slice(0, 8);
    const opened = await openBenchDatabase(log);
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLOUR_DEMO: 'false',
      SMTP_LISTEN_PORT: '0',
      EMAIL_REPLY_DOMAIN: DOMAIN,
      EMAIL_INBOUND_SECRET: 'bench-secret',
    });
    const server = await createServer(config, {
      database: opened.database,
      logger: createLogger({ level: 'silent' }),
    });
    const baseline = await startBaselineSmtp();
    try {
      const to = `support@${DOMAIN}`;
      const batch = (n: number) => Array.from({ length: n }, () => customerEmail(run, to));
      // Warm-up: JIT, pool, caches.
      await smtpLoad(server.smtpPort!, batch(Math.min(100, count)), connections);
      await smtpLoad(baseline.port, batch(100), connections);

      const base = await smtpLoad(baseline.port, batch(count), connections);
      log(`baseline smtp-server: ${base.emails_per_s} emails/s, p99 ${base.p99_ms} ms`);
      const parlour = await smtpLoad(server.smtpPort!, batch(count), connections);
      log(
        `parlour smtp: ${parlour.emails_per_s} emails/s, p99 ${parlour.p99_ms} ms, refused ${parlour.refused}`,
      );

      const viaHttp = batch(quick ? 200 : 1_000);
      const began = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < viaHttp.length) {
            const e = viaHttp[next++]!;
            await server.app.inject({
              method: 'POST',
              url: '/api/email/inbound',
              headers: {
                'content-type': 'message/rfc822',
                'x-parlour-email-secret': 'bench-secret',
              },
              payload: e.raw,
            });
          }
        }),
      );
      const httpRate = Math.round(viaHttp.length / ((performance.now() - began) / 1000));
      log(`parlour relay endpoint (in process): ${httpRate} emails/s`);

      // The API channel's figures (bench/email/api-inbound.ts, from the API-channel work).
      const api = await measureApiInbound({ quick, log });

      return {
        inbound_emails_per_s: parlour.emails_per_s,
        inbound_p50_ms: parlour.p50_ms,
        inbound_p99_ms: parlour.p99_ms,
        inbound_refused: parlour.refused,
        inbound_http_emails_per_s: httpRate,
        baseline_smtp_emails_per_s: base.emails_per_s,
        baseline_smtp_p99_ms: base.p99_ms,
        ...api,
        database_postgres: opened.kind === 'postgres' ? 1 : 0,
      };
    } finally {
      await baseline.close();
      await server.close();
      await opened.drop();
    }
  },
};
