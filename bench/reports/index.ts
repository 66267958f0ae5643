import { createPostgresDatabase, migrate, type Database } from '@parlour/storage';
import { sql } from 'kysely';
import { createInProcessBus } from '../../packages/server/src/bus/in-process-bus.js';
import { systemClock } from '../../packages/server/src/clock.js';
import { newId } from '../../packages/server/src/ids.js';
import { createLogger } from '../../packages/server/src/logging/create-logger.js';
import { ReportProjector } from '../../packages/server/src/services/reports/report-projector.js';
import { reportCsv } from '../../packages/server/src/services/reports/report-csv.js';
import { ReportService } from '../../packages/server/src/services/reports/report-service.js';
import { SettingsService } from '../../packages/server/src/services/settings-service.js';
import type { Benchmark, Metrics } from '../benchmark.js';
import { onInterrupt } from '../cleanup.js';
import { measureLiveView } from '../live-view/index.js';
import { createScratchDatabase } from '../message-path/postgres-database.js';

const AGENTS = 200;
const GROUPS = 20;
/** The data ends here; the measured reports look back from it. */
const ANCHOR = '2026-11-23T00:00:00.000Z';
const DAY_MS = 86_400_000;

const SKIPPED: Metrics = {
  frt_by_agent_by_day_30d_ms: -1,
  frt_by_agent_by_day_30d_ms_baseline: -1,
  csv_export_100k_rows_ms: -1,
  csv_export_100k_rows_ms_baseline: -1,
  live_view_update_p99_ms: -1,
  live_view_update_p99_ms_baseline: -1,
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}

/**
 * Generates `tickets` tickets over the year before ANCHOR straight in SQL (generate_series, not
 * through the API: the API path is what the route tests cover), with their history (created,
 * assigned, the agent's first public reply) and the report facts the projector derives from that
 * history (first reply, handle and resolution time). session_replication_role = replica skips
 * the foreign-key and dirty-marking triggers during the load only.
 */
async function generate(database: Database, tickets: number): Promise<void> {
  const db = database.db;
  const span = `${365 * DAY_MS}`;
  await sql`SET session_replication_role = replica`.execute(db);
  await sql`
    INSERT INTO users (id, role, email, name, created_at, updated_at)
    SELECT md5('a' || g)::uuid, 'agent', 'agent' || g || '@bench.example', 'Agent ' || g, now(), now()
    FROM generate_series(0, ${AGENTS - 1}::int) g`.execute(db);
  await sql`
    INSERT INTO users (id, role, email, name, created_at, updated_at)
    VALUES (md5('admin')::uuid, 'admin', 'admin@bench.example', 'Admin', now(), now())`.execute(db);
  await sql`
    INSERT INTO groups (id, name, created_at, updated_at)
    SELECT md5('g' || g)::uuid, 'Group ' || g, now(), now() FROM generate_series(0, ${GROUPS - 1}::int) g`.execute(
    db,
  );
  await sql`
    INSERT INTO end_users (id, name, created_at, updated_at)
    SELECT md5('u' || g)::uuid, 'Customer ' || g, now(), now() FROM generate_series(0, 9999) g`.execute(
    db,
  );
  // t: creation; reply 30 s … 2 h later; solved 3 h after creation.
  const base = sql`
    SELECT g,
      ${ANCHOR}::timestamptz - (g::float8 * ${span}::float8 / ${tickets}::float8) * interval '1 millisecond' AS t,
      (30 + (g::bigint * 7919) % 7200) * interval '1 second' AS frt,
      md5('a' || (g % ${AGENTS}::int))::uuid AS agent,
      md5('g' || (g % ${GROUPS}::int))::uuid AS grp
    FROM generate_series(1, ${tickets}::int) g`;
  await sql`
    INSERT INTO conversations (id, end_user_id, channel, state, ticket_id, last_seq, created_at, updated_at)
    SELECT md5('c' || g)::uuid, md5('u' || (g % 10000))::uuid, 'messaging', 'closed', md5('t' || g)::uuid, 1, t, t
    FROM (${base}) b`.execute(db);
  await sql`
    INSERT INTO tickets (id, conversation_id, requester_id, channel, status, priority, group_id,
      assignee_id, created_at, updated_at, solved_at, version)
    SELECT md5('t' || g)::uuid, md5('c' || g)::uuid, md5('u' || (g % 10000))::uuid, 'messaging',
      'solved', 'normal', grp, agent, t, t + interval '3 hours', t + interval '3 hours', 3
    FROM (${base}) b`.execute(db);
  await sql`
    INSERT INTO ticket_events (ticket_id, type, actor_type, actor_id, data, created_at)
    SELECT md5('t' || g)::uuid, 'ticket.created', 'system', NULL,
      jsonb_build_object('status', 'new', 'groupId', grp), t
    FROM (${base}) b`.execute(db);
  await sql`
    INSERT INTO ticket_events (ticket_id, type, actor_type, actor_id, data, created_at)
    SELECT md5('t' || g)::uuid, 'ticket.assignee_changed', 'system', NULL,
      jsonb_build_object('from', NULL, 'to', agent), t + interval '20 seconds'
    FROM (${base}) b`.execute(db);
  await sql`
    INSERT INTO messages (id, conversation_id, seq, ticket_id, kind, author_type, author_id, channel, body, created_at)
    SELECT md5('m' || g)::uuid, md5('c' || g)::uuid, 1, md5('t' || g)::uuid, 'public', 'user', agent,
      'messaging', 'Hello, I can help with that', t + frt
    FROM (${base}) b`.execute(db);
  await sql`
    INSERT INTO report_facts (ticket_id, metric, agent_id, group_id, channel, at, value, business_value)
    SELECT md5('t' || g)::uuid, m.metric, agent, grp, 'messaging', m.at, m.value, m.value
    FROM (${base}) b, LATERAL (VALUES
      ('first_reply_time', t + frt, extract(epoch FROM frt) * 1000),
      ('resolution_time', t + interval '3 hours', 3 * 3600 * 1000.0),
      ('handle_time', t + interval '3 hours', extract(epoch FROM interval '3 hours' - interval '20 seconds') * 1000)
    ) AS m (metric, at, value)`.execute(db);
  await sql`SET session_replication_role = DEFAULT`.execute(db);
  await sql`ANALYZE`.execute(db);
}

/** The same report computed the naive way: from raw events and messages at query time. */
async function naiveFrtByAgentByDay(database: Database, from: Date, to: Date): Promise<number> {
  const result = await sql<{ n: string }>`
    SELECT m.author_id, date_trunc('day', m.created_at AT TIME ZONE 'UTC') AS day, count(*) AS n,
      avg(extract(epoch FROM m.created_at - e.created_at) * 1000),
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.created_at - e.created_at)),
      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM m.created_at - e.created_at))
    FROM ticket_events e
    JOIN LATERAL (
      SELECT author_id, created_at FROM messages
      WHERE ticket_id = e.ticket_id AND kind = 'public' AND author_type = 'user'
        AND created_at >= e.created_at
      ORDER BY seq LIMIT 1
    ) m ON true
    WHERE e.type = 'ticket.created' AND m.created_at >= ${from} AND m.created_at < ${to}
    GROUP BY 1, 2`.execute(database.db);
  return result.rows.length;
}

/** The floor for a 100k-row CSV: read 100k raw fact rows and encode them, no aggregation. */
async function rawCsv(database: Database, from: Date, to: Date, rows: number): Promise<number> {
  const result = await sql<Record<string, unknown>>`
    SELECT agent_id, at, value FROM report_facts
    WHERE metric = 'first_reply_time' AND at >= ${from} AND at < ${to}
    ORDER BY at LIMIT ${rows}`.execute(database.db);
  const text = result.rows
    .map((r) => [String(r.agent_id), (r.at as Date).toISOString(), String(r.value)].join(','))
    .join('\r\n');
  return text.length;
}

export const reports: Benchmark = {
  async run({ quick, log }) {
    const tickets = quick ? 50_000 : 1_000_000;
    const url = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
    if (!url) {
      log('reports: skipped (set DATABASE_URL or BENCH_DATABASE_URL): metrics are -1');
      return SKIPPED;
    }
    const scratch = await createScratchDatabase(url);
    if (!scratch) {
      log('reports: PostgreSQL is not reachable: metrics are -1');
      return SKIPPED;
    }
    const offCleanUp = onInterrupt(() => scratch.drop());
    const database = createPostgresDatabase({ url: scratch.url, maxConnections: 4 });
    const bus = createInProcessBus();
    try {
      log(`reports: scratch database ${scratch.name}`);
      await migrate(database);
      const [genMs] = await timed(() => generate(database, tickets));
      log(
        `reports: ${tickets} tickets with events, messages and facts in ${(genMs / 1000).toFixed(1)} s`,
      );

      const ctx = {
        database,
        bus,
        clock: systemClock,
        newId: () => newId(),
        logger: createLogger({ level: 'silent' }),
      };
      const service = new ReportService(ctx, new SettingsService(ctx), new ReportProjector(ctx));
      const admin = {
        kind: 'user',
        id: '00000000-0000-0000-0000-000000000000',
        role: 'admin',
      } as const;
      const to = new Date(ANCHOR);
      const from30 = new Date(to.getTime() - 30 * DAY_MS);
      const frtQuery = {
        metric: 'first_reply_time',
        from: from30.toISOString(),
        to: to.toISOString(),
        groupBy: 'agent',
        interval: 'day',
        timeZone: 'Europe/Berlin',
      } as const;

      const runs = quick ? 3 : 5;
      const frt: number[] = [];
      const naive: number[] = [];
      let rowCount = 0;
      await service.run(frtQuery, admin); // warm-up
      for (let i = 0; i < runs; i++) {
        const [ms, result] = await timed(() => service.run(frtQuery, admin));
        frt.push(ms);
        rowCount = result.rows.length;
        naive.push((await timed(() => naiveFrtByAgentByDay(database, from30, to)))[0]);
      }
      log(
        `reports: FRT by agent by day, 30 days: ${rowCount} rows; runs ${frt.map(round).join(', ')} ms; naive ${naive.map(round).join(', ')} ms`,
      );

      // 200 agents × 21 days × 24 hours = 100,800 rows.
      const from21 = new Date(to.getTime() - 21 * DAY_MS);
      const csvQuery = { ...frtQuery, from: from21.toISOString(), interval: 'hour' } as const;
      const csv: number[] = [];
      const raw: number[] = [];
      let csvRows = 0;
      for (let i = 0; i < runs; i++) {
        const [ms, text] = await timed(async () => reportCsv(await service.run(csvQuery, admin)));
        csv.push(ms);
        csvRows = text.split('\r\n').length - 2;
        raw.push((await timed(() => rawCsv(database, from21, to, csvRows)))[0]);
      }
      log(
        `reports: CSV export ${csvRows} rows; runs ${csv.map(round).join(', ')} ms; raw ${raw.map(round).join(', ')} ms`,
      );
      // The supervisor's live view (its own scratch database, a server with 1,000 agents).
      const live = await measureLiveView({
        agents: quick ? 200 : 1_000,
        samples: quick ? 100 : 300,
        churnPerS: 20,
        log,
      });
      return {
        frt_by_agent_by_day_30d_ms: round(median(frt)),
        frt_by_agent_by_day_30d_ms_baseline: round(median(naive)),
        csv_export_100k_rows_ms: round(median(csv)),
        csv_export_100k_rows_ms_baseline: round(median(raw)),
        csv_export_rows: csvRows,
        live_view_update_p99_ms: live.live_view_update_p99_ms,
        live_view_update_p99_ms_baseline: live.baseline_bus_round_trip_p99_ms,
        live_view_agents: live.live_view_agents,
        tickets,
        generate_s: round(genMs / 1000),
      };
    } finally {
      await bus.close();
      await database.close();
      offCleanUp();
      await scratch.drop();
    }
  },
};
