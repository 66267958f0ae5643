import {
  DomainError,
  METRICS,
  isValidTimeZone,
  metricDefinition,
  type ReportMetricDefinition,
} from '@parlour/core';
import type {
  HistogramBin,
  MetricDefinition,
  ReportQuery,
  ReportResult,
  ReportRow,
  ReportRowKey,
} from '@parlour/protocol';
import {
  aggregateAgentStatusTime,
  aggregateFacts,
  aggregateOccupancy,
  groupIdsOfMember,
  reportBuckets,
  reportNames,
  type AgentTimeQuery,
  type FactDimension,
} from '@parlour/storage';
import type { Principal } from '../../principal.js';
import type { ServiceContext } from '../context.js';
import type { SettingsService } from '../settings-service.js';
import type { ReportProjector } from './report-projector.js';

/** Histogram bins of duration metrics (upper bounds, ms); one open bin follows. */
const MINUTE = 60_000;
export const HISTOGRAM_BOUNDS = [
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  60 * MINUTE,
  4 * 60 * MINUTE,
  8 * 60 * MINUTE,
  24 * 60 * MINUTE,
  3 * 24 * 60 * MINUTE,
  7 * 24 * 60 * MINUTE,
];
const MAX_BUCKETS = 10_000;
const INTERVAL_MS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;

export function toWireDefinition(d: ReportMetricDefinition): MetricDefinition {
  return {
    id: d.id,
    label: d.label,
    kind: d.kind,
    description: d.description,
    start: d.start,
    stop: d.stop,
    creditedTo: d.creditedTo,
    countsOn: d.countsOn,
    dimensions: [...d.dimensions],
    businessHours: d.businessHours,
  };
}

interface Cell {
  /** undefined: a bucket row of a grouped report with no data at all (no key to show). */
  dim: string | null | undefined;
  bucket: string | null;
  n: number;
  value: number | null;
  avg: number | null;
  median: number | null;
  p90: number | null;
  sum: number | null;
}

/** A row with no samples (n = 0); counts show 0, everything else null. */
const EMPTY = { n: 0, value: null, avg: null, median: null, p90: null, sum: null };
const NOTHING = { value: null, avg: null, median: null, p90: null, sum: null };

/**
 * Reports: a query (metric, range, zone, hours, grouping, filters) answered from report_facts
 * (ticket metrics) or agent status events (status time, occupancy), after the projector has
 * caught up. The CSV export renders exactly these rows.
 */
export class ReportService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
    private readonly projector: ReportProjector,
  ) {}

  metrics(): MetricDefinition[] {
    return METRICS.map(toWireDefinition);
  }

  async run(query: ReportQuery, principal: Principal): Promise<ReportResult> {
    const definition = metricDefinition(query.metric);
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(to.getTime() > from.getTime()))
      throw new DomainError('validation/invalid', 'The end must be after the start', 'to');
    const timeZone = query.timeZone ?? (await this.settings.current()).reportTimeZone;
    if (!isValidTimeZone(timeZone))
      throw new DomainError('validation/invalid', 'Unknown time zone', 'timeZone');
    const interval = query.interval ?? null;
    if (interval && (to.getTime() - from.getTime()) / INTERVAL_MS[interval] > MAX_BUCKETS)
      throw new DomainError(
        'validation/invalid',
        `At most ${MAX_BUCKETS} buckets: pick a longer interval or a shorter range`,
        'interval',
      );
    const groupBy = query.groupBy ?? null;
    if (groupBy && !definition.dimensions.includes(groupBy))
      throw new DomainError(
        'validation/invalid',
        `${definition.label} can be grouped by ${definition.dimensions.join(', ')}`,
        'groupBy',
      );
    const groupIds = await this.scope(principal, query.groupId);
    const hours = definition.businessHours ? (query.hours ?? 'calendar') : 'calendar';
    await this.projector.catchUp();

    const db = this.ctx.database.db;
    const buckets = interval ? await reportBuckets(db, { from, to, timeZone, interval }) : [null];
    let cells: Cell[];
    let total: Cell;
    let histogram: HistogramBin[] = [];
    if (definition.source === 'ticket') {
      const rows = await aggregateFacts(db, {
        metric: query.metric,
        from,
        to,
        timeZone,
        interval,
        groupBy: groupBy as FactDimension | null,
        business: hours === 'business',
        ...(query.agentId ? { agentId: query.agentId } : {}),
        ...(query.groupId ? { groupId: query.groupId } : {}),
        ...(query.channel ? { channel: query.channel } : {}),
        ...(groupIds ? { groupIds } : {}),
        histogramBounds: HISTOGRAM_BOUNDS,
      });
      const shape = (r: (typeof rows)[number]): Cell => {
        const base = { dim: r.dim, bucket: r.bucket, n: r.n };
        if (r.n === 0) return { ...base, ...EMPTY, value: definition.kind === 'count' ? 0 : null };
        if (definition.kind === 'count') return { ...base, ...NOTHING, value: r.n };
        if (definition.kind === 'ratio') return { ...base, ...NOTHING, value: r.avg };
        return { ...base, value: r.avg, avg: r.avg, median: r.median, p90: r.p90, sum: r.sum };
      };
      cells = rows.filter((r) => !r.total).map(shape);
      const totalRow = rows.find((r) => r.total);
      total = totalRow
        ? shape(totalRow)
        : { dim: null, bucket: null, ...EMPTY, value: definition.kind === 'count' ? 0 : null };
      if (definition.kind === 'duration')
        histogram = [...HISTOGRAM_BOUNDS, null].map((upToMs, i) => ({
          upToMs,
          count: totalRow?.bins[i] ?? 0,
        }));
    } else {
      const agentQuery: AgentTimeQuery = {
        from,
        to,
        now: this.ctx.clock.now(),
        timeZone,
        interval,
        ...(query.agentId ? { agentId: query.agentId } : {}),
        ...(query.groupId || groupIds
          ? { memberOfGroups: query.groupId ? [query.groupId] : (groupIds ?? []) }
          : {}),
      };
      if (query.metric === 'agent_status_time') {
        const rows = await aggregateAgentStatusTime(
          db,
          agentQuery,
          groupBy as 'agent' | 'status' | null,
        );
        const shape = (dim: string | null, bucket: string | null, n: number, sum: number): Cell =>
          n === 0
            ? { dim, bucket, ...EMPTY }
            : { dim, bucket, n, value: sum / n, avg: sum / n, median: null, p90: null, sum };
        cells = rows.map((r) => shape(r.agentId ?? r.status, r.bucket, r.n, r.sumMs));
        const n = rows.reduce((a, r) => a + r.n, 0);
        total = shape(
          null,
          null,
          n,
          rows.reduce((a, r) => a + r.sumMs, 0),
        );
      } else {
        const rows = await aggregateOccupancy(db, agentQuery);
        const combine = (dim: string | null, bucket: string | null, of: typeof rows): Cell => {
          const logged = of.reduce((a, r) => a + r.loggedInMs, 0);
          const busy = of.reduce((a, r) => a + Math.min(r.busyMs, r.loggedInMs), 0);
          const agents = new Set(of.filter((r) => r.loggedInMs > 0).map((r) => r.agentId)).size;
          return {
            dim,
            bucket,
            ...EMPTY,
            n: agents,
            value: logged > 0 ? (100 * busy) / logged : null,
          };
        };
        const keyOf = (r: (typeof rows)[number]) =>
          `${groupBy === 'agent' ? r.agentId : ''}|${r.bucket ?? ''}`;
        const groups = new Map<string, typeof rows>();
        for (const r of rows) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
        cells = [...groups.values()].map((of) =>
          combine(groupBy === 'agent' ? of[0]!.agentId : null, of[0]!.bucket, of),
        );
        total = combine(null, null, rows);
      }
    }

    const rows = await this.rowsOf(cells, buckets, groupBy, interval, definition.kind === 'count');
    const totalRow = this.row(total, null, null, new Map());
    return {
      metric: query.metric,
      from: from.toISOString(),
      to: to.toISOString(),
      timeZone,
      hours,
      groupBy,
      interval,
      rows,
      total: { ...totalRow, label: 'Total' },
      histogram,
    };
  }

  /** A supervisor sees only their groups' data; asking for another group is refused. */
  private async scope(principal: Principal, groupId?: string): Promise<string[] | undefined> {
    if (principal.kind !== 'user' || principal.role === 'admin') return undefined;
    const mine = await groupIdsOfMember(this.ctx.database.db, principal.id);
    if (groupId && !mine.includes(groupId))
      throw new DomainError('auth/forbidden', 'You can report only on your own groups', 'groupId');
    return mine;
  }

  /** Every bucket of the range for every key seen (n = 0 where nothing happened), sorted. */
  private async rowsOf(
    cells: Cell[],
    buckets: (string | null)[],
    groupBy: string | null,
    interval: string | null,
    isCount: boolean,
  ): Promise<ReportRow[]> {
    const found = new Map(cells.map((c) => [`${c.dim ?? ''}|${c.bucket ?? ''}`, c]));
    const names = await this.names(cells, groupBy);
    const dims: (string | null | undefined)[] = groupBy
      ? [...new Set(cells.map((c) => c.dim))]
      : [null];
    if (groupBy && dims.length === 0 && interval) dims.push(undefined);
    // Buckets come in order; within one, rows go by label.
    const labelOf = (dim: string | null | undefined) => dimensionLabel(groupBy, dim, names) ?? '';
    dims.sort((a, b) => {
      const la = labelOf(a);
      const lb = labelOf(b);
      return la < lb ? -1 : la > lb ? 1 : 0;
    });
    const rows: ReportRow[] = [];
    for (const bucket of buckets)
      for (const dim of dims)
        rows.push(
          this.row(
            found.get(`${dim ?? ''}|${bucket ?? ''}`) ?? {
              dim,
              bucket,
              ...EMPTY,
              value: isCount ? 0 : null,
            },
            groupBy,
            interval,
            names,
          ),
        );
    return rows;
  }

  private async names(cells: Cell[], groupBy: string | null): Promise<Map<string, string>> {
    if (groupBy !== 'agent' && groupBy !== 'group') return new Map();
    const ids = [...new Set(cells.map((c) => c.dim).filter((d): d is string => !!d))];
    return reportNames(this.ctx.database.db, {
      users: groupBy === 'agent' ? ids : [],
      groups: groupBy === 'group' ? ids : [],
    });
  }

  private row(
    c: Cell,
    groupBy: string | null,
    interval: string | null,
    names: Map<string, string>,
  ): ReportRow {
    const key: ReportRowKey = {};
    if (c.dim !== undefined) {
      if (groupBy === 'agent') key.agentId = c.dim;
      else if (groupBy === 'group') key.groupId = c.dim;
      else if (groupBy === 'channel' && c.dim)
        key.channel = c.dim as NonNullable<ReportRowKey['channel']>;
      else if (groupBy === 'status' && c.dim) key.status = c.dim;
    }
    const dimLabel = dimensionLabel(groupBy, c.dim, names);
    if (interval && c.bucket) key.bucket = c.bucket;
    const bucketLabel =
      interval && c.bucket ? (interval === 'week' ? `Week of ${c.bucket}` : c.bucket) : null;
    const label = [dimLabel, bucketLabel].filter((x) => x !== null).join(' · ') || 'All';
    return {
      key,
      label,
      n: c.n,
      value: c.value,
      avg: c.avg,
      median: c.median,
      p90: c.p90,
      sum: c.sum,
    };
  }
}

function dimensionLabel(
  groupBy: string | null,
  dim: string | null | undefined,
  names: Map<string, string>,
): string | null {
  if (dim === undefined || !groupBy) return null;
  if (groupBy === 'agent') return dim ? (names.get(dim) ?? dim) : 'No agent';
  if (groupBy === 'group') return dim ? (names.get(dim) ?? dim) : 'No group';
  return dim;
}
