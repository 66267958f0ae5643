import type { ReportDimension, ReportRow, ReportRowKey } from '@parlour/protocol';

/** One line (or bar set) of the trend chart: a row key's values over the buckets. */
export interface TrendSeries {
  readonly key: string;
  readonly name: string;
  /** One value per bucket, null where the bucket had no sample. */
  readonly values: readonly (number | null)[];
  /** Samples over the whole range (orders the series; the largest are drawn). */
  readonly n: number;
}

export interface Trend {
  readonly buckets: readonly string[];
  readonly series: readonly TrendSeries[];
  /** Series left out of the chart (still in the table). */
  readonly hidden: number;
}

const DIMENSION_KEY: Record<ReportDimension, keyof ReportRowKey> = {
  agent: 'agentId',
  group: 'groupId',
  channel: 'channel',
  status: 'status',
};

/**
 * The series name of a row: its label without the bucket (the API labels the rows of a grouped,
 * bucketed report "Alex Agent · 2026-11-23" or "Alex Agent · Week of 2026-11-16").
 */
export function seriesName(row: ReportRow): string {
  if (!row.key.bucket) return row.label;
  const parts = row.label.split(' · ');
  return parts.length > 1 ? parts.slice(0, -1).join(' · ') : row.label;
}

/**
 * The trend over buckets: one series per value of the grouping (or one, "All"), at most `limit`
 * of them (those with the most samples), in bucket order.
 */
export function buildTrend(
  rows: readonly ReportRow[],
  groupBy: ReportDimension | null,
  value: (row: ReportRow) => number | null,
  limit = 8,
): Trend {
  const buckets: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const b = row.key.bucket;
    if (b !== undefined && !seen.has(b)) {
      seen.add(b);
      buckets.push(b);
    }
  }
  buckets.sort();
  const index = new Map(buckets.map((b, i) => [b, i]));
  const byKey = new Map<string, { name: string; values: (number | null)[]; n: number }>();
  for (const row of rows) {
    const i = row.key.bucket === undefined ? undefined : index.get(row.key.bucket);
    if (i === undefined) continue;
    const dim = groupBy ? row.key[DIMENSION_KEY[groupBy]] : undefined;
    const key = groupBy ? String(dim ?? 'none') : 'all';
    let series = byKey.get(key);
    if (!series) {
      series = {
        name: groupBy ? seriesName(row) : 'All',
        values: buckets.map(() => null),
        n: 0,
      };
      byKey.set(key, series);
    }
    const v = value(row);
    if (v !== null) series.values[i] = v;
    series.n += row.n;
  }
  const all = [...byKey.entries()]
    .map(([key, s]) => ({ key, ...s }))
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));
  return { buckets, series: all.slice(0, limit), hidden: Math.max(0, all.length - limit) };
}

/** A round top for the value axis and its evenly spaced ticks (0 included). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2 && ticks.length <= count + 1; v += step) ticks.push(v);
  if ((ticks.at(-1) ?? 0) < max) ticks.push((ticks.at(-1) ?? 0) + step);
  return ticks;
}

/** Round ticks for durations: whole seconds, minutes or hours, so labels read "30s", "2m", "1h". */
export function durationTicks(maxMs: number, count = 4): number[] {
  if (!(maxMs > 0)) return [0, 1000];
  const steps = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400,
  ].map((s) => s * 1000);
  const step =
    steps.find((s) => s * count >= maxMs) ?? Math.ceil(maxMs / count / 86_400_000) * 86_400_000;
  const ticks: number[] = [];
  for (let v = 0; v < maxMs; v += step) ticks.push(v);
  ticks.push((ticks.at(-1) ?? 0) + step);
  return ticks;
}

/** Which of `total` x labels to print so that at most `room` show (always the first). */
export function labelEvery(total: number, room: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, room)));
}
