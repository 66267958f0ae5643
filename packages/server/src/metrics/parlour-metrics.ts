import type { FeedEntry, ServerFrame } from '@parlour/protocol';
import type { Database } from '@parlour/storage';
import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import { Registry } from './registry.js';

/** Values that live elsewhere, read at scrape time. */
export interface MetricSources {
  readonly openSockets: () => number;
  readonly liveViewers?: () => number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * What `GET /metrics` reports. Counters count what this process did (Prometheus sums them across
 * processes, and computes rates such as routed per second with `rate()`); gauges of shared state
 * (queues, offers, timers) are read from PostgreSQL at scrape time, so every process reports the
 * same truth.
 */
export class ParlourMetrics {
  readonly registry = new Registry();
  private readonly offers = this.registry.counter(
    'parlour_offers_total',
    'Offers this process published, by outcome: made (sent to an agent), accepted, declined, expired, withdrawn',
  );
  private readonly routed = this.registry.counter(
    'parlour_routed_total',
    'Tickets assigned by routing (offers accepted, auto-accept included); routed per second is rate(parlour_routed_total[1m])',
  );
  private readonly delivery = this.registry.histogram(
    'parlour_message_delivery_seconds',
    'From a message committed to its frame sent on a socket',
    LATENCY_BUCKETS,
  );
  private sources: MetricSources = { openSockets: () => 0 };

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    const sockets = this.registry.gauge('parlour_sockets_open', 'Open WebSockets in this process');
    const viewers = this.registry.gauge(
      'parlour_live_view_viewers',
      'Sockets watching the supervisors live view in this process',
    );
    const queue = this.registry.gauge(
      'parlour_queue_length',
      'Tickets waiting in each queue (queued or offered)',
    );
    const pending = this.registry.gauge('parlour_offers_pending', 'Offers waiting for an answer');
    const due = this.registry.gauge('parlour_timers_due', 'Durable timers due and not yet fired');
    const lag = this.registry.gauge(
      'parlour_timer_lag_seconds',
      'How late the most overdue durable timer is (0: none is late)',
    );
    const pool = this.registry.gauge(
      'parlour_db_pool_connections',
      'Database pool connections by state (total, idle, waiting callers); PGlite has one connection',
    );
    this.registry.collect(async () => {
      sockets.set(this.sources.openSockets());
      viewers.set(this.sources.liveViewers?.() ?? 0);
      const stats = this.database.poolStats();
      pool.replace([
        { labels: { state: 'total' }, value: stats.total },
        { labels: { state: 'idle' }, value: stats.idle },
        { labels: { state: 'waiting' }, value: stats.waiting },
      ]);
      const now = this.clock.now();
      const db = this.database.db;
      const [queues, offers, timers] = await Promise.all([
        sql<{ id: string; name: string; n: number }>`
          SELECT g.id, g.name, count(t.id)::int AS n
            FROM groups g LEFT JOIN tickets t ON t.group_id = g.id AND t.routing IN ('queued', 'offered')
           GROUP BY g.id, g.name ORDER BY g.name`.execute(db),
        sql<{ n: number }>`SELECT count(*)::int AS n FROM offers WHERE status = 'pending'`.execute(
          db,
        ),
        sql<{ n: number; oldest: Date | string | null }>`
          SELECT count(*)::int AS n, min(due_at) AS oldest FROM timers WHERE due_at <= ${now}`.execute(
          db,
        ),
      ]);
      queue.replace(
        queues.rows.map((r) => ({ labels: { group_id: r.id, group: r.name }, value: Number(r.n) })),
      );
      pending.set(Number(offers.rows[0]?.n ?? 0));
      const t = timers.rows[0];
      due.set(Number(t?.n ?? 0));
      lag.set(t?.oldest ? Math.max(0, now.getTime() - new Date(t.oldest).getTime()) / 1000 : 0);
    });
  }

  /** Wired once the gateway and live view exist. */
  attach(sources: MetricSources): void {
    this.sources = sources;
  }

  /** Watches what the use cases publish on agents' topics: offers made and how they ended. */
  published(topic: string, payload: unknown): void {
    if (!topic.startsWith('user:')) return;
    const frame = payload as ServerFrame;
    if (frame.type === 'offer') this.offers.inc({ outcome: 'made' });
    else if (frame.type === 'offer.closed') {
      this.offers.inc({ outcome: frame.outcome });
      if (frame.outcome === 'accepted') this.routed.inc();
    }
  }

  /** A feed entry was sent on a socket: a message's delivery latency is measured from its commit. */
  delivered(entry: FeedEntry): void {
    if (entry.event.type !== 'message.created') return;
    const committed = Date.parse(entry.at);
    if (Number.isNaN(committed)) return;
    this.delivery.observe(Math.max(0, this.clock.now().getTime() - committed) / 1000);
  }

  expose(): Promise<string> {
    return this.registry.expose();
  }
}
