import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  migrate,
  type Database,
} from '@parlour/storage';
import { loadConfig } from '../../packages/server/src/config.js';
import { createLogger } from '../../packages/server/src/logging/create-logger.js';
import { createServer } from '../../packages/server/src/server.js';
import { signWebhook } from '../../packages/server/src/services/outbound/webhook-signature.js';
import { seedDemo } from '../../packages/server/src/seed-demo.js';
import type { Benchmark, BenchmarkOptions, Metrics } from '../benchmark.js';
import { onInterrupt } from '../cleanup.js';
import { adminUrl, createScratchDatabase } from '../message-path/postgres-database.js';

export interface ApiInboundOptions {
  readonly quick?: boolean;
  readonly log?: (line: string) => void;
  /**
   * A running Parlour server (e.g. http://127.0.0.1:3000) with an admin account; without it one
   * is started here, on a scratch PostgreSQL database when reachable, else PGlite. A given server
   * needs its rate limits raised (RATE_LIMIT_IP_PER_MIN=0, RATE_LIMIT_TOKEN_PER_MIN=0).
   */
  readonly baseUrl?: string;
  readonly adminEmail?: string;
  readonly adminPassword?: string;
  /** Messages per measurement (default 2000, quick 300) and requests in flight (default 8). */
  readonly messages?: number;
  readonly concurrency?: number;
}

interface Load {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

/**
 * `api_inbound_per_s`: signed inbound messages (HMAC, Idempotency-Key) over HTTP on loopback,
 * each answered once its message is stored (a new contact's first message also opens and routes
 * a ticket); 50 contacts, so most messages land on an open conversation. The baseline, in the
 * same run and on the same server: the widget's customer messages (`POST /api/widget/messages`),
 * the same message writer without signature, replay and idempotency checks.
 */
export async function measureApiInbound(options: ApiInboundOptions = {}): Promise<Metrics> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const count = options.messages ?? (options.quick ? 300 : 2_000);
  const concurrency = options.concurrency ?? 8;
  const own = options.baseUrl ? null : await startOwnServer(log);
  const baseUrl = options.baseUrl ?? own!.baseUrl;
  try {
    const admin = await login(
      baseUrl,
      options.adminEmail ?? 'admin@parlour.example',
      options.adminPassword ?? 'parlour-admin',
    );
    const created = await json(baseUrl, 'POST', '/api/channels/api/inboxes', admin, {
      name: `bench ${randomUUID().slice(0, 8)}`,
      webhookUrl: 'http://127.0.0.1:9/unused',
    });
    const { inbox, secret } = created as { inbox: { id: string }; secret: string };
    const run = randomUUID().slice(0, 8);
    const contacts = Array.from({ length: 50 }, (_, i) => `bench-${run}-${i}`);
    let sent = 0;
    const apiMessage = async () => {
      const n = sent++;
      const body = JSON.stringify({
        contact: { id: contacts[n % contacts.length], name: `Contact ${n % contacts.length}` },
        text: `Message ${n}: where is my order?`,
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(`${baseUrl}/api/channels/api/${inbox.id}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `${run}-${n}`,
          'x-parlour-timestamp': String(timestamp),
          'x-parlour-signature': signWebhook(secret, timestamp, body),
        },
        body,
      });
      await response.arrayBuffer();
      return response.status === 201;
    };
    const visitors = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const r = (await json(baseUrl, 'POST', '/api/widget/session', null, {})) as {
          token: string;
        };
        return r.token;
      }),
    );
    let posted = 0;
    const widgetMessage = async () => {
      const n = posted++;
      const response = await fetch(`${baseUrl}/api/widget/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${visitors[n % visitors.length]}`,
        },
        body: JSON.stringify({ body: `Message ${n}: where is my order?` }),
      });
      await response.arrayBuffer();
      return response.status === 200 || response.status === 201;
    };
    // Warm-up: JIT, pool, caches; every contact and visitor gets its conversation.
    await load(apiMessage, Math.min(100, count), concurrency);
    await load(widgetMessage, Math.min(100, count), concurrency);
    const baseline = await load(widgetMessage, count, concurrency);
    log(`baseline widget messages: ${baseline.perSecond}/s, p99 ${baseline.p99} ms`);
    const api = await load(apiMessage, count, concurrency);
    log(
      `api channel inbound: ${api.perSecond}/s, p99 ${api.p99} ms, failed ${api.failed} (signed, idempotent)`,
    );
    return {
      api_inbound_per_s: api.perSecond,
      api_inbound_p50_ms: api.p50,
      api_inbound_p99_ms: api.p99,
      api_inbound_failed: api.failed,
      baseline_widget_messages_per_s: baseline.perSecond,
      baseline_widget_p99_ms: baseline.p99,
    };
  } finally {
    await own?.close();
  }
}

async function load(send: () => Promise<boolean>, count: number, concurrency: number) {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const start = performance.now();
        if (!(await send())) failed++;
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) /
    10;
  return {
    perSecond: Math.round(count / seconds),
    p50: at(0.5),
    p99: at(0.99),
    failed,
  } satisfies Load;
}

async function json(
  baseUrl: string,
  method: 'POST' | 'GET',
  path: string,
  token: string | null,
  body: unknown,
): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const r = (await json(baseUrl, 'POST', '/api/auth/login', null, { email, password })) as {
    token: string;
  };
  return r.token;
}

/** A Parlour server of its own on loopback, with the demo accounts and no rate limits. */
async function startOwnServer(log: (line: string) => void) {
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || adminUrl(),
  );
  let database: Database;
  let drop: () => Promise<void>;
  if (scratch) {
    const offCleanUp = onInterrupt(() => scratch.drop());
    database = createPostgresDatabase({ url: scratch.url, maxConnections: 8 });
    drop = async () => {
      offCleanUp();
      await scratch.drop();
    };
    log('api-inbound: PostgreSQL scratch database');
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'parlour-bench-api-'));
    database = await createPgliteDatabase({ dataDir: join(dir, 'pglite') });
    drop = () => rm(dir, { recursive: true, force: true });
    log('api-inbound: PostgreSQL is not reachable: PGlite in a temporary directory');
  }
  await migrate(database);
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    PARLOUR_DEMO: 'true',
    PARLOUR_DEMO_BOT: 'false',
    RATE_LIMIT_IP_PER_MIN: '0',
    RATE_LIMIT_TOKEN_PER_MIN: '0',
  });
  const server = await createServer(config, {
    database,
    logger: createLogger({ level: 'silent' }),
  });
  await seedDemo(database, server.services, { bot: false });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      await database.close();
      await drop();
    },
  };
}

/** `npm run bench -- api-inbound [--quick] [--base-url=http://host:port]` on its own. */
export const apiInbound: Benchmark = {
  async run({ quick, args, log }: BenchmarkOptions): Promise<Metrics> {
    const baseUrl = args.find((a) => a.startsWith('--base-url='))?.slice('--base-url='.length);
    const unknown = args.filter((a) => !a.startsWith('--base-url='));
    if (unknown.length > 0) throw new Error(`api-inbound: unknown options ${unknown.join(' ')}`);
    return measureApiInbound({ quick, log, ...(baseUrl ? { baseUrl } : {}) });
  },
};
