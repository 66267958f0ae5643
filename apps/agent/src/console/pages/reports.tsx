import { useEffect, useMemo, useState } from 'react';
import type {
  Group,
  MetricDefinition,
  MetricDefinitions,
  ReportResult,
  ReportRow,
  User,
} from '@parlour/protocol';
import { ApiError, api, describeError } from '../../api.js';
import { Field, LoadState, PageHeader, useLoad } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { BarsChart, HistogramChart, TrendChart } from './reports-charts.js';
import { buildTrend, seriesName } from './reports-chart.js';
import {
  bucketLabel,
  formatDurationHms,
  formatValue,
  rangeLabel,
  rowValue,
} from './reports-format.js';
import {
  CHANNELS,
  DIMENSION_LABELS,
  INTERVAL_LABELS,
  PRESETS,
  browserZone,
  fitToMetric,
  isTimeZone,
  parseScreen,
  presetDates,
  rangeError,
  reportUrls,
  screenSearch,
  type Channel,
  type RangePreset,
  type ReportScreen,
  zoneOptions,
} from './reports-query.js';
import './reports.css';

const CHANNEL_LABELS: Record<Channel, string> = {
  messaging: 'Messaging',
  email: 'Email',
  api: 'API',
};

/**
 * The default zone: the URL's, else (admins) the workspace's report time zone, else the
 * browser's. Null while it is being looked up.
 */
function useStartZone(isAdmin: boolean): string | null {
  const [zone, setZone] = useState<string | null>(() => {
    const fromUrl = new URLSearchParams(window.location.search).get('tz');
    if (fromUrl && isTimeZone(fromUrl)) return fromUrl;
    return isAdmin ? null : browserZone();
  });
  useEffect(() => {
    if (zone !== null) return;
    let live = true;
    api<{ reportTimeZone?: string | null }>('GET', '/api/settings')
      .then((s) => {
        if (!live) return;
        const tz = s.reportTimeZone;
        setZone(tz && isTimeZone(tz) ? tz : browserZone());
      })
      .catch(() => live && setZone(browserZone()));
    return () => {
      live = false;
    };
  }, [zone]);
  return zone;
}

/** The report for a query path; keeps the last result on screen while the next one loads. */
function useReport(path: string | null): {
  data: ReportResult | null;
  error: ApiError | Error | null;
  loading: boolean;
} {
  const [data, setData] = useState<ReportResult | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoading(true);
    api<ReportResult>('GET', path)
      .then((result) => {
        if (!live) return;
        setData(result);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setData(null);
        setError(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path]);
  return { data, error, loading };
}

export default function ReportsPage({ me }: PageProps) {
  const zone = useStartZone(me.role === 'admin');
  const metrics = useLoad<MetricDefinitions>('/api/reports/metrics');
  if (zone === null || !metrics.data)
    return (
      <div className="reports">
        <PageHeader title="Reports" />
        <LoadState error={metrics.error} loading />
      </div>
    );
  return <Reports startZone={zone} metrics={metrics.data.items} />;
}

function Reports({
  startZone,
  metrics,
}: {
  startZone: string;
  metrics: readonly MetricDefinition[];
}) {
  const users = useLoad<User[]>('/api/users');
  const groups = useLoad<Group[]>('/api/groups');
  const [raw, setRaw] = useState<ReportScreen>(() =>
    parseScreen(window.location.search, Date.now(), startZone),
  );
  const metric = metrics.find((m) => m.id === raw.metric) ?? metrics[0];
  const screen = useMemo(() => (metric ? fitToMetric(raw, metric) : raw), [raw, metric]);
  const invalidRange = rangeError(screen);
  const urls = reportUrls(screen);
  const report = useReport(metric && !invalidRange ? urls.report : null);

  // The page's URL always holds the screen, so a reload (or a shared link) shows this report.
  const search = screenSearch(screen);
  useEffect(() => {
    if (window.location.search !== search)
      window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  }, [search]);

  const set = (patch: Partial<ReportScreen>) => setRaw((s) => ({ ...s, ...patch }));
  const choosePreset = (range: RangePreset) =>
    range === 'custom'
      ? set({ range })
      : set({ range, ...presetDates(range, Date.now(), screen.timeZone) });
  const chooseZone = (timeZone: string) =>
    screen.range === 'custom'
      ? set({ timeZone })
      : set({ timeZone, ...presetDates(screen.range, Date.now(), timeZone) });

  const apiError = (name: string): string | undefined => {
    const e = report.error;
    if (!(e instanceof ApiError) || !e.field) return undefined;
    const field = e.field.replace(/\//g, '.');
    return field === name || field.startsWith(`${name}.`) ? e.message : undefined;
  };
  // Fields shown on screen claim the API's error about them; any other error shows below.
  const shown = new Set([
    'metric',
    'from',
    'to',
    'timeZone',
    'groupBy',
    'interval',
    ...(metric?.businessHours ? ['hours'] : []),
    ...(metric?.dimensions.includes('agent') ? ['agentId'] : []),
    ...(metric?.dimensions.includes('group') ? ['groupId'] : []),
    ...(metric?.dimensions.includes('channel') ? ['channel'] : []),
  ]);
  const errorField =
    report.error instanceof ApiError ? report.error.field?.split(/[./]/)[0] : undefined;
  const unclaimedError =
    report.error && !(errorField && shown.has(errorField)) ? report.error : null;

  if (!metric)
    return (
      <div className="reports">
        <PageHeader title="Reports" />
        <p>No metrics are defined.</p>
      </div>
    );
  const has = (d: (typeof metric.dimensions)[number]) => metric.dimensions.includes(d);
  const staff = [...(users.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const groupList = [...(groups.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <div className="reports">
      <PageHeader title="Reports">
        <a
          className="button"
          href={urls.csv}
          download
          data-testid="export-csv"
          aria-disabled={invalidRange ? true : undefined}
        >
          Export CSV
        </a>
      </PageHeader>

      <form
        className="report-filters card"
        aria-label="Report filters"
        data-testid="report-filters"
        onSubmit={(e) => e.preventDefault()}
      >
        <Field label="Metric" name="metric" error={apiError('metric')}>
          {(p) => (
            <select
              {...p}
              data-testid="report-metric"
              value={metric.id}
              onChange={(e) => {
                const next = metrics.find((m) => m.id === e.target.value);
                if (next) setRaw((s) => fitToMetric(s, next));
              }}
            >
              {metrics.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Date range" name="range">
          {(p) => (
            <select
              {...p}
              data-testid="report-range"
              value={screen.range}
              onChange={(e) => choosePreset(e.target.value as RangePreset)}
            >
              {PRESETS.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From" name="from" error={apiError('from') ?? invalidRange ?? undefined}>
          {(p) => (
            <input
              {...p}
              type="date"
              data-testid="report-from"
              value={screen.from}
              onChange={(e) => set({ range: 'custom', from: e.target.value })}
            />
          )}
        </Field>
        <Field label="To" name="to" error={apiError('to')}>
          {(p) => (
            <input
              {...p}
              type="date"
              data-testid="report-to"
              value={screen.to}
              onChange={(e) => set({ range: 'custom', to: e.target.value })}
            />
          )}
        </Field>
        <Field label="Time zone" name="timeZone" error={apiError('timeZone')}>
          {(p) => (
            <select
              {...p}
              data-testid="report-time-zone"
              value={screen.timeZone}
              onChange={(e) => chooseZone(e.target.value)}
            >
              {zoneOptions(screen.timeZone).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          )}
        </Field>
        {metric.businessHours && (
          <Field label="Hours" name="hours" error={apiError('hours')}>
            {(p) => (
              <select
                {...p}
                data-testid="report-hours"
                value={screen.hours}
                onChange={(e) => set({ hours: e.target.value as ReportScreen['hours'] })}
              >
                <option value="calendar">Calendar hours</option>
                <option value="business">Business hours</option>
              </select>
            )}
          </Field>
        )}
        <Field label="Group by" name="groupBy" error={apiError('groupBy')}>
          {(p) => (
            <select
              {...p}
              data-testid="report-group-by"
              value={screen.groupBy ?? ''}
              onChange={(e) =>
                set({ groupBy: (e.target.value || null) as ReportScreen['groupBy'] })
              }
            >
              <option value="">Nothing (all together)</option>
              {metric.dimensions.map((d) => (
                <option key={d} value={d}>
                  {DIMENSION_LABELS[d]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Interval" name="interval" error={apiError('interval')}>
          {(p) => (
            <select
              {...p}
              data-testid="report-interval"
              value={screen.interval ?? 'none'}
              onChange={(e) =>
                set({
                  interval:
                    e.target.value === 'none'
                      ? null
                      : (e.target.value as NonNullable<ReportScreen['interval']>),
                })
              }
            >
              <option value="none">Whole range</option>
              {(['hour', 'day', 'week'] as const).map((i) => (
                <option key={i} value={i}>
                  {INTERVAL_LABELS[i]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {has('agent') && (
          <Field label="Agent" name="agentId" error={apiError('agentId')}>
            {(p) => (
              <select
                {...p}
                data-testid="report-agent"
                value={screen.agentId ?? ''}
                onChange={(e) => set({ agentId: e.target.value || null })}
              >
                <option value="">All agents</option>
                {staff.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {has('group') && (
          <Field label="Group" name="groupId" error={apiError('groupId')}>
            {(p) => (
              <select
                {...p}
                data-testid="report-group"
                value={screen.groupId ?? ''}
                onChange={(e) => set({ groupId: e.target.value || null })}
              >
                <option value="">All groups</option>
                {groupList.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {has('channel') && (
          <Field label="Channel" name="channel" error={apiError('channel')}>
            {(p) => (
              <select
                {...p}
                data-testid="report-channel"
                value={screen.channel ?? ''}
                onChange={(e) => set({ channel: (e.target.value || null) as Channel | null })}
              >
                <option value="">All channels</option>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {CHANNEL_LABELS[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </form>

      <MetricCard metric={metric} />

      {unclaimedError && (
        <p className="error" role="alert" data-testid="report-error">
          {describeError(unclaimedError)}
          {unclaimedError instanceof ApiError && unclaimedError.field
            ? ` (${unclaimedError.field})`
            : ''}
        </p>
      )}
      {report.loading && !report.data && (
        <p className="loading" role="status">
          Loading…
        </p>
      )}
      {report.data && (
        <ReportView
          result={report.data}
          metric={metric}
          busy={report.loading}
          userNames={new Map(staff.map((u) => [u.id, u.name]))}
        />
      )}
    </div>
  );
}

/** What the metric measures, as the registry defines it. */
function MetricCard({ metric }: { metric: MetricDefinition }) {
  return (
    <section
      className="card metric-definition"
      data-testid="metric-definition"
      aria-label="Definition"
    >
      <p className="metric-description">
        <strong>{metric.label}.</strong> {metric.description}
      </p>
      <dl>
        <dt>{metric.kind === 'duration' ? 'Starts' : 'Counts'}</dt>
        <dd data-testid="definition-start">{metric.start}</dd>
        <dt>{metric.kind === 'duration' ? 'Stops' : 'Out of'}</dt>
        <dd data-testid="definition-stop">{metric.stop}</dd>
        <dt>Credited to</dt>
        <dd data-testid="definition-credited">{metric.creditedTo}</dd>
        <dt>Counts on</dt>
        <dd data-testid="definition-counts-on">{metric.countsOn}</dd>
      </dl>
    </section>
  );
}

function valueHeader(metric: MetricDefinition): string {
  if (metric.kind === 'duration') return 'Average';
  if (metric.kind === 'ratio') return 'Percent';
  return 'Count';
}

function ReportView({
  result,
  metric,
  busy,
  userNames,
}: {
  result: ReportResult;
  metric: MetricDefinition;
  busy: boolean;
  userNames: ReadonlyMap<string, string>;
}) {
  const kind = metric.kind;
  const isDuration = kind === 'duration';
  const value = (row: ReportRow) => rowValue(kind, row);
  const trend = result.interval ? buildTrend(result.rows, result.groupBy, value) : null;
  const nameOf = (row: ReportRow) =>
    result.groupBy === 'agent' && row.key.agentId
      ? (userNames.get(row.key.agentId) ?? seriesName(row))
      : seriesName(row);
  const zoneNote = `${result.timeZone}, ${result.hours === 'business' ? 'business' : 'calendar'} hours`;
  return (
    <section
      className="report-view"
      aria-label="Report"
      aria-busy={busy}
      data-testid="report-view"
      data-time-zone={result.timeZone}
    >
      <p className="muted report-summary" data-testid="report-summary">
        {metric.label} · {rangeLabel(result.from, result.to, result.timeZone)} ({zoneNote}) · n ={' '}
        {result.total.n}
      </p>
      <div className="report-charts">
        {trend && result.interval && trend.buckets.length > 0 && (
          <TrendChart
            trend={trend}
            kind={kind}
            metricLabel={metric.label}
            interval={result.interval}
          />
        )}
        {!trend && result.groupBy && result.rows.length > 0 && (
          <BarsChart
            bars={result.rows.map((row, i) => ({
              key: `${i}`,
              label: nameOf(row),
              value: value(row),
            }))}
            kind={kind}
            metricLabel={metric.label}
          />
        )}
        {isDuration && result.histogram.length > 0 && (
          <HistogramChart bins={result.histogram} metricLabel={metric.label} />
        )}
      </div>
      <table className="report-table" data-testid="report-table">
        <caption className="visually-hidden">{metric.label}</caption>
        <thead>
          <tr>
            {result.interval && <th scope="col">Bucket</th>}
            {result.groupBy && <th scope="col">{DIMENSION_LABELS[result.groupBy]}</th>}
            {!result.interval && !result.groupBy && <th scope="col">Range</th>}
            <th scope="col" className="num">
              n
            </th>
            <th scope="col" className="num">
              {valueHeader(metric)}
            </th>
            {isDuration && (
              <>
                <th scope="col" className="num">
                  Median
                </th>
                <th scope="col" className="num">
                  p90
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {result.rows.map((row, i) => (
            <tr
              key={i}
              data-testid="report-row"
              data-label={row.label}
              className={row.n === 0 ? 'empty-row' : undefined}
            >
              {result.interval && (
                <td data-testid="cell-bucket">
                  {row.key.bucket ? bucketLabel(row.key.bucket, result.interval) : ''}
                </td>
              )}
              {result.groupBy && <td data-testid="cell-label">{nameOf(row)}</td>}
              {!result.interval && !result.groupBy && <td data-testid="cell-label">{row.label}</td>}
              <td className="num" data-testid="cell-n">
                {row.n}
              </td>
              <td className="num" data-testid="cell-value">
                {formatValue(kind, value(row))}
              </td>
              {isDuration && (
                <>
                  <td className="num" data-testid="cell-median">
                    {formatDurationHms(row.median)}
                  </td>
                  <td className="num" data-testid="cell-p90">
                    {formatDurationHms(row.p90)}
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="report-total">
            <th scope="row" colSpan={(result.interval ? 1 : 0) + (result.groupBy ? 1 : 0) || 1}>
              Total
            </th>
            <td className="num" data-testid="cell-n">
              {result.total.n}
            </td>
            <td className="num" data-testid="cell-value">
              {formatValue(kind, value(result.total))}
            </td>
            {isDuration && (
              <>
                <td className="num" data-testid="cell-median">
                  {formatDurationHms(result.total.median)}
                </td>
                <td className="num" data-testid="cell-p90">
                  {formatDurationHms(result.total.p90)}
                </td>
              </>
            )}
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
