import type { HistogramBin, MetricKind, ReportInterval } from '@parlour/protocol';
import { durationTicks, labelEvery, niceTicks, type Trend } from './reports-chart.js';
import {
  binAxisLabels,
  binLabels,
  bucketLabel,
  formatBucket,
  formatDurationShort,
  formatValue,
} from './reports-format.js';

/** Hand-made SVG charts: each is an image with a spoken summary and its numbers as a table. */

const PALETTE = [
  '#0b5cad',
  '#c2410c',
  '#15803d',
  '#7c3aed',
  '#be123c',
  '#0e7490',
  '#a16207',
  '#4b5563',
];
const W = 600;
const H = 240;
const PAD = { left: 64, right: 24, top: 12, bottom: 36 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

function ticksFor(kind: MetricKind, max: number): number[] {
  return kind === 'duration' ? durationTicks(max) : niceTicks(max);
}

function tickLabel(kind: MetricKind, v: number): string {
  if (kind === 'duration') return formatDurationShort(v);
  if (kind === 'ratio') return `${Math.round(v)}%`;
  return String(Math.round(v * 100) / 100);
}

function YAxis({
  ticks,
  kind,
  y,
}: {
  ticks: number[];
  kind: MetricKind;
  y: (v: number) => number;
}) {
  return (
    <g className="chart-axis">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
          <text x={PAD.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle">
            {tickLabel(kind, t)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** Lines per series over the buckets (a single bucket reads as dots). */
export function TrendChart({
  trend,
  kind,
  metricLabel,
  interval,
}: {
  trend: Trend;
  kind: MetricKind;
  metricLabel: string;
  interval: ReportInterval;
}) {
  const { buckets, series } = trend;
  const max = Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const ticks = ticksFor(kind, max);
  const top = ticks.at(-1) ?? 1;
  const y = (v: number) => PAD.top + PLOT_H - (v / top) * PLOT_H;
  const step = buckets.length > 1 ? PLOT_W / (buckets.length - 1) : 0;
  const x = (i: number) => (buckets.length > 1 ? PAD.left + i * step : PAD.left + PLOT_W / 2);
  const every = labelEvery(buckets.length, interval === 'hour' ? 7 : 10);
  const names = series.map((s) => s.name).join(', ');
  const summary =
    `${metricLabel} per ${interval} over ${buckets.length} ` +
    `${buckets.length === 1 ? interval : `${interval}s`}` +
    (series.length > 0 ? `, one line each for ${names}` : ', no data') +
    '. The numbers are in the table below the chart.';
  return (
    <figure className="chart" data-testid="trend-chart">
      <figcaption>Trend</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="chart-svg">
        <YAxis ticks={ticks} kind={kind} y={y} />
        <g className="chart-axis">
          {buckets.map((b, i) =>
            i % every === 0 ? (
              <text key={b} x={x(i)} y={H - PAD.bottom + 16} textAnchor="middle">
                {formatBucket(b, interval)}
              </text>
            ) : null,
          )}
        </g>
        {series.map((s, si) => {
          const color = PALETTE[si % PALETTE.length];
          const segments: string[][] = [[]];
          s.values.forEach((v, i) => {
            if (v === null) segments.push([]);
            else segments.at(-1)?.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
          });
          return (
            <g key={s.key} data-series={s.name}>
              {segments
                .filter((pts) => pts.length > 1)
                .map((pts, k) => (
                  <polyline
                    key={k}
                    points={pts.join(' ')}
                    fill="none"
                    stroke={color}
                    strokeWidth={2}
                  />
                ))}
              {s.values.map((v, i) =>
                v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={4} fill={color} />,
              )}
            </g>
          );
        })}
      </svg>
      <ul className="chart-legend" aria-label="Legend">
        {series.map((s, si) => (
          <li key={s.key}>
            <span className={`chart-swatch swatch-${si % PALETTE.length}`} aria-hidden="true" />
            {s.name}
          </li>
        ))}
        {trend.hidden > 0 && <li className="muted">and {trend.hidden} more (in the table)</li>}
      </ul>
      <details className="chart-data">
        <summary>Trend as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {buckets.map((b, i) => (
              <tr key={b}>
                <th scope="row">{bucketLabel(b, interval)}</th>
                {series.map((s) => (
                  <td key={s.key}>{formatValue(kind, s.values[i] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Horizontal bars, one per row (a report over the whole range, without buckets). */
export function BarsChart({
  bars,
  kind,
  metricLabel,
}: {
  bars: readonly { key: string; label: string; value: number | null }[];
  kind: MetricKind;
  metricLabel: string;
}) {
  const rowH = 26;
  const left = 180;
  const height = Math.max(1, bars.length) * rowH + 30;
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  const ticks = ticksFor(kind, max);
  const top = ticks.at(-1) ?? 1;
  const width = W - left - PAD.right - 70;
  const summary = `${metricLabel}: ${bars
    .slice(0, 5)
    .map((b) => `${b.label} ${formatValue(kind, b.value)}`)
    .join(', ')}${bars.length > 5 ? ` and ${bars.length - 5} more` : ''}`;
  return (
    <figure className="chart" data-testid="bars-chart">
      <figcaption>Comparison</figcaption>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={summary} className="chart-svg">
        {bars.map((b, i) => {
          const w = ((b.value ?? 0) / top) * width;
          const cy = 10 + i * rowH;
          return (
            <g key={b.key} className="chart-axis">
              <text x={left - 8} y={cy + 9} textAnchor="end" dominantBaseline="middle">
                {b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label}
              </text>
              <rect x={left} y={cy} width={Math.max(0, w)} height={18} className="chart-bar" />
              <text x={left + Math.max(0, w) + 6} y={cy + 9} dominantBaseline="middle">
                {formatValue(kind, b.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <details className="chart-data">
        <summary>Comparison as a table</summary>
        <table>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.label}</th>
                <td>{formatValue(kind, b.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** The distribution of a duration metric over the whole range: one bar per bin. */
export function HistogramChart({
  bins,
  metricLabel,
}: {
  bins: readonly HistogramBin[];
  metricLabel: string;
}) {
  const labels = binLabels(bins);
  const axisLabels = binAxisLabels(bins);
  const max = Math.max(0, ...bins.map((b) => b.count));
  const ticks = niceTicks(max).map((t) => Math.round(t));
  const unique = [...new Set(ticks)];
  const top = unique.at(-1) || 1;
  const y = (v: number) => PAD.top + PLOT_H - (v / top) * PLOT_H;
  const slot = PLOT_W / Math.max(1, bins.length);
  const total = bins.reduce((sum, b) => sum + b.count, 0);
  const summary = `Distribution of ${metricLabel.toLowerCase()}: ${total} samples; ${bins
    .map((b, i) => `${labels[i]}: ${b.count}`)
    .join(', ')}`;
  return (
    <figure className="chart" data-testid="histogram-chart">
      <figcaption>Distribution</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="chart-svg">
        <YAxis ticks={unique} kind="count" y={y} />
        {bins.map((b, i) => {
          const x = PAD.left + i * slot;
          return (
            <g key={i} className="chart-axis">
              <rect
                x={x + slot * 0.1}
                y={y(b.count)}
                width={slot * 0.8}
                height={Math.max(0, PAD.top + PLOT_H - y(b.count))}
                className="chart-bar"
              />
              <text x={x + slot / 2} y={H - PAD.bottom + 16} textAnchor="middle">
                {axisLabels[i]}
              </text>
            </g>
          );
        })}
      </svg>
      <details className="chart-data">
        <summary>Distribution as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Samples</th>
            </tr>
          </thead>
          <tbody>
            {bins.map((b, i) => (
              <tr key={i}>
                <th scope="row">{labels[i]}</th>
                <td>{b.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
