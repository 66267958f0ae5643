import { createPostgresDatabase, migrate, type Database } from '@parlour/storage';
import { sql } from 'kysely';
import { systemClock } from '../../packages/server/src/clock.js';
import { newId } from '../../packages/server/src/ids.js';
import { DurableTimers } from '../../packages/server/src/timers/durable-timers.js';
import { onInterrupt } from '../cleanup.js';
import { summarize } from '../message-path/percentiles.js';
import { createScratchDatabase } from '../message-path/postgres-database.js';

export interface TimerLatenessOptions {
  /** Far-future timers waiting in the table while the due ones are measured. */
  readonly pending: number;
  /** Timers that come due during the measurement… */
  readonly due: number;
  /** …spread evenly over this many milliseconds. */
  readonly spreadMs: number;
  readonly log: (line: string) => void;
}

export interface TimerLatenessMetrics {
  /** How late (fire − due) timers fired with `pending` timers waiting, ms. -1: not measured. */
  readonly timer_lateness_p50_ms: number;
  readonly timer_lateness_p99_ms: number;
  readonly timer_lateness_max_ms: number;
  /** The same with an empty table, same run. */
  readonly timer_lateness_p50_ms_baseline: number;
  readonly timer_lateness_p99_ms_baseline: number;
  readonly timer_lateness_max_ms_baseline: number;
  /** Seconds to insert the pending timers (one INSERT … SELECT generate_series). */
  readonly timer_insert_s: number;
}

const SKIPPED: TimerLatenessMetrics = {
  timer_lateness_p50_ms: -1,
  timer_lateness_p99_ms: -1,
  timer_lateness_max_ms: -1,
  timer_lateness_p50_ms_baseline: -1,
  timer_lateness_p99_ms_baseline: -1,
  timer_lateness_max_ms_baseline: -1,
  timer_insert_s: -1,
};

/** Lead time before the first timer is due, so scheduling them all finishes first. */
const LEAD_MS = 1_500;
const KIND = 'bench.due';

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The timer half of the rules benchmark, on PostgreSQL: the server's DurableTimers (real clock,
 * default poll interval and batch size) fire `due` timers spread over `spreadMs`, each handler
 * recording how late it ran; first with an empty table (baseline), then with `pending` far-future
 * timers inserted in one statement. Needs BENCH_DATABASE_URL or DATABASE_URL (a scratch database
 * is created beside it and dropped afterwards); without one, or if it is unreachable, -1.
 */
export async function measureTimerLateness(
  options: TimerLatenessOptions,
): Promise<TimerLatenessMetrics> {
  const { log } = options;
  const url = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) {
    log('rules timers: skipped (set DATABASE_URL or BENCH_DATABASE_URL): metrics are -1');
    return SKIPPED;
  }
  const scratch = await createScratchDatabase(url);
  if (!scratch) {
    log('rules timers: PostgreSQL is not reachable: metrics are -1');
    return SKIPPED;
  }
  const offCleanUp = onInterrupt(() => scratch.drop());
  const database = createPostgresDatabase({ url: scratch.url, maxConnections: 4 });
  try {
    log(`rules timers: scratch database ${scratch.name}`);
    await migrate(database);

    // A first round warms the JIT and the connection pool; it is not reported.
    await fireDueTimers(database, { ...options, due: 200, spreadMs: 1_000 }, 'warm-up');
    const baseline = await fireDueTimers(database, options, 'baseline');
    log(`rules timers: baseline (empty table) ${JSON.stringify(baseline)}`);

    const started = performance.now();
    await sql`
      INSERT INTO timers (id, kind, key, payload, due_at, created_at)
      SELECT gen_random_uuid(), 'bench.far', 'bench-far:' || g, '{"ticketId":"x"}'::jsonb,
             now() + interval '30 days' + g * interval '1 second', now()
      FROM generate_series(1, ${options.pending}::int) AS g
    `.execute(database.db);
    await sql`ANALYZE timers`.execute(database.db);
    const insertS = (performance.now() - started) / 1000;
    log(`rules timers: ${options.pending} pending timers inserted in ${insertS.toFixed(1)} s`);

    const loaded = await fireDueTimers(database, options, 'loaded');
    log(`rules timers: with ${options.pending} pending ${JSON.stringify(loaded)}`);
    return {
      timer_lateness_p50_ms: loaded.p50,
      timer_lateness_p99_ms: loaded.p99,
      timer_lateness_max_ms: loaded.max,
      timer_lateness_p50_ms_baseline: baseline.p50,
      timer_lateness_p99_ms_baseline: baseline.p99,
      timer_lateness_max_ms_baseline: baseline.max,
      timer_insert_s: Math.round(insertS * 10) / 10,
    };
  } finally {
    await database.close();
    offCleanUp();
    await scratch.drop();
  }
}

/** Schedules `due` timers over the next seconds, runs DurableTimers until all fired, summarizes. */
async function fireDueTimers(
  database: Database,
  options: TimerLatenessOptions,
  label: string,
): Promise<{ p50: number; p99: number; max: number; fired: number }> {
  const timers = new DurableTimers({
    database,
    clock: systemClock,
    newId: () => newId(),
    onError: (err) => options.log(`rules timers: a timer failed: ${String(err)}`),
  });
  const lateness: number[] = [];
  let firstFired = 0;
  let lastFired = 0;
  timers.on(KIND, async (timer) => {
    const now = Date.now();
    lateness.push(now - timer.dueAt.getTime());
    firstFired ||= now;
    lastFired = now;
  });

  const first = Date.now() + LEAD_MS;
  const items = Array.from({ length: options.due }, (_, i) => ({
    at: new Date(first + Math.floor((i * options.spreadMs) / options.due)),
    kind: KIND,
    payload: { i },
    key: `bench-due:${label}:${i}`,
  }));
  for (let i = 0; i < items.length; i += 1_000)
    await timers.scheduleMany(items.slice(i, i + 1_000));
  if (Date.now() > first) options.log(`rules timers: scheduling ran past the first due time`);

  timers.start();
  const deadline = first + options.spreadMs + 60_000;
  while (lateness.length < options.due && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  await timers.stop();
  if (lateness.length < options.due)
    options.log(
      `rules timers: only ${lateness.length} of ${options.due} fired before the deadline`,
    );
  const summary = summarize(lateness);
  const rate = (lateness.length - 1) / Math.max(0.001, (lastFired - firstFired) / 1000);
  options.log(
    `rules timers: ${label}: ${lateness.length} fired, ${Math.round(rate)}/s while they came due at ${Math.round((options.due * 1000) / options.spreadMs)}/s`,
  );
  return {
    p50: round(summary.p50),
    p99: round(summary.p99),
    max: round(summary.max),
    fired: lateness.length,
  };
}
