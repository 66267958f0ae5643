import type { HistogramBin, MetricKind, ReportInterval, ReportRow } from '@parlour/protocol';

/** A duration for the reports table: "1h 2m 3s", "4m 5s", "12s", "3.4s"; "—" when there is none. */
export function formatDurationHms(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const safe = Math.max(0, ms);
  if (safe < 10_000) return `${(Math.round(safe / 100) / 10).toFixed(1)}s`;
  const total = Math.round(safe / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** A compact duration for axis ticks and histogram bins: "30s", "1m 30s", "2h", "1h 30m", "3d". */
export function formatDurationShort(ms: number): string {
  const total = Math.round(Math.max(0, ms) / 1000);
  if (total < 60) return `${total}s`;
  const d = Math.floor(total / 86_400);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0 && total % 86_400 === 0) return `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return s > 0 ? `${m}m ${s}s` : `${m}m`;
}

/** A row's headline value as the metric's kind reads: a duration, a count or a percentage. */
export function formatValue(kind: MetricKind, value: number | null): string {
  if (kind === 'duration') return formatDurationHms(value);
  if (value === null) return '—';
  if (kind === 'ratio') return `${(Math.round(value * 10) / 10).toFixed(1)}%`;
  return String(Math.round(value));
}

/** A count's value is the count itself: an empty range reads 0, not "—". */
export function rowValue(kind: MetricKind, row: ReportRow): number | null {
  if (kind === 'count') return row.value ?? row.n;
  return row.value;
}

/** The label of each histogram bin: "< 30s", "30s – 1m", …, "≥ 1h". */
export function binLabels(bins: readonly HistogramBin[]): string[] {
  let lower = 0;
  return bins.map((bin) => {
    const from = lower;
    if (bin.upToMs === null) return `≥ ${formatDurationShort(from)}`;
    lower = bin.upToMs;
    return from === 0
      ? `< ${formatDurationShort(bin.upToMs)}`
      : `${formatDurationShort(from)} – ${formatDurationShort(bin.upToMs)}`;
  });
}

/** Short labels under the histogram's bars: each bin's upper bound ("<5m"), the last open ("7d+"). */
export function binAxisLabels(bins: readonly HistogramBin[]): string[] {
  let lower = 0;
  return bins.map((bin) => {
    if (bin.upToMs === null) return `${formatDurationShort(lower)}+`;
    lower = bin.upToMs;
    return `<${formatDurationShort(bin.upToMs)}`;
  });
}

/** The report's range as local dates in its zone: "17 Nov 2026 – 23 Nov 2026" (the end is exclusive). */
export function rangeLabel(fromIso: string, toIso: string, timeZone: string): string {
  const fmt = new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: 'medium' });
  const from = fmt.format(new Date(fromIso));
  const last = fmt.format(new Date(Date.parse(toIso) - 1));
  return from === last ? from : `${from} – ${last}`;
}

/** A bucket key (2026-11-23, 2026-11-23T14:00; a week is its Monday) as the table shows it. */
export function bucketLabel(bucket: string, interval: ReportInterval | null): string {
  if (interval === 'week') return `Week of ${bucket}`;
  return bucket.replace('T', ' ');
}

/** A bucket key shortened for a chart axis: "11-23", "11-23 14:00", "wk 11-16". */
export function formatBucket(bucket: string, interval: ReportInterval | null): string {
  const m = /^\d{4}-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?/.exec(bucket);
  if (!m) return bucket;
  const day = `${m[1]}-${m[2]}`;
  if (interval === 'week') return `wk ${day}`;
  return m[3] ? `${day} ${m[3]}` : day;
}
