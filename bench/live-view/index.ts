import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus, ServerFrame } from '@parlour/protocol';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  migrate,
  type Database,
} from '@parlour/storage';
import WebSocket from 'ws';
import {
  applyUpdate,
  fromSnapshot,
  type ScreenModel,
} from '../../apps/agent/src/console/pages/live-view-model.js';
import { loadConfig } from '../../packages/server/src/config.js';
import { newId } from '../../packages/server/src/ids.js';
import { createLogger } from '../../packages/server/src/logging/create-logger.js';
import { seedDemo } from '../../packages/server/src/seed-demo.js';
import { createServer, type ParlourServer } from '../../packages/server/src/server.js';
import type { Benchmark, BenchmarkOptions, Metrics } from '../benchmark.js';
import { onInterrupt } from '../cleanup.js';
import { adminUrl, createScratchDatabase } from '../message-path/postgres-database.js';

export interface LiveViewOptions {
  /** Agents in the supervisor's group (each a row of the live view). */
  readonly agents: number;
  /** Status changes measured, one after the other. */
  readonly samples: number;
  /** Other agents' status changes per second meanwhile (the view coalesces them). */
  readonly churnPerS: number;
  readonly log: (line: string) => void;
}

export interface LiveViewFigures {
  /** From the status change committed (the use case returned) to the screen model showing it. */
  readonly live_view_update_p50_ms: number;
  readonly live_view_update_p99_ms: number;
  /** From calling the use case (its transaction included) to the screen model. */
  readonly live_view_end_to_end_p99_ms: number;
  /** The status change itself (its transaction), measured on the same changes. */
  readonly status_change_p99_ms: number;
  /** The baseline: one message published on the same bus and received by a subscriber. */
  readonly baseline_bus_round_trip_p99_ms: number;
  readonly live_view_agents: number;
  readonly live_view_frames_per_change: number;
  /** One read of the whole model (GET /api/live), the work each refresh does. */
  readonly model_read_p50_ms: number;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0 ? -1 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round = (n: number) => Math.round(n * 100) / 100;

/** PostgreSQL (a scratch database) when reachable, else PGlite in a temporary directory. */
async function openBenchDatabase(log: (line: string) => void) {
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || adminUrl(),
  );
  if (scratch) {
    const offCleanUp = onInterrupt(() => scratch.drop());
    const database: Database = createPostgresDatabase({ url: scratch.url, maxConnections: 8 });
    await migrate(database);
    log('live-view: PostgreSQL scratch database');
    return {
      database,
      async drop() {
        await database.close();
        offCleanUp();
        await scratch.drop();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'parlour-bench-live-'));
  const database = await createPgliteDatabase({ dataDir: join(dir, 'pglite') });
  await migrate(database);
  log('live-view: PostgreSQL is not reachable: PGlite in a temporary directory');
  return {
    database,
    async drop() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A group of `agents` agents (rows written directly: no passwords to hash) and its supervisor. */
async function seedGroup(
  server: ParlourServer,
  agents: number,
): Promise<{ agentIds: string[]; supervisorToken: string }> {
  const db = server.database.db;
  const now = new Date();
  const groupId = newId();
  await db
    .insertInto('groups')
    .values({ id: groupId, name: 'Live bench', created_at: now, updated_at: now })
    .execute();
  const agentIds = Array.from({ length: agents }, () => newId());
  const users = agentIds.map((id, i) => ({
    id,
    role: 'agent' as const,
    email: `live-${i}@bench.parlour.test`,
    name: `Agent ${String(i).padStart(5, '0')}`,
    password_hash: null,
    active: true,
    created_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < users.length; i += 500)
    await db
      .insertInto('users')
      .values(users.slice(i, i + 500))
      .execute();
  const { app } = server;
  const admin = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'admin@parlour.example', password: 'parlour-admin' },
  });
  const adminToken = (admin.json() as { token: string }).token;
  const created = await app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { authorization: `Bearer ${adminToken}` },
    payload: {
      role: 'supervisor',
      email: 'sue@bench.parlour.test',
      name: 'Sue Supervisor',
      password: 'bench-supervisor',
    },
  });
  const supervisorId = (created.json() as { id: string }).id;
  const members = [...agentIds, supervisorId].map((user_id) => ({ group_id: groupId, user_id }));
  for (let i = 0; i < members.length; i += 1000)
    await db
      .insertInto('group_members')
      .values(members.slice(i, i + 1000))
      .execute();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'sue@bench.parlour.test', password: 'bench-supervisor' },
  });
  return { agentIds, supervisorToken: (login.json() as { token: string }).token };
}

/** The supervisor's socket keeping the screen model, as the console page does. */
async function openLiveView(url: string, token: string) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
  let screen: ScreenModel | null = null;
  let frames = 0;
  let waiter: { ok: (s: ScreenModel) => boolean; resolve: () => void } | null = null;
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    if (frame.type === 'live.snapshot') screen = fromSnapshot(frame.model, Date.now());
    else if (frame.type === 'live.update') {
      frames++;
      screen = applyUpdate(screen, frame.update, Date.now());
    } else return;
    if (waiter && screen && waiter.ok(screen)) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'live.subscribe', ref: 'bench' }));
  return {
    get frames() {
      return frames;
    },
    /** Resolves once the screen model satisfies `ok` (at once if it already does). */
    until(ok: (s: ScreenModel) => boolean, timeoutMs = 10_000): Promise<void> {
      if (screen && ok(screen)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('the live view never showed it')),
          timeoutMs,
        );
        waiter = {
          ok,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
    close: () => ws.close(),
  };
}

/**
 * From an agent's status change (the use case called) until the supervisor's screen model (the
 * console's own pure model, fed by the socket) shows it, one change at a time while other agents
 * change status in the background; beside it, in the same run, a bare bus round trip.
 */
export async function measureLiveView(options: LiveViewOptions): Promise<LiveViewFigures> {
  const { log } = options;
  const opened = await openBenchDatabase(log);
  const server = await createServer(
    loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PARLOUR_DEMO: 'false' }),
    { database: opened.database, logger: createLogger({ level: 'silent' }) },
  );
  let view: Awaited<ReturnType<typeof openLiveView>> | null = null;
  let churn: NodeJS.Timeout | null = null;
  try {
    await seedDemo(opened.database, server.services);
    const { agentIds, supervisorToken } = await seedGroup(server, options.agents);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    log(`live-view: ${options.agents} agents in the supervisor's group`);

    // Baseline: publish → a subscriber on the same bus.
    const rtt: number[] = [];
    let arrived: (() => void) | null = null;
    const off = await server.bus.subscribe('bench:round-trip', () => arrived?.());
    for (let i = 0; i < options.samples; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        arrived = resolve;
        void server.bus.publish('bench:round-trip', i);
      });
      rtt.push(performance.now() - t0);
    }
    await off();

    view = await openLiveView(url, supervisorToken);
    await view.until((s) => s.model.agents.length >= options.agents);
    const measured = agentIds.slice(0, Math.min(agentIds.length, 50));
    const background = agentIds.slice(measured.length);
    const status = new Map<string, AgentStatus>();
    if (options.churnPerS > 0 && background.length > 0) {
      let n = 0;
      churn = setInterval(() => {
        const id = background[n++ % background.length]!;
        const next = status.get(id) === 'available' ? 'offline' : 'available';
        status.set(id, next);
        void server.services.agentStatus.set(id, next, null, 'bench churn').catch(() => undefined);
      }, 1000 / options.churnPerS);
    }
    const framesBefore = view.frames;
    const latencies: number[] = [];
    const endToEnd: number[] = [];
    const writes: number[] = [];
    for (let i = 0; i < options.samples; i++) {
      const id = measured[i % measured.length]!;
      const next: AgentStatus = status.get(id) === 'available' ? 'offline' : 'available';
      status.set(id, next);
      const t0 = performance.now();
      const shown = view.until((s) => s.model.agents.some((a) => a.id === id && a.status === next));
      await server.services.agentStatus.set(id, next, null, 'bench');
      const committed = performance.now();
      writes.push(committed - t0);
      await shown;
      latencies.push(performance.now() - committed);
      endToEnd.push(performance.now() - t0);
      if ((i + 1) % 100 === 0) log(`live-view: ${i + 1}/${options.samples} changes`);
    }
    const frames = view.frames - framesBefore;
    if (churn) clearInterval(churn);
    const reads: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await server.app.inject({
        method: 'GET',
        url: '/api/live',
        headers: { authorization: `Bearer ${supervisorToken}` },
      });
      reads.push(performance.now() - t0);
    }
    reads.sort((a, b) => a - b);
    latencies.sort((a, b) => a - b);
    endToEnd.sort((a, b) => a - b);
    writes.sort((a, b) => a - b);
    rtt.sort((a, b) => a - b);
    return {
      live_view_update_p50_ms: round(quantile(latencies, 0.5)),
      live_view_update_p99_ms: round(quantile(latencies, 0.99)),
      live_view_end_to_end_p99_ms: round(quantile(endToEnd, 0.99)),
      status_change_p99_ms: round(quantile(writes, 0.99)),
      baseline_bus_round_trip_p99_ms: round(quantile(rtt, 0.99)),
      live_view_agents: options.agents,
      live_view_frames_per_change: round(frames / options.samples),
      model_read_p50_ms: round(quantile(reads, 0.5)),
    };
  } finally {
    if (churn) clearInterval(churn);
    view?.close();
    await server.close();
    await opened.drop();
  }
}

/**
 * live-view: an agent's status change until the supervisor's screen model shows it (issue 8:
 * under 100 ms p99), 1,000 agents in the group (quick: 200) and 20 other changes per second
 * meanwhile; the baseline is a bare bus round trip in the same run.
 */
export const liveView: Benchmark = {
  async run({ quick, args, log }: BenchmarkOptions): Promise<Metrics> {
    if (args.length > 0) throw new Error(`live-view: unknown options ${args.join(' ')}`);
    const figures = await measureLiveView({
      agents: quick ? 200 : 1_000,
      samples: quick ? 200 : 1_000,
      churnPerS: 20,
      log,
    });
    return { ...figures };
  },
};
