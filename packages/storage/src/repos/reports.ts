import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../database.js';

// ---------------------------------------------------------------------------------------------
// Keeping facts current: the dirty queue and a ticket's history.

export interface DirtyTicket {
  readonly ticketId: string;
  readonly version: string;
}

/** Up to `limit` tickets whose facts are out of date. */
export async function dirtyTickets(db: Db, limit: number): Promise<DirtyTicket[]> {
  const rows = await db
    .selectFrom('report_dirty_tickets')
    .select(['ticket_id', 'version'])
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ticketId: r.ticket_id, version: String(r.version) }));
}

/** Clears the marks the projector has seen; a mark bumped meanwhile stays. */
export async function clearDirtyTickets(db: Db, seen: readonly DirtyTicket[]): Promise<void> {
  if (seen.length === 0) return;
  await sql`
    DELETE FROM report_dirty_tickets d
    USING unnest(${seen.map((s) => s.ticketId)}::uuid[], ${seen.map((s) => s.version)}::bigint[])
      AS seen (ticket_id, version)
    WHERE d.ticket_id = seen.ticket_id AND d.version = seen.version
  `.execute(db);
}

/** Marks every ticket with facts dirty (the default schedule changed: business values move). */
export async function markAllReportTicketsDirty(db: Db): Promise<void> {
  await sql`
    INSERT INTO report_dirty_tickets (ticket_id)
    SELECT DISTINCT ticket_id FROM report_facts
    ON CONFLICT (ticket_id) DO UPDATE SET version = report_dirty_tickets.version + 1
  `.execute(db);
}

export interface ReportHistory {
  readonly ticketId: string;
  readonly channel: 'messaging' | 'email' | 'api';
  readonly events: {
    readonly type: string;
    readonly actorId: string | null;
    readonly data: Record<string, unknown>;
    readonly at: Date;
  }[];
  readonly messages: {
    readonly kind: 'public' | 'internal';
    readonly authorType: 'user' | 'end_user' | 'bot' | 'system';
    readonly authorId: string | null;
    readonly at: Date;
  }[];
}

/** The histories of some tickets (tickets since deleted are absent). */
export async function reportHistories(
  db: Db,
  ticketIds: readonly string[],
): Promise<ReportHistory[]> {
  if (ticketIds.length === 0) return [];
  const ids = sql<string>`ANY(${[...ticketIds]}::uuid[])`;
  const [tickets, events, messages] = await Promise.all([
    db.selectFrom('tickets').select(['id', 'channel']).where('id', '=', ids).execute(),
    db
      .selectFrom('ticket_events')
      .select(['ticket_id', 'type', 'actor_id', 'data', 'created_at'])
      .where('ticket_id', '=', ids)
      .orderBy('ticket_id')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('messages')
      .select(['ticket_id', 'kind', 'author_type', 'author_id', 'created_at'])
      .where('ticket_id', '=', ids)
      .orderBy('ticket_id')
      .orderBy('seq')
      .execute(),
  ]);
  const byId = new Map<string, ReportHistory>();
  for (const t of tickets)
    byId.set(t.id, { ticketId: t.id, channel: t.channel, events: [], messages: [] });
  for (const e of events)
    byId.get(e.ticket_id)?.events.push({
      type: e.type,
      actorId: e.actor_id,
      data: e.data as Record<string, unknown>,
      at: e.created_at,
    });
  for (const m of messages)
    if (m.ticket_id)
      byId.get(m.ticket_id)?.messages.push({
        kind: m.kind,
        authorType: m.author_type,
        authorId: m.author_id,
        at: m.created_at,
      });
  return [...byId.values()];
}

export interface FactRow {
  readonly ticketId: string;
  readonly metric: string;
  readonly agentId: string | null;
  readonly groupId: string | null;
  readonly channel: string;
  readonly at: Date;
  readonly value: number;
  readonly businessValue: number | null;
  readonly startAt: Date | null;
}

/** Replaces the facts of these tickets with `facts`. */
export async function replaceReportFacts(
  db: Db,
  ticketIds: readonly string[],
  facts: readonly FactRow[],
): Promise<void> {
  if (ticketIds.length === 0) return;
  await db
    .deleteFrom('report_facts')
    .where('ticket_id', '=', sql<string>`ANY(${[...ticketIds]}::uuid[])`)
    .execute();
  for (let i = 0; i < facts.length; i += 1000) {
    await db
      .insertInto('report_facts')
      .values(
        facts.slice(i, i + 1000).map((f) => ({
          ticket_id: f.ticketId,
          metric: f.metric,
          agent_id: f.agentId,
          group_id: f.groupId,
          channel: f.channel,
          at: f.at,
          value: f.value,
          business_value: f.businessValue,
          start_at: f.startAt,
        })),
      )
      .execute();
  }
}

// ---------------------------------------------------------------------------------------------
// Aggregation.

export type FactDimension = 'agent' | 'group' | 'channel' | 'status';
export type FactInterval = 'hour' | 'day' | 'week';

export interface FactQuery {
  readonly metric: string;
  readonly from: Date;
  readonly to: Date;
  readonly timeZone: string;
  readonly interval: FactInterval | null;
  readonly groupBy: FactDimension | null;
  readonly business: boolean;
  readonly agentId?: string;
  readonly groupId?: string;
  readonly channel?: string;
  /** Only these groups' data (a supervisor's); undefined: all. */
  readonly groupIds?: readonly string[];
  /** Upper bounds (ms) of the histogram's bins; one more open bin follows. */
  readonly histogramBounds: readonly number[];
}

export interface AggregateRow {
  /** null for the total row. */
  readonly dim: string | null;
  readonly bucket: string | null;
  readonly total: boolean;
  readonly n: number;
  readonly avg: number | null;
  readonly median: number | null;
  readonly p90: number | null;
  readonly sum: number | null;
  readonly bins: readonly number[];
}

const DIM_COLUMN: Record<Exclude<FactDimension, 'status'>, string> = {
  agent: 'agent_id::text',
  group: 'group_id::text',
  channel: 'channel',
};

const BUCKET_FORMAT: Record<FactInterval, string> = {
  hour: 'YYYY-MM-DD"T"HH24:MI',
  day: 'YYYY-MM-DD',
  week: 'YYYY-MM-DD',
};

function bucketExpr(interval: FactInterval | null, at: RawBuilder<unknown>, tz: string) {
  if (!interval) return sql<string | null>`NULL::text`;
  return sql<string>`to_char(date_trunc(${interval}, ${at} AT TIME ZONE ${tz}), ${BUCKET_FORMAT[interval]})`;
}

/**
 * Local bucket starts of the range in the zone, formatted like the rows' buckets: every bucket
 * appears in a report even when nothing happened in it. Weeks start on Monday (ISO).
 */
export async function reportBuckets(
  db: Db,
  range: { from: Date; to: Date; timeZone: string; interval: FactInterval },
): Promise<string[]> {
  const { from, to, timeZone: tz, interval } = range;
  const rows = await sql<{ bucket: string }>`
    SELECT to_char(b, ${BUCKET_FORMAT[interval]}) AS bucket
    FROM generate_series(
      date_trunc(${interval}, ${from}::timestamptz AT TIME ZONE ${tz}),
      (${to}::timestamptz AT TIME ZONE ${tz}) - interval '1 microsecond',
      ('1 ' || ${interval})::interval
    ) AS b
    ORDER BY b
  `.execute(db);
  return rows.rows.map((r) => r.bucket);
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * n, average, median, p90, sum of a ticket metric's facts per dimension and bucket, plus the
 * total with the histogram.
 */
export async function aggregateFacts(db: Db, q: FactQuery): Promise<AggregateRow[]> {
  const value = q.business ? sql`coalesce(business_value, value)` : sql`value`;
  const dim =
    q.groupBy && q.groupBy !== 'status' ? sql.raw(DIM_COLUMN[q.groupBy]) : sql`NULL::text`;
  const bucket = bucketExpr(q.interval, sql`at`, q.timeZone);
  const filters = [
    sql`metric = ${q.metric}`,
    sql`at >= ${q.from}::timestamptz`,
    sql`at < ${q.to}::timestamptz`,
  ];
  if (q.agentId) filters.push(sql`agent_id = ${q.agentId}::uuid`);
  if (q.groupId) filters.push(sql`group_id = ${q.groupId}::uuid`);
  if (q.channel) filters.push(sql`channel = ${q.channel}`);
  if (q.groupIds) filters.push(sql`group_id = ANY(${[...q.groupIds]}::uuid[])`);
  const bounds = q.histogramBounds;
  const bins = bounds.map((upTo, i) => {
    const lower = i === 0 ? null : bounds[i - 1];
    return lower === null || lower === undefined
      ? sql`count(*) FILTER (WHERE v < ${upTo}::float8)`
      : sql`count(*) FILTER (WHERE v >= ${lower}::float8 AND v < ${upTo}::float8)`;
  });
  const last = bounds[bounds.length - 1];
  bins.push(last === undefined ? sql`count(*)` : sql`count(*) FILTER (WHERE v >= ${last}::float8)`);
  const source = sql`
    SELECT ${dim} AS dim, ${bucket} AS bucket, ${value} AS v
    FROM report_facts
    WHERE ${sql.join(filters, sql` AND `)}`;
  // Per row: one sort of all samples (a window) instead of a sort per group, then
  // percentile_cont's interpolation at position p·(n−1) picked out by index: the same figures,
  // far cheaper when there are many small groups (agent × hour).
  const at = (p: number) => sql`
    (max(v) FILTER (WHERE i = floor(${p}::float8 * (c - 1)))
      + (${p}::float8 * (c - 1) - floor(${p}::float8 * (c - 1)))
      * (max(v) FILTER (WHERE i = ceil(${p}::float8 * (c - 1)))
         - max(v) FILTER (WHERE i = floor(${p}::float8 * (c - 1)))))`;
  const [grouped, totals] = await Promise.all([
    sql<Record<string, unknown>>`
      WITH r AS (
        SELECT dim, bucket, v,
          row_number() OVER (PARTITION BY dim, bucket ORDER BY v) - 1 AS i,
          count(*) OVER (PARTITION BY dim, bucket) AS c
        FROM (${source}) f
      )
      SELECT dim, bucket, count(*) AS n, avg(v) AS avg, ${at(0.5)} AS median, ${at(0.9)} AS p90,
        sum(v) AS sum
      FROM r
      GROUP BY dim, bucket, c
    `.execute(db),
    sql<Record<string, unknown>>`
      SELECT count(*) AS n, avg(v) AS avg,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY v) AS p90,
        sum(v) AS sum,
        ${sql.join(
          bins.map((b, i) => sql`${b} AS ${sql.ref(`bin${i}`)}`),
          sql`, `,
        )}
      FROM (${source}) f
    `.execute(db),
  ]);
  const shape = (r: Record<string, unknown>, total: boolean): AggregateRow => ({
    dim: total ? null : ((r.dim as string | null) ?? null),
    bucket: total ? null : ((r.bucket as string | null) ?? null),
    total,
    n: Number(r.n),
    avg: num(r.avg),
    median: num(r.median),
    p90: num(r.p90),
    sum: num(r.sum),
    bins: total ? bins.map((_, i) => Number(r[`bin${i}`] ?? 0)) : [],
  });
  return [...grouped.rows.map((r) => shape(r, false)), ...totals.rows.map((r) => shape(r, true))];
}

export interface AgentTimeQuery {
  readonly from: Date;
  readonly to: Date;
  /** Open stretches end now (or at `to`, if earlier). */
  readonly now: Date;
  readonly timeZone: string;
  readonly interval: FactInterval | null;
  readonly agentId?: string;
  /** Agents who are members of any of these groups; undefined: all agents. */
  readonly memberOfGroups?: readonly string[];
}

function bucketsCte(q: AgentTimeQuery) {
  if (!q.interval)
    return sql`SELECT NULL::text AS bucket, ${q.from}::timestamptz AS bs, ${q.to}::timestamptz AS be`;
  return sql`
    SELECT to_char(b, ${BUCKET_FORMAT[q.interval]}) AS bucket,
      greatest(b AT TIME ZONE ${q.timeZone}, ${q.from}::timestamptz) AS bs,
      least((b + ('1 ' || ${q.interval})::interval) AT TIME ZONE ${q.timeZone}, ${q.to}::timestamptz) AS be
    FROM generate_series(
      date_trunc(${q.interval}, ${q.from}::timestamptz AT TIME ZONE ${q.timeZone}),
      (${q.to}::timestamptz AT TIME ZONE ${q.timeZone}) - interval '1 microsecond',
      ('1 ' || ${q.interval})::interval
    ) AS b`;
}

function stretchesCte(q: AgentTimeQuery) {
  const filters = [sql`created_at < ${q.to}::timestamptz`];
  if (q.agentId) filters.push(sql`user_id = ${q.agentId}::uuid`);
  if (q.memberOfGroups)
    filters.push(
      sql`user_id IN (SELECT user_id FROM group_members WHERE group_id = ANY(${[...q.memberOfGroups]}::uuid[]))`,
    );
  const end = q.now < q.to ? q.now : q.to;
  return sql`
    SELECT user_id, status, s, coalesce(e, greatest(s, ${end}::timestamptz)) AS e FROM (
      SELECT user_id, to_status AS status, created_at AS s,
        lead(created_at) OVER (PARTITION BY user_id ORDER BY created_at, id) AS e
      FROM agent_status_events
      WHERE ${sql.join(filters, sql` AND `)}
    ) x
    WHERE coalesce(e, ${end}::timestamptz) > ${q.from}::timestamptz`;
}

export interface AgentTimeRow {
  readonly agentId: string | null;
  readonly status: string | null;
  readonly bucket: string | null;
  readonly n: number;
  readonly sumMs: number;
}

/** Time per agent and status, each stretch cut at the bucket boundaries. */
export async function aggregateAgentStatusTime(
  db: Db,
  q: AgentTimeQuery,
  groupBy: 'agent' | 'status' | null,
): Promise<AgentTimeRow[]> {
  const dim =
    groupBy === 'agent'
      ? sql`st.user_id::text`
      : groupBy === 'status'
        ? sql`st.status`
        : sql`NULL::text`;
  const result = await sql<{
    dim: string | null;
    bucket: string | null;
    n: string;
    sum_ms: number;
  }>`
    WITH buckets AS (${bucketsCte(q)}), st AS (${stretchesCte(q)})
    SELECT ${dim} AS dim, b.bucket, count(*) AS n,
      sum(extract(epoch FROM least(st.e, b.be) - greatest(st.s, b.bs)) * 1000)::float8 AS sum_ms
    FROM st JOIN buckets b ON st.s < b.be AND st.e > b.bs
    GROUP BY 1, 2
  `.execute(db);
  return result.rows.map((r) => ({
    agentId: groupBy === 'agent' ? r.dim : null,
    status: groupBy === 'status' ? r.dim : null,
    bucket: r.bucket,
    n: Number(r.n),
    sumMs: Number(r.sum_ms),
  }));
}

export interface OccupancyRow {
  readonly agentId: string;
  readonly bucket: string | null;
  readonly loggedInMs: number;
  readonly busyMs: number;
}

/**
 * Per agent and bucket: logged-in time (any status but offline) and time handling at least one
 * ticket (the 'busy' facts merged into islands, so concurrent chats count once).
 */
export async function aggregateOccupancy(db: Db, q: AgentTimeQuery): Promise<OccupancyRow[]> {
  const busyFilters = [
    sql`metric = 'busy'`,
    sql`at > ${q.from}::timestamptz`,
    sql`start_at < ${q.to}::timestamptz`,
    sql`agent_id IS NOT NULL`,
  ];
  if (q.agentId) busyFilters.push(sql`agent_id = ${q.agentId}::uuid`);
  if (q.memberOfGroups)
    busyFilters.push(
      sql`agent_id IN (SELECT user_id FROM group_members WHERE group_id = ANY(${[...q.memberOfGroups]}::uuid[]))`,
    );
  const result = await sql<{
    agent_id: string;
    bucket: string | null;
    logged_ms: number | null;
    busy_ms: number | null;
  }>`
    WITH buckets AS (${bucketsCte(q)}),
    st AS (${stretchesCte(q)}),
    logged AS (
      SELECT st.user_id AS agent_id, b.bucket,
        sum(extract(epoch FROM least(st.e, b.be) - greatest(st.s, b.bs)) * 1000)::float8 AS ms
      FROM st JOIN buckets b ON st.s < b.be AND st.e > b.bs
      WHERE st.status <> 'offline'
      GROUP BY 1, 2
    ),
    spans AS (
      SELECT agent_id, start_at AS s, at AS e,
        max(at) OVER (PARTITION BY agent_id ORDER BY start_at, at
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
      FROM report_facts WHERE ${sql.join(busyFilters, sql` AND `)}
    ),
    marked AS (
      SELECT agent_id, s, e,
        sum(CASE WHEN prev_end >= s THEN 0 ELSE 1 END) OVER (PARTITION BY agent_id ORDER BY s, e) AS island
      FROM spans
    ),
    islands AS (SELECT agent_id, min(s) AS s, max(e) AS e FROM marked GROUP BY agent_id, island),
    busy AS (
      SELECT i.agent_id, b.bucket,
        sum(extract(epoch FROM least(i.e, b.be) - greatest(i.s, b.bs)) * 1000)::float8 AS ms
      FROM islands i JOIN buckets b ON i.s < b.be AND i.e > b.bs
      GROUP BY 1, 2
    )
    SELECT l.agent_id::text AS agent_id, l.bucket, l.ms AS logged_ms, busy.ms AS busy_ms
    FROM logged l
    LEFT JOIN busy ON busy.agent_id = l.agent_id AND busy.bucket IS NOT DISTINCT FROM l.bucket
  `.execute(db);
  return result.rows.map((r) => ({
    agentId: r.agent_id,
    bucket: r.bucket,
    loggedInMs: Number(r.logged_ms ?? 0),
    busyMs: Number(r.busy_ms ?? 0),
  }));
}

/** Names for labels: users and groups by id. */
export async function reportNames(
  db: Db,
  ids: { users: readonly string[]; groups: readonly string[] },
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.users.length > 0) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', '=', sql<string>`ANY(${[...ids.users]}::uuid[])`)
      .execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  if (ids.groups.length > 0) {
    const rows = await db
      .selectFrom('groups')
      .select(['id', 'name'])
      .where('id', '=', sql<string>`ANY(${[...ids.groups]}::uuid[])`)
      .execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  return names;
}

/** The groups a user is a member of (a supervisor's reach in reports). */
export async function groupIdsOfMember(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('group_id')
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.group_id);
}
