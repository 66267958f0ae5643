import type {
  MetricDefinition,
  MetricId,
  ReportDimension,
  ReportHours,
  ReportInterval,
  ReportQuery,
} from '@parlour/protocol';

/**
 * The reports screen's state, kept in the page's URL (a reload shows the same report), and the
 * one API query made from it. The table, the charts and the CSV link all use `apiQueryString`,
 * so an export always carries exactly the filters, grouping and time zone on screen.
 */
export type RangePreset = 'today' | '7d' | '30d' | 'custom';
export type Channel = NonNullable<ReportQuery['channel']>;

export interface ReportScreen {
  readonly metric: MetricId;
  readonly range: RangePreset;
  /** Local dates (YYYY-MM-DD) in `timeZone`, both inclusive. */
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly hours: ReportHours;
  readonly groupBy: ReportDimension | null;
  readonly interval: ReportInterval | null;
  readonly agentId: string | null;
  readonly groupId: string | null;
  readonly channel: Channel | null;
}

export const PRESETS: readonly { id: RangePreset; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: 'custom', label: 'Custom' },
];
export const DIMENSION_LABELS: Record<ReportDimension, string> = {
  agent: 'Agent',
  group: 'Group',
  channel: 'Channel',
  status: 'Status',
};
export const INTERVAL_LABELS: Record<ReportInterval, string> = {
  hour: 'Hour',
  day: 'Day',
  week: 'Week',
};
export const CHANNELS: readonly Channel[] = ['messaging', 'email', 'api'];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9a-zA-Z-]{1,64}$/;

function parts(instant: number, timeZone: string): Record<string, number> {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(instant)))
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const p = parts(instant, timeZone);
  const wall = Date.UTC(
    p.year ?? 1970,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The browser's own zone. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the browser knows (UTC included), with the one in use first if the list lacks it. */
export function zoneOptions(current: string): string[] {
  const all = Intl.supportedValuesOf('timeZone');
  const withUtc = all.includes('UTC') ? all : ['UTC', ...all];
  return withUtc.includes(current) ? withUtc : [current, ...withUtc];
}

/** Whether the browser knows this IANA zone. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: number, timeZone: string): string {
  const p = parts(instant, timeZone);
  const pad = (n: number | undefined, w = 2) => String(n ?? 0).padStart(w, '0');
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** A local date moved by whole days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days);
  return new Date(t).toISOString().slice(0, 10);
}

/** The instant a local day starts in a zone (ISO, UTC), across DST changes. */
export function dayStart(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  let instant = wall - offsetAt(wall, timeZone);
  // The offset at the guess may differ from the offset at the answer (a DST change that day).
  const second = offsetAt(instant, timeZone);
  if (second !== offsetAt(wall, timeZone)) instant = wall - second;
  return new Date(instant).toISOString();
}

/** The local dates a preset covers, ending today in the zone. */
export function presetDates(
  preset: Exclude<RangePreset, 'custom'>,
  now: number,
  timeZone: string,
): { from: string; to: string } {
  const today = localDate(now, timeZone);
  const back = preset === 'today' ? 0 : preset === '7d' ? 6 : 29;
  return { from: addDays(today, -back), to: today };
}

/** The screen a first visit shows: first reply time over the last 7 days, by day. */
export function defaultScreen(now: number, timeZone: string): ReportScreen {
  return {
    metric: 'first_reply_time',
    range: '7d',
    ...presetDates('7d', now, timeZone),
    timeZone,
    hours: 'calendar',
    groupBy: null,
    interval: 'day',
    agentId: null,
    groupId: null,
    channel: null,
  };
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

const METRIC_ID = /^[a-z_]{1,40}$/;

/**
 * The screen from the page's URL; what is missing or malformed falls back to the defaults (a
 * preset range is recomputed for today; a custom one keeps its dates).
 */
export function parseScreen(search: string, now: number, fallbackZone: string): ReportScreen {
  const q = new URLSearchParams(search);
  const tzParam = q.get('tz');
  const timeZone = tzParam && isTimeZone(tzParam) ? tzParam : fallbackZone;
  const base = defaultScreen(now, timeZone);
  const metricParam = q.get('metric');
  const range = oneOf(q.get('range'), ['today', '7d', '30d', 'custom'] as const) ?? base.range;
  const fromParam = q.get('from');
  const toParam = q.get('to');
  const dates =
    range === 'custom' && fromParam && toParam && DATE.test(fromParam) && DATE.test(toParam)
      ? { from: fromParam, to: toParam }
      : range === 'custom'
        ? presetDates('7d', now, timeZone)
        : presetDates(range, now, timeZone);
  const id = (name: string) => {
    const v = q.get(name);
    return v && ID.test(v) ? v : null;
  };
  const interval = q.get('interval');
  return {
    metric: metricParam && METRIC_ID.test(metricParam) ? (metricParam as MetricId) : base.metric,
    range,
    ...dates,
    timeZone,
    hours: oneOf(q.get('hours'), ['calendar', 'business'] as const) ?? base.hours,
    groupBy: oneOf(q.get('groupBy'), ['agent', 'group', 'channel', 'status'] as const) ?? null,
    interval:
      interval === 'none'
        ? null
        : (oneOf(interval, ['hour', 'day', 'week'] as const) ?? base.interval),
    agentId: id('agentId'),
    groupId: id('groupId'),
    channel: oneOf(q.get('channel'), CHANNELS) ?? null,
  };
}

/** The page's own query string (`?metric=…&range=…`), so a reload shows the same report. */
export function screenSearch(screen: ReportScreen): string {
  const q = new URLSearchParams();
  q.set('metric', screen.metric);
  q.set('range', screen.range);
  if (screen.range === 'custom') {
    q.set('from', screen.from);
    q.set('to', screen.to);
  }
  q.set('tz', screen.timeZone);
  q.set('hours', screen.hours);
  if (screen.groupBy) q.set('groupBy', screen.groupBy);
  q.set('interval', screen.interval ?? 'none');
  if (screen.agentId) q.set('agentId', screen.agentId);
  if (screen.groupId) q.set('groupId', screen.groupId);
  if (screen.channel) q.set('channel', screen.channel);
  return `?${q.toString()}`;
}

/**
 * Makes the screen fit the chosen metric: grouping, filters and business hours only where the
 * metric's definition allows them.
 */
export function fitToMetric(screen: ReportScreen, metric: MetricDefinition): ReportScreen {
  const has = (d: ReportDimension) => metric.dimensions.includes(d);
  return {
    ...screen,
    metric: metric.id,
    hours: metric.businessHours ? screen.hours : 'calendar',
    groupBy: screen.groupBy && has(screen.groupBy) ? screen.groupBy : null,
    agentId: has('agent') ? screen.agentId : null,
    groupId: has('group') ? screen.groupId : null,
    channel: has('channel') ? screen.channel : null,
  };
}

/** A custom range that ends before it starts cannot be asked for. */
export function rangeError(screen: ReportScreen): string | null {
  if (!DATE.test(screen.from) || !DATE.test(screen.to)) return 'Enter both dates';
  if (screen.to < screen.from) return 'The end date is before the start date';
  return null;
}

/** The API query: from the start of the first local day to the start of the day after the last. */
export function toReportQuery(screen: ReportScreen): ReportQuery {
  return {
    metric: screen.metric,
    from: dayStart(screen.from, screen.timeZone),
    to: dayStart(addDays(screen.to, 1), screen.timeZone),
    timeZone: screen.timeZone,
    hours: screen.hours,
    ...(screen.groupBy ? { groupBy: screen.groupBy } : {}),
    ...(screen.interval ? { interval: screen.interval } : {}),
    ...(screen.agentId ? { agentId: screen.agentId } : {}),
    ...(screen.groupId ? { groupId: screen.groupId } : {}),
    ...(screen.channel ? { channel: screen.channel } : {}),
  };
}

/** One query string, in a fixed order, for the report and its CSV export alike. */
export function apiQueryString(query: ReportQuery): string {
  const q = new URLSearchParams();
  const order: (keyof ReportQuery)[] = [
    'metric',
    'from',
    'to',
    'timeZone',
    'hours',
    'groupBy',
    'interval',
    'agentId',
    'groupId',
    'channel',
  ];
  for (const key of order) {
    const value = query[key];
    if (value !== undefined) q.set(key, value);
  }
  return `?${q.toString()}`;
}

/** Where the screen's report comes from and where its CSV is downloaded: the same query. */
export function reportUrls(screen: ReportScreen): { report: string; csv: string } {
  const qs = apiQueryString(toReportQuery(screen));
  return { report: `/api/reports${qs}`, csv: `/api/reports/export.csv${qs}` };
}
