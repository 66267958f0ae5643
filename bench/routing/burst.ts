import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from '@parlour/storage';
import pg from 'pg';
import { auditRouting, violationCount } from '../../packages/server/src/testing/routing-audit.js';
import { onInterrupt } from '../cleanup.js';
import { DEMO_AGENTS } from '../message-path/parlour-fixture.js';
import { adminUrl, createScratchDatabase } from '../message-path/postgres-database.js';
import { startParlour } from '../message-path/start-server.js';
import { insertAgents, insertQueuedTickets } from './burst-population.js';

export interface BurstOptions {
  readonly agents: number;
  readonly tickets: number;
  /** Give up waiting for the last offers after this long (the rate is then what was offered). */
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

export interface BurstMetrics {
  /** Queued tickets offered per second, from the burst's commit to the last pending offer. */
  readonly burst_routed_per_s: number;
  /** Invariant breaches found by SQL afterwards (-1: not measured). */
  readonly violations: number;
}

const TEAM_SIZE = 200;
const CAPACITY = 2;

/**
 * The end-to-end half of the routing benchmark: the Parlour server (a child process) on a scratch
 * PostgreSQL database with `agents` Available agents in teams; `tickets` queued tickets appear at
 * once (one commit), a status change kicks the drain, and the clock runs until every ticket has
 * its pending offer. Then the routing invariants are audited in SQL. -1 for both when PostgreSQL
 * is not reachable.
 */
export async function measureBurst(options: BurstOptions): Promise<BurstMetrics> {
  const { log } = options;
  const url = adminUrl();
  const scratch = await createScratchDatabase(url);
  if (!scratch) {
    log('routing burst: PostgreSQL is not reachable (set BENCH_DATABASE_URL): metrics are -1');
    return { burst_routed_per_s: -1, violations: -1 };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'parlour-bench-routing-'));
  const cleanUp = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await scratch.drop();
  };
  const offCleanUp = onInterrupt(cleanUp);
  try {
    log(`routing burst: scratch database ${scratch.name}`);
    const server = await startParlour('parlour-routing', { databaseUrl: scratch.url, dataDir });
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await insertAgents(client, {
        agents: options.agents,
        teamSize: TEAM_SIZE,
        capacity: CAPACITY,
      });
      log(`routing burst: ${options.agents} agents Available, capacity ${CAPACITY} each`);
      const kicker = await login(server.baseUrl);

      const started = performance.now();
      await insertQueuedTickets(client, options.tickets);
      // Any change that can free a slot drains the queue; this one is cheap and lands at once.
      await kick(server.baseUrl, kicker);
      const offered = await waitForOffers(client, options.tickets, options.timeoutMs);
      const seconds = (performance.now() - started) / 1000;
      const rate = offered / seconds;
      log(
        `routing burst: ${offered} of ${options.tickets} tickets offered in ${seconds.toFixed(2)} s (${Math.round(rate)}/s)`,
      );

      const database = createPostgresDatabase({ url: scratch.url, maxConnections: 2 });
      try {
        const found = await auditRouting(database.db, new Date());
        const count = violationCount(found);
        log(
          `routing burst: ${count} violations${count > 0 ? ` ${JSON.stringify(found).slice(0, 500)}` : ''}`,
        );
        return { burst_routed_per_s: Math.round(rate), violations: count };
      } finally {
        await database.close();
      }
    } finally {
      await client.end();
      await server.stop();
    }
  } finally {
    offCleanUp();
    await cleanUp();
  }
}

async function login(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_AGENTS[0]),
  });
  if (!response.ok) throw new Error(`login answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

async function kick(baseUrl: string, token: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/agents/me/status`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ status: 'available' }),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`status change answered ${response.status}`);
}

/** Polls the pending offers until `expected` (or the timeout); returns how many there were. */
async function waitForOffers(client: pg.Client, expected: number, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM offers WHERE status = 'pending'`,
    );
    const n = rows[0]?.n ?? 0;
    if (n >= expected || performance.now() > deadline) return n;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
